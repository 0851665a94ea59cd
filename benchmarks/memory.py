"""Figure 3: memory over days of refreshing.

A headless ``LeadPingApp`` in this process polls the simulator (its own
process, frozen clock) over real loopback HTTP.  Time is simulated on both
sides: each cycle moves the app's scheduler clock and the simulator's clock
on by one refresh interval (30 s), then wakes the poll loop and waits until
every fetch it started was handled: parsed, recorded in the history
database, checked for alerts, drawn and rendered.  So 10 000 cycles stand
for about 3.5 days of a dashboard refreshing every 30 s, with events
arriving (the simulator runs at 2 events a minute) and history growing.

Resident memory is read from ``/proc/self/statm`` after a ``gc.collect()``
at cycle 100 and at checkpoints after it.  If the full count does not fit
the time limit the run stops early and says so; the growth is then also
extrapolated linearly to 10 000 cycles.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import SELECTED, Context, Figure, SimProcess
from benchmarks.inprocess import SIZE, Calls, build_app, wait_for
from leadping_tui.refresh.budget import TokenBucket
from leadping_tui.refresh.scheduler import PollScheduler
from leadping_tui.ui.textual_compat import live_notification_count, paint_now

TARGET_MIB = 5.0
INTERVAL = 30.0
WATCH = [SELECTED, "+12025550102", "+12025550105"]
SETTINGS = "requests_per_minute = 300\n"
MIB = 2**20


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def file_size(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            total += candidate.stat().st_size
    return total


async def cycles(
    ctx: Context, sim: SimProcess, root: Path, total: int, first: int, limit: float
) -> dict[str, Any]:
    app = build_app(sim.base_url, root, WATCH, settings_toml=SETTINGS)
    clock = FakeClock()
    app.budget = TokenBucket(300, burst=50, clock=clock)
    app.scheduler = PollScheduler(
        budget=app.budget,
        clock=clock,
        foreground_interval=INTERVAL,
        background_interval=4 * INTERVAL,
    )
    checkpoints: list[dict[str, float]] = []
    async with app.run_test(size=SIZE):
        await wait_for(lambda: SELECTED in getattr(app.screen, "results", {}), 30)
        screen: Any = app.screen
        done = Calls(app.scheduler, "record_success")
        failed = Calls(app.scheduler, "record_failure")
        started = time.perf_counter()
        every = ctx.pick(250, 4)
        count = 0
        for count in range(1, total + 1):
            clock.advance(INTERVAL)
            sim.advance(INTERVAL)
            before = done.count + failed.count
            screen.wake_poller()
            await wait_for(
                lambda before=before: (  # type: ignore[misc]
                    app.scheduler.in_flight_count == 0 and done.count + failed.count > before
                ),
                30,
                step=0.001,
            )
            # Let follow-up messages run, then render the frame now rather
            # than waiting for Textual's refresh timer (what Pilot does too).
            for _ in range(3):
                await asyncio.sleep(0)
            paint_now(screen)
            if count == first or (count > first and (count - first) % every == 0):
                gc.collect()
                checkpoints.append(
                    {
                        "cycle": float(count),
                        "rss": float(rss()),
                        "blocks": float(sys.getallocatedblocks()),
                        "elapsed": time.perf_counter() - started,
                    }
                )
                ctx.note(
                    f"memory: cycle {count}, RSS {rss() / MIB:.1f} MiB, "
                    f"{time.perf_counter() - started:.0f} s"
                )
            if count > first and time.perf_counter() - started > limit:
                break
        events = screen.query_one("#events")
        table = screen.query_one("#events-table")
        if checkpoints[-1]["cycle"] != count:
            gc.collect()
            checkpoints.append(
                {
                    "cycle": float(count),
                    "rss": float(rss()),
                    "blocks": float(sys.getallocatedblocks()),
                    "elapsed": time.perf_counter() - started,
                }
            )
        facts = {
            "cycles": count,
            "elapsed": time.perf_counter() - started,
            "fetches": done.count,
            "failures": failed.count,
            "event_rows": table.row_count,
            "events_in_last_status": events.total,
            "notifications": live_notification_count(app),
            "history_bytes": file_size(app.runtime.paths.history_db),
            "alerts_log_bytes": file_size(app.runtime.paths.alerts_log),
            "checkpoints": checkpoints,
        }
    return facts


def run(ctx: Context) -> list[Figure]:
    total = ctx.memory_cycles or ctx.pick(10_000, 12)
    first = ctx.pick(100, 4)
    limit = ctx.memory_limit or ctx.pick(150.0, 10.0)
    with SimProcess(clock="frozen", event_rate=2.0) as sim, tempfile.TemporaryDirectory() as tmp:
        facts = asyncio.run(cycles(ctx, sim, Path(tmp), total, first, limit))
    points = facts["checkpoints"]
    start, end = points[0], points[-1]
    ran = int(end["cycle"] - start["cycle"])
    delta = (end["rss"] - start["rss"]) / MIB
    per_1000 = delta / ran * 1000 if ran else 0.0
    projected = per_1000 * (total - first) / 1000
    complete = facts["cycles"] >= total
    segments = [
        (b["rss"] - a["rss"]) / MIB / (b["cycle"] - a["cycle"]) * 1000
        for a, b in itertools.pairwise(points)
    ] or [0.0]
    # Caches fill early; the second half of the run shows the steady slope.
    middle = points[len(points) // 2]
    late_cycles = end["cycle"] - middle["cycle"]
    late_per_1000 = (end["rss"] - middle["rss"]) / MIB / late_cycles * 1000 if late_cycles else 0.0
    late_projected = delta + late_per_1000 * max(0, total - facts["cycles"]) / 1000
    judged = delta if complete else projected
    rate = facts["cycles"] / facts["elapsed"]
    what = (
        f"{facts['cycles']} cycles ({facts['fetches']} fetches) in {facts['elapsed']:.0f} s, "
        f"{rate:.0f} cycles/s"
    )
    if not complete:
        what += f"; stopped at the time limit, growth extrapolated to {total} cycles"
    ctx.note(f"memory: {what}; Δ {delta:.2f} MiB")
    history = facts["history_bytes"]
    return [
        Figure(
            key="memory.rss_growth",
            title=f"Memory: RSS after {facts['cycles']} refresh cycles − after {first}",
            unit="MiB",
            samples=[delta],
            target=f"≤ {TARGET_MIB:g} MiB over {total:,} cycles",
            judged=judged,
            met=judged <= TARGET_MIB,
            note=what
            + (
                f"; projected {projected:.2f} MiB (linear from cycle {first}), "
                f"{late_projected:.2f} MiB from the second half's slope"
                if not complete
                else ""
            ),
            extra={
                **facts,
                "projected_linear": projected,
                "projected_late_slope": late_projected,
                "late_per_1000": late_per_1000,
            },
        ),
        Figure(
            key="memory.growth_per_1000",
            title="Memory: RSS growth per 1 000 cycles, per checkpoint segment",
            unit="MiB",
            samples=segments,
            target="(information: ≈ 0 when bounded)",
            note=f"Python heap blocks {start['blocks']:,.0f} → {end['blocks']:,.0f}",
        ),
        Figure(
            key="memory.history_db",
            title="Memory: history database size after the cycles",
            unit="KiB",
            samples=[history / 1024],
            target="bounded (history_max_mb, compaction)",
            note=(
                f"event log table {facts['event_rows']} rows "
                f"(last status held {facts['events_in_last_status']} events); "
                f"alerts log {facts['alerts_log_bytes']:,} B; "
                f"{facts['notifications']} notifications open"
            ),
        ),
    ]
