"""Figure 6 (the in-app parts): moving through 1 000 numbers, and the request budget.

(The ``o`` and ``f`` keys on 1 000 numbers are timed by :mod:`benchmarks.sort_filter`,
run as part of this benchmark.)

A headless app at 120x40 watches 1 000 numbers with the default settings
(30 requests a minute, burst 5).  Once the first status is shown, ``down``
is pressed in the sidebar again and again.  Each press is timed from the
key event being posted (as the terminal input thread posts it) to the
first frame rendered after the dashboard switched to the new number; the
next press follows 50 ms after that frame.  (Timing ``pilot.press`` plus
``pilot.pause`` instead would add Pilot's own idle wait of 20 ms or more.)

Every request the app makes is timed where it takes its token from the
budget (that is where the budget is enforced; the worker then starts the
request when the event loop gets to it, which a busy loop can delay by a
hundred milliseconds and bunch two requests up).  The budget is checked over
every pair of requests: ``n`` requests within ``t`` seconds must be at most
``burst + rate * (t + SLACK) / 60``; the slack (10 ms) is timer resolution.
The number of requests the client started and the simulator's count of
requests served must agree with the tokens taken.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from textual import events

from benchmarks import sort_filter
from benchmarks.common import SELECTED, Context, Figure, SimProcess, numbers
from benchmarks.inprocess import (
    SIZE,
    AsyncCalls,
    Calls,
    FrameClock,
    build_app,
    release_launch_gc,
    wait_for,
)

KEY_TARGET_MS = 50.0
GAP = 0.05
SLACK = 0.01


def budget_excess(times: list[float], rate_per_minute: float, burst: int) -> float:
    """The most requests over the budget in any window (≤ 0 means within budget)."""
    ordered = sorted(times)
    worst = float("-inf")
    for i, first in enumerate(ordered):
        for j in range(i, len(ordered)):
            allowed = burst + rate_per_minute * (ordered[j] - first + SLACK) / 60.0
            worst = max(worst, (j - i + 1) - allowed)
    return worst if ordered else 0.0


async def session(
    sim: SimProcess, root: Path, count: int, presses: int, window: float
) -> dict[str, Any]:
    watch = numbers(count)
    app = build_app(sim.base_url, root, watch, launch_gc=True)
    fetches = AsyncCalls(app.client, "fetch")
    tokens: list[float] = []
    take = app.budget.try_take

    def counted(priority: Any) -> bool:
        taken = take(priority)
        if taken:
            tokens.append(time.perf_counter())
        return taken

    app.budget.try_take = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    keys: list[float] = []
    keys_cpu: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: SELECTED in getattr(app.screen, "results", {}), 30)
        await pilot.pause()
        screen: Any = app.screen
        frames = FrameClock(app)
        selects = Calls(screen, "_select")
        for index in range(presses):
            seen = selects.count
            sent = time.perf_counter()
            cpu = time.thread_time()
            app.post_message(events.Key("down", None))
            await wait_for(
                lambda seen=seen: (  # type: ignore[misc]
                    selects.count > seen and frames.first_after(selects.ended[-1]) is not None
                ),
                10,
                step=0.001,
            )
            frame = frames.first_after(selects.ended[-1]) or sent
            keys.append(frame - sent)
            keys_cpu.append(time.thread_time() - cpu)
            if screen.selected != watch[index + 1]:
                raise AssertionError(f"press {index + 1} selected {screen.selected}")
            await asyncio.sleep(GAP)
        left = window - (time.perf_counter() - started)
        if left > 0:
            await asyncio.sleep(left)
        ended = time.perf_counter()
        rate = app.budget.rate_per_minute
        burst = app.budget.burst
    release_launch_gc()
    return {
        "keys": keys,
        "keys_cpu": keys_cpu,
        "requests": [t - started for t in tokens],
        "started": len(fetches.started),
        "window": ended - started,
        "rate": rate,
        "burst": burst,
    }


def run(ctx: Context) -> list[Figure]:
    count = ctx.pick(1000, 1000)
    presses = ctx.pick(60, 8)
    window = ctx.pick(45.0, 1.0)
    with SimProcess() as sim, tempfile.TemporaryDirectory() as tmp:
        facts = asyncio.run(session(sim, Path(tmp), count, presses, window))
        served = len(sim.requests())
    keys_ms = [k * 1000 for k in facts["keys"]]
    cpu_ms = [k * 1000 for k in facts["keys_cpu"]]
    times: list[float] = facts["requests"]
    excess = budget_excess(times, facts["rate"], facts["burst"])
    allowed = facts["burst"] + facts["rate"] * facts["window"] / 60
    within = excess <= 0 and served <= allowed
    worst = max(keys_ms)
    ctx.note(
        f"large watchlist: key median {median(keys_ms):.1f} ms, worst {worst:.1f} ms; "
        f"{len(times)} requests in {facts['window']:.0f} s (allowed {allowed:.0f})"
    )
    return [
        *sort_filter.run(ctx),
        Figure(
            key="watchlist.sidebar_key",
            title=f"Large watchlist: sidebar ↓ key → frame with the new number ({count} numbers)",
            unit="ms",
            samples=keys_ms,
            target=f"≤ {KEY_TARGET_MS:g} ms each (judged on the worst)",
            judged=worst,
            met=worst <= KEY_TARGET_MS,
            note=(
                f"worst {worst:.1f} ms over {presses} presses; loop-thread CPU per key: "
                f"median {median(cpu_ms):.1f} ms, worst {max(cpu_ms):.1f} ms"
            ),
            extra={"cpu_ms": cpu_ms},
        ),
        Figure(
            key="watchlist.request_budget",
            title=f"Large watchlist: API requests in the first {facts['window']:.0f} s",
            unit="req",
            samples=[float(len(times))],
            target=(
                f"≤ budget: {facts['burst']} + {facts['rate']:g}/min "
                f"= {allowed:.1f} here, and in every sub-window"
            ),
            judged=float(len(times)),
            met=within,
            note=(f"simulator served {served}; worst window {excess:+.2f} requests vs its budget"),
            extra={"request_times": times, "served": served},
        ),
    ]
