"""The exporter's targets (issue 13): idle CPU, scrape latency, the request budget.

``python -m benchmarks.exporter [--smoke] [--only cpu|scrape|budget ...]``

* ``exporter.idle_cpu_100``: CPU of an exporter process watching 100 numbers
  against the simulator (another process), polling at the default 30
  requests/min with no scrapes, over a minute after its first polls.
  Target: at most 0.3 % of one core.
* ``exporter.scrape_ms_1000``: wall time of ``GET /metrics`` over loopback
  with 1,000 numbers read (about 1.3 MB of text).  Target: at most 50 ms.
* ``exporter.max_requests_per_minute``: the most requests in any 60 s window
  of a simulated hour, with 1,000 numbers and a scrape every 5 s, per-number
  and with ``--organisation``.  The real poller, budget, scheduler and
  listing rounds run on an event loop whose clock is virtual, against
  instant fake API answers.  Target: never above the budget (30).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from benchmarks.common import REPO, Context, Figure, SimProcess, Workspace, numbers

RPM = 30


# -- idle CPU -------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(ctx: Context) -> Figure:
    warm, window = ctx.pick((20.0, 60.0), (3.0, 5.0))
    with SimProcess() as sim, Workspace(numbers(100)) as ws:
        env = ws.env()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "leadping_tui",
                "exporter",
                "--base-url",
                sim.base_url,
                "--listen",
                "127.0.0.1:0",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(REPO),
        )
        try:
            assert proc.stderr is not None
            for line in proc.stderr:
                if "serving http://" in line:
                    break
            time.sleep(warm)  # past start-up and the first polls
            cpu0, t0 = _cpu_seconds(proc.pid), time.monotonic()
            time.sleep(window)
            cpu1, t1 = _cpu_seconds(proc.pid), time.monotonic()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    percent = 100 * (cpu1 - cpu0) / (t1 - t0)
    ctx.note(f"idle CPU with 100 numbers: {percent:.3f} % over {t1 - t0:.0f} s")
    return Figure(
        "exporter.idle_cpu_100",
        "Exporter CPU, 100 numbers at 30/min, no scrapes",
        "% core",
        [percent],
        target="≤ 0.3 %",
        judged=percent,
        met=percent <= 0.3,
        note=f"{t1 - t0:.0f} s window after {warm:.0f} s of polling",
    )


# -- scrape latency -------------------------------------------------------------


def _sample_status() -> Any:
    from leadping_tui.api.models import PhoneNumberStatus
    from leadping_tui.simulator import FrozenClock, Simulator

    with Simulator(clock=FrozenClock(datetime(2026, 11, 20, 15, tzinfo=UTC))) as sim:
        req = urllib.request.Request(
            f"{sim.base_url}/phone-numbers/%2B12025550102/status?windowDays=7",
            headers={"Authorization": "Bearer sk_bench"},
        )
        with urllib.request.urlopen(req) as response:
            raw = response.read()
    return PhoneNumberStatus.model_validate_json(raw)


def scrape_latency(ctx: Context) -> Figure:
    from leadping_tui.exporter.board import Board, render_all
    from leadping_tui.exporter.readings import reading_from_status
    from leadping_tui.exporter.server import MetricsServer
    from leadping_tui.exporter.stats import ExporterStats

    status = _sample_status()
    board = Board()
    watched = numbers(1000)
    board.set_numbers({n: (f"Line {i}" if i % 3 else "") for i, n in enumerate(watched)})
    for i, number in enumerate(watched):
        board.update(reading_from_status(number, status, label=f"Line {i}", at=time.time()))
    stats = ExporterStats(lambda: 1.0, lambda: len(board.numbers))
    server = MetricsServer("127.0.0.1", 0, lambda: render_all(board, stats.registry))
    host, port = server.bind()
    server.start()
    samples: list[float] = []
    size = 0
    try:
        for _ in range(ctx.pick(50, 5)):
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://{host}:{port}/metrics") as response:
                size = len(response.read())
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        server.stop()
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]
    ctx.note(
        f"scrape of 1,000 numbers ({size / 1e6:.2f} MB): median "
        f"{statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms"
    )
    return Figure(
        "exporter.scrape_ms_1000",
        "GET /metrics with 1,000 numbers",
        "ms",
        samples,
        target="≤ 50 ms",
        judged=statistics.median(samples),
        met=statistics.median(samples) <= 50,
        extra={"bytes": size, "p95": p95},
    )


# -- the budget over a simulated hour -------------------------------------------


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps to the next timer instead of sleeping."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        real_select = self._selector.select  # type: ignore[attr-defined]

        def select(timeout: float | None = None) -> Any:
            events = real_select(0)
            if not events:
                if timeout is None:
                    raise RuntimeError("nothing scheduled: the loop would block forever")
                self.now += max(timeout, 0.0)
            return events

        self._selector.select = select  # type: ignore[attr-defined]

    def time(self) -> float:
        return self.now


def simulated_hour(
    count: int = 1000,
    hours: float = 1.0,
    organisation: bool = False,
    rpm: int = RPM,
    scrape_every: float = 5.0,
) -> dict[str, Any]:
    """Run the exporter's poller for ``hours`` of virtual time; every request's time."""
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(_hour(loop, count, hours, organisation, rpm, scrape_every))
    finally:
        loop.close()


async def _hour(
    loop: VirtualTimeLoop,
    count: int,
    hours: float,
    organisation: bool,
    rpm: int,
    scrape_every: float,
) -> dict[str, Any]:
    from leadping_tui.api.listing import ListingPage, ListingQuery
    from leadping_tui.api.listing_client import ListingPageResult
    from leadping_tui.api.query import StatusQuery
    from leadping_tui.api.result import FetchResult
    from leadping_tui.exporter.board import render_all
    from leadping_tui.exporter.listing_rounds import ListingRounds
    from leadping_tui.exporter.plan import Plan
    from leadping_tui.exporter.service_loop import build_parts

    status = _sample_status()
    watched = numbers(min(count, 1000)) if count <= 1000 else _many(count)
    sent: list[float] = []
    latency = 0.3

    async def fetch(number: str) -> FetchResult:
        sent.append(loop.time())
        await asyncio.sleep(latency)
        return FetchResult(number, StatusQuery.window(7), status, {}, datetime.now(UTC), latency, 1)

    pages = [
        ListingPage.model_validate(
            {
                "items": [
                    {
                        "number": n,
                        "name": f"Line {i}",
                        "warmup": {
                            "state": "In Progress",
                            "healthStatus": "Healthy",
                            "healthScore": 80,
                            "progressPercent": 50,
                        },
                    }
                    for i, n in enumerate(watched[start : start + 100], start)
                ],
                "continuationToken": str(start + 100) if start + 100 < len(watched) else None,
            }
        )
        for start in range(0, len(watched), 100)
    ]

    async def fetch_page(query: ListingQuery) -> ListingPageResult:
        sent.append(loop.time())
        await asyncio.sleep(latency)
        index = int(query.continuation_token or 0) // 100
        return ListingPageResult(pages[index], latency, 1)

    plan = Plan(
        "127.0.0.1",
        0,
        {} if organisation else dict.fromkeys(watched, ""),
        (),
        rpm,
        60.0,
        7,
        False,
        organisation=organisation,
    )
    budget, board, stats, poller = build_parts(plan, fetch, clock=loop.time, wall=loop.time)
    stop = asyncio.Event()
    tasks = [loop.create_task(poller.run(stop))]
    if organisation:
        rounds = ListingRounds(
            poller, budget, fetch_page, interval=60.0, saved_labels={}, clock=loop.time
        )
        tasks.append(loop.create_task(rounds.run(stop)))
    else:
        poller.watch(plan.labels)
    scrapes: list[float] = []
    end = hours * 3600
    while loop.time() < end:
        await asyncio.sleep(scrape_every)
        started = time.perf_counter()
        render_all(board, stats.registry)
        scrapes.append(time.perf_counter() - started)
    stop.set()
    await asyncio.gather(*tasks)
    await poller.aclose()
    return {
        "sent": sent,
        "scrapes": len(scrapes),
        "watched": len(board.numbers),
        "rows_up": sum(1 for r in board.readings() if r.up),
    }


def _many(count: int) -> list[str]:
    return [f"+1202{(5550000 + i):07d}" for i in range(count)]


def max_per_minute(times: list[float]) -> int:
    """The most request times in any half-open window of 60 s."""
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + 60.0) - i for i, t in enumerate(ordered)), default=0
    )


def budget(ctx: Context) -> list[Figure]:
    figures = []
    for organisation in (False, True):
        hours = ctx.pick(1.0, 0.1)
        began = time.perf_counter()
        result = simulated_hour(1000, hours, organisation=organisation)
        most = max_per_minute(result["sent"])
        mode = "organisation listing" if organisation else "per-number polling"
        ctx.note(
            f"{mode}: {len(result['sent'])} requests in {hours:g} simulated h, most in "
            f"any 60 s: {most} (budget {RPM}); {result['scrapes']} scrapes; "
            f"{result['rows_up']}/{result['watched']} rows read; "
            f"{time.perf_counter() - began:.1f} s real"
        )
        figures.append(
            Figure(
                f"exporter.max_requests_per_minute{'_organisation' if organisation else ''}",
                f"Most requests in any 60 s of a simulated hour, 1,000 numbers, {mode}",
                "requests",
                [float(most)],
                target=f"≤ {RPM}",
                judged=float(most),
                met=most <= RPM,
                extra={"requests": len(result["sent"]), "rows_up": result["rows_up"]},
            )
        )
    return figures


BENCHES: dict[str, Callable[[Context], list[Figure]]] = {
    "cpu": lambda ctx: [idle_cpu(ctx)],
    "scrape": lambda ctx: [scrape_latency(ctx)],
    "budget": budget,
}


def run(ctx: Context) -> list[Figure]:
    return [figure for bench in BENCHES.values() for figure in bench(ctx)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exporter", description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), default=None)
    args = parser.parse_args(argv)
    ctx = Context(smoke=args.smoke)
    figures = [f for name in (args.only or list(BENCHES)) for f in BENCHES[name](ctx)]
    for figure in figures:
        state = "met" if figure.met else "NOT met"
        print(f"{figure.key}: {figure.value:.3f} {figure.unit} ({figure.target}: {state})")
    return 0 if all(figure.met for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
