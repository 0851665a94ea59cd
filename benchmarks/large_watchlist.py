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
Most of these presses land on numbers still waiting for their first status,
so once the budget window is over, ``up`` and ``down`` move between the last
two numbers visited, once both have theirs: each of those presses draws a
status, an event table and flag tokens, as in a session left open a while.

Every request the app makes is timed where it takes its token from the
budget (that is where the budget is enforced; the worker then starts the
request when the event loop gets to it, which a busy loop can delay by a
hundred milliseconds and bunch two requests up).  The budget is checked over
every pair of requests: ``n`` requests within ``t`` seconds must be at most
``burst + rate * (t + SLACK) / 60``; the slack (10 ms) is timer resolution.
The simulator's count of requests served must be within the budget too
(both are taken when the window ends, before the moves up and down).
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
    sim: SimProcess, root: Path, count: int, presses: int, window: float, back_and_forth: int
) -> dict[str, Any]:
    watch = numbers(count)
    app = build_app(sim.base_url, root, watch, launch_gc=True)
    tokens: list[float] = []
    take = app.budget.try_take

    def counted(priority: Any) -> bool:
        taken = take(priority)
        if taken:
            tokens.append(time.perf_counter())
        return taken

    app.budget.try_take = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: SELECTED in getattr(app.screen, "results", {}), 30)
        await pilot.pause()
        screen: Any = app.screen
        frames = FrameClock(app)
        selects = Calls(screen, "_select")

        async def press(key: str, expected: str) -> tuple[float, float]:
            """Seconds from ``key`` to the frame after the selection moved, and loop CPU."""
            seen = selects.count
            sent = time.perf_counter()
            cpu = time.thread_time()
            app.post_message(events.Key(key, None))
            await wait_for(
                lambda: selects.count > seen and frames.first_after(selects.ended[-1]) is not None,
                10,
                step=0.001,
            )
            frame = frames.first_after(selects.ended[-1]) or sent
            if screen.selected != expected:
                raise AssertionError(f"{key} selected {screen.selected}, not {expected}")
            await asyncio.sleep(GAP)
            return frame - sent, time.thread_time() - cpu

        down = [await press("down", watch[index + 1]) for index in range(presses)]
        left = window - (time.perf_counter() - started)
        if left > 0:
            await asyncio.sleep(left)
        ended = time.perf_counter()
        requests = [t - started for t in tokens]
        served = len(sim.requests())
        # Then up and down between the last two numbers, once both have their
        # status (the figure above mostly moves onto numbers still waiting).
        last, before = watch[presses], watch[presses - 1]
        await wait_for(lambda: last in screen.results, 30)
        await press("up", before)
        await wait_for(lambda: before in screen.results, 30)
        await pilot.pause()
        with_data = [
            await press("down" if index % 2 == 0 else "up", last if index % 2 == 0 else before)
            for index in range(back_and_forth)
        ]
        rate = app.budget.rate_per_minute
        burst = app.budget.burst
    release_launch_gc()
    return {
        "keys": [wall for wall, _ in down],
        "keys_cpu": [cpu for _, cpu in down],
        "keys_with_data": [wall for wall, _ in with_data],
        "requests": requests,
        "served": served,
        "window": ended - started,
        "rate": rate,
        "burst": burst,
    }


def run(ctx: Context) -> list[Figure]:
    count = ctx.pick(1000, 1000)
    presses = ctx.pick(60, 8)
    window = ctx.pick(45.0, 1.0)
    back_and_forth = ctx.pick(30, 4)
    with SimProcess() as sim, tempfile.TemporaryDirectory() as tmp:
        facts = asyncio.run(session(sim, Path(tmp), count, presses, window, back_and_forth))
    served = facts["served"]
    keys_ms = [k * 1000 for k in facts["keys"]]
    cpu_ms = [k * 1000 for k in facts["keys_cpu"]]
    data_ms = [k * 1000 for k in facts["keys_with_data"]]
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
            key="watchlist.sidebar_key_with_data",
            title=(
                f"Large watchlist: ↑/↓ between two numbers whose status is in → frame "
                f"({count} numbers)"
            ),
            unit="ms",
            samples=data_ms,
            target=f"≤ {KEY_TARGET_MS:g} ms each (judged on the worst)",
            judged=max(data_ms),
            met=max(data_ms) <= KEY_TARGET_MS,
            note=(
                f"worst {max(data_ms):.1f} ms over {back_and_forth} presses, each drawing "
                "the number's panels and event table (the ↓ figure mostly moves onto "
                "numbers still waiting for their status)"
            ),
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
