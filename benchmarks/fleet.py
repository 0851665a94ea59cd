"""Issue 10: a whole fleet from the organisation listing, against per-number polling.

**Background rounds.** A headless app watches the simulator's 1 000-number
organisation (``--fleet 1000``) with the default settings (30 requests a
minute, background interval 120 s). Its scheduler and request budget run on a
clock sped up ``SPEED`` times, so three background intervals take seconds, not
minutes; the budget refills on the same clock, so the request rate it allows
is the real one in simulated time. (The poll loop is woken every 50 ms, since
its timer is armed in scheduler seconds; any work the app does also takes
``SPEED`` times longer in simulated time than it would; ``--smoke`` runs one
interval at ``SMOKE_SPEED``, which only checks the machinery.) With the listing on,
every round is counted: listing requests per round, status requests for
background rows (none wanted), and the oldest row at the end (its age in
simulated seconds). The baseline is the same app with ``use_listing = false``:
background rows polled one status request each, within the same budget.

**Import.** ``leadping-tui import`` (in-process, ``import_cmd.run``) of the
same 1 000 numbers into an empty watchlist: listing requests, watchlist
file writes, and the time.  The baseline adds the same numbers the way a
user adding them by hand does: one watchlist save per number.

Start-up with 1 000 numbers against one number is figure 6 of
``startup.py`` (its app reads the listing as it does by default).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.common import API_KEY, SELECTED, Context, Figure, SimProcess
from benchmarks.inprocess import SIZE, build_app
from leadping_tui.runtime import load_runtime
from leadping_tui.simulator.fleet import fleet_numbers
from leadping_tui.store.paths import AppPaths

SPEED = 20.0
SMOKE_SPEED = 60.0
INTERVAL = 120.0  # the default background interval (simulated seconds)
ROUND_TARGET = 10


class SpedClock:
    """Monotonic time running ``speed`` times faster than the real one."""

    def __init__(self, speed: float) -> None:
        self._t0 = time.monotonic()
        self._speed = speed

    def __call__(self) -> float:
        return self._t0 + (time.monotonic() - self._t0) * self._speed


def _listing(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in requests if r.get("endpoint") == "organization"]


def _background_status(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in requests if r.get("endpoint") == "status" and r["number"] != SELECTED]


async def rounds(
    sim: SimProcess,
    root: Path,
    watch: list[str],
    *,
    listing: bool,
    seconds: float,
    speed: float = SPEED,
) -> dict[str, Any]:
    """Run the app for ``seconds`` of simulated time; what it asked and how old rows got."""
    toml = "" if listing else "use_listing = false\n"
    app = build_app(sim.base_url, root, watch, settings_toml=toml)
    clock = SpedClock(speed)
    app.use_clock(clock)
    sim.clear_requests()
    async with app.run_test(size=SIZE):
        started = clock()
        deadline = time.monotonic() + seconds / speed + 60
        while clock() - started < seconds and time.monotonic() < deadline:
            # The poll loop arms its timer in scheduler seconds; on a sped-up
            # clock that would oversleep, so it is woken here instead.
            poller = getattr(app.screen, "_poller", None)
            if poller is not None:
                poller.wake()
            await asyncio.sleep(0.05)
        ended = clock()
        scheduler = app.scheduler
        ages = []
        for number in watch[1:]:
            state = scheduler.state(number)
            last = state.last_success_at if state is not None else None
            # A row never refreshed is counted from the start: a lower bound.
            ages.append(ended - (last if last is not None else started))
        complete = app.fleet.rounds
    requests = sim.requests()
    refreshed = sum(
        1
        for number in watch[1:]
        if (state := scheduler.state(number)) is not None and state.last_success_at is not None
    )
    return {
        "listing": len(_listing(requests)),
        "background_status": len(_background_status(requests)),
        "rounds": complete,
        "oldest": max(ages),
        "refreshed": refreshed,
        "seconds": ended - started,
    }


def _count_writes() -> tuple[list[Path], Callable[[], None]]:
    from leadping_tui.store import watchlist_file as module

    writes: list[Path] = []
    real = module.atomic_write_text

    def counted(path: Path, text: str) -> None:
        writes.append(path)
        real(path, text)

    module.atomic_write_text = counted
    return writes, lambda: setattr(module, "atomic_write_text", real)


def import_once(sim: SimProcess, root: Path) -> dict[str, Any]:
    """``leadping-tui import`` into an empty watchlist."""
    from leadping_tui.commands import import_cmd

    runtime = replace(
        load_runtime(paths=AppPaths.under(root), env={}), base_url=sim.base_url, api_key=API_KEY
    )
    sim.clear_requests()
    writes, restore = _count_writes()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            code = import_cmd.run(argparse.Namespace(search=None, replace=False), runtime)
    finally:
        restore()
    elapsed = time.perf_counter() - started
    if code != 0:
        raise AssertionError(f"import exited {code}")
    from leadping_tui.store.watchlist_file import WatchlistStore

    count = len(WatchlistStore(runtime.paths.watchlist_file).load().watchlist)
    return {
        "seconds": elapsed,
        "requests": len(_listing(sim.requests())),
        "writes": len(writes),
        "count": count,
    }


def add_one_by_one(root: Path, watch: list[str]) -> dict[str, Any]:
    """The baseline: one save per added number, as adding them by hand does."""
    from leadping_tui.store.watchlist_file import WatchlistStore

    store = WatchlistStore(AppPaths.under(root).watchlist_file)
    watchlist = store.load().watchlist
    writes, restore = _count_writes()
    started = time.perf_counter()
    try:
        for number in watch:
            watchlist = store.save(watchlist.add(number))
    finally:
        restore()
    return {"seconds": time.perf_counter() - started, "writes": len(writes)}


def run(ctx: Context) -> list[Figure]:
    count = ctx.pick(1000, 150)  # smoke: still two listing pages
    simulated = ctx.pick(3 * INTERVAL, INTERVAL)
    imports = ctx.pick(3, 1)
    speed = ctx.pick(SPEED, SMOKE_SPEED)
    watch = fleet_numbers(count)
    with SimProcess(fleet=count) as sim:
        with tempfile.TemporaryDirectory() as tmp:
            listed = asyncio.run(
                rounds(sim, Path(tmp), watch, listing=True, seconds=simulated, speed=speed)
            )
        with tempfile.TemporaryDirectory() as tmp:
            polled = asyncio.run(
                rounds(sim, Path(tmp), watch, listing=False, seconds=simulated, speed=speed)
            )
        done = []
        for _ in range(imports):
            with tempfile.TemporaryDirectory() as tmp:
                done.append(import_once(sim, Path(tmp)))
    by_hand = []
    for _ in range(1):  # slow (a save per number), so once
        with tempfile.TemporaryDirectory() as tmp:
            by_hand.append(add_one_by_one(Path(tmp), watch))

    per_round = listed["listing"] / max(1, listed["rounds"])
    polled_rate = polled["background_status"] / (polled["seconds"] / 60)
    sweep_minutes = (count - 1) / polled_rate if polled_rate else float("inf")
    ctx.note(
        f"fleet: listing {listed['listing']} requests in {listed['rounds']} rounds, "
        f"{listed['background_status']} background status requests, oldest row "
        f"{listed['oldest']:.0f} s; per-number: {polled['background_status']} requests, "
        f"{polled['refreshed']} of {count - 1} rows refreshed"
    )
    import_requests = max(d["requests"] for d in done)
    import_writes = max(d["writes"] for d in done)
    return [
        Figure(
            key="fleet.requests_per_round",
            title=f"Fleet: requests per background round, {count} numbers (listing)",
            unit="req",
            samples=[per_round],
            baseline=[polled["background_status"] / max(1.0, polled["seconds"] / INTERVAL)],
            target=f"≤ {ROUND_TARGET} per round, no status request for a background row",
            judged=per_round,
            met=per_round <= ROUND_TARGET and listed["background_status"] == 0,
            note=(
                f"{listed['listing']} listing requests in {listed['rounds']} rounds over "
                f"{listed['seconds']:.0f} simulated s, {listed['background_status']} background "
                f"status requests; baseline: per-number polling in the same budget"
            ),
            extra={"listing": listed, "per_number": polled},
        ),
        Figure(
            key="fleet.oldest_row",
            title=f"Fleet: oldest sidebar row after {simulated:.0f} simulated s ({count} numbers)",
            unit="s",
            samples=[listed["oldest"]],
            baseline=[polled["oldest"]],
            target=f"≤ one background interval ({INTERVAL:g} s) plus one round",
            judged=listed["oldest"],
            met=listed["oldest"] <= INTERVAL + 30,
            note=(
                f"listing: all {listed['refreshed']} background rows refreshed; per-number: "
                f"{polled['refreshed']} of {count - 1} refreshed, a full sweep takes "
                f"{sweep_minutes:.0f} min at {polled_rate:.0f} requests/min"
            ),
        ),
        Figure(
            key="fleet.import",
            title=f"Fleet: `leadping-tui import` of {count} numbers (wall time)",
            unit="ms",
            samples=[d["seconds"] * 1000 for d in done],
            baseline=[b["seconds"] * 1000 for b in by_hand],
            target=f"≤ {ROUND_TARGET} requests, the watchlist saved once",
            judged=float(import_requests),
            met=import_requests <= ROUND_TARGET and import_writes == 1,
            note=(
                f"{import_requests} listing requests, {import_writes} watchlist write(s), "
                f"{done[0]['count']} numbers saved; baseline: the same numbers added one save "
                f"each ({by_hand[0]['writes']} writes)"
            ),
        ),
    ]
