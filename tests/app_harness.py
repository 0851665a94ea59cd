"""Build a real LeadPingApp pointed at the loopback simulator, for Pilot tests."""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerError

from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.runtime import Runtime, load_runtime
from leadping_tui.store.paths import AppPaths
from leadping_tui.ui.app import AppConfig, LeadPingApp
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.textual_compat import frame_pending
from leadping_tui.ui.widgets.stable_table import StableTable

TEST_KEY = "sk_test_harness_key_5555"

#: How long a test waits for something that should happen "soon". Generous on
#: purpose: a loaded CI machine can be 20x slower than a laptop, and a wait
#: that is met returns at once.
PATIENCE = 30.0


@dataclass(frozen=True)
class Notice:
    """A notice an app gave (a toast), as it was asked for."""

    message: str
    title: str
    severity: SeverityLevel
    markup: bool


_NOTICES: weakref.WeakKeyDictionary[App[Any], list[Notice]] = weakref.WeakKeyDictionary()


def record_notices(monkeypatch: Any) -> None:
    """Record every ``App.notify`` call of every app (the conftest does it for each test).

    Through the public ``notify``, so it sees what the app asked for even after
    the toast timed out, whatever Textual keeps internally.
    """
    original = App.notify

    def notify(
        self: App[Any],
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        _NOTICES.setdefault(self, []).append(Notice(message, title, severity, markup))
        original(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", notify)


def notices(app: App[Any]) -> list[Notice]:
    """Every notice ``app`` gave so far, oldest first."""
    return list(_NOTICES.get(app, ()))


def write_watchlist(paths: AppPaths, numbers: list[str], selected: str | None = None) -> None:
    paths.watchlist_file.parent.mkdir(parents=True, exist_ok=True)
    entries = [{"number": number, "label": f"Line {i + 1}"} for i, number in enumerate(numbers)]
    document = {"version": 1, "selected": selected or (numbers[0] if numbers else None)}
    document["entries"] = entries  # type: ignore[assignment]
    paths.watchlist_file.write_text(json.dumps(document), encoding="utf-8")


def make_runtime(
    sim: Any,
    root: Path,
    *,
    api_key: str | None = TEST_KEY,
    refresh: float = 30.0,
    settings_toml: str | None = None,
    listing: bool = False,
) -> Runtime:
    paths = AppPaths.under(root)
    if settings_toml is not None:
        paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
        paths.settings_file.write_text(settings_toml, encoding="utf-8")
    runtime = load_runtime(paths=paths, env={})
    # Most tests count per-number status polls; the organisation listing
    # (which replaces background polls) is on only where a test asks for it.
    settings = runtime.settings.model_copy(update={"use_listing": listing})
    return replace(
        runtime,
        settings=settings,
        base_url=sim.base_url if sim is not None else runtime.base_url,
        api_key=api_key,
        refresh_seconds=refresh,
    )


def make_app(
    sim: Any,
    root: Path,
    *,
    numbers: list[str] | None = None,
    watchlist: list[str] | None = None,
    api_key: str | None = TEST_KEY,
    refresh: float = 30.0,
    settings_toml: str | None = None,
    listing: bool = False,
) -> LeadPingApp:
    """An app on its own files under ``root``; ``watchlist`` pre-fills the saved list."""
    runtime = make_runtime(
        sim, root, api_key=api_key, refresh=refresh, settings_toml=settings_toml, listing=listing
    )
    if watchlist is not None:
        write_watchlist(runtime.paths, watchlist)
    return LeadPingApp(AppConfig(runtime=runtime, numbers=list(numbers or [])))


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def on_fake_clock(app: LeadPingApp) -> FakeClock:
    """Run ``app``'s budget and scheduler on a fake clock, jitter-free (before ``run_test``)."""
    clock = FakeClock()
    app.use_clock(clock, backoff=BackoffPolicy(jitter=0.0))
    return clock


def dashboard(app: LeadPingApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen), f"expected the dashboard, got {screen!r}"
    return screen


async def workers_done(app: LeadPingApp) -> None:
    """Wait for every worker of ``app`` to finish, and for any they started.

    ``App.workers.wait_for_complete`` raises when an exclusive load (trend
    lines, timeline, alerts) was replaced by a newer one, or has not started
    yet; here that only means there is more to wait for.
    """
    for _ in range(500):
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerError):
            await asyncio.sleep(0.01)
            continue
        # A worker may start another one (a history write, then its alert-log
        # write): wait for those too, not only for the ones there were.
        if all(worker.is_finished for worker in app.workers):
            return
    raise AssertionError("workers kept being replaced or started")


async def settle(app: LeadPingApp, pilot: Pilot[int]) -> None:
    """Wait until no fetch is running, every posted result has been handled,
    the dashboard's deferred widgets (the tabs, the raw view) are mounted and
    every table has all its rows."""
    scheduler = app.scheduler
    # On a fake clock the budget refills only when the test moves the clock.
    budget_refills = not isinstance(scheduler.clock, FakeClock)
    for _ in range(20):
        await workers_done(app)
        await pilot.pause()
        if any(
            worker.group in ("fetch", "listing") and worker.is_running for worker in app.workers
        ):
            continue
        if budget_refills and scheduler.foreground_waits_for_budget():
            # The selected number is due but the request budget is empty
            # (quick keypresses): its fetch starts when the poller next wakes
            # after the refill. Wait for that start, not for the refill: on a
            # busy machine the poller's timer can fire well after the tokens
            # are back, and no fetch would be running yet to wait for.
            await wait_until(
                pilot, lambda: not scheduler.foreground_due(), "the selected number's fetch"
            )
            continue
        break
    else:
        raise AssertionError("fetches kept starting")
    screen = app.screen
    if isinstance(screen, DashboardScreen):
        await wait_until(pilot, lambda: screen.deferred_ready, "the tabs to mount")
        # The end of start-up opens the history and queues the statuses that
        # came before it: wait for those writes too, or a test may read the
        # history while the store thread is still writing its first row.
        await workers_done(app)
        await tables_filled(screen, pilot)


async def tables_filled(screen: DashboardScreen, pilot: Pilot[int]) -> None:
    """A rebuilt table adds its rows a slice per frame: wait for every table's last slice."""
    await wait_until(
        pilot,
        lambda: not any(table.filling for table in screen.query(StableTable)),
        "the tables to fill",
    )


async def wait_until(
    pilot: Pilot[int], check: Callable[[], bool], what: str, *, within: float = PATIENCE
) -> None:
    """Let the app run until ``check()`` holds; fail naming ``what`` after ``within`` s.

    The app runs on this event loop, so a plain sleep lets it work (its own
    refresh timer paints). ``pilot.pause`` here cost ~6 % of the CPU of the
    Pilot tests: every 20 ms poll walked the whole screen and queued a
    callback on each of its ~80 widgets.
    """
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.02)


async def drawn(app: App[Any], pilot: Pilot[int]) -> None:
    """Wait until the screen shows what the app has done: every message handled
    and no change left for the refresh timer to draw.

    For a test that reads the screen, or the effect of a draw (a scroll made
    after the layout), right after a change: one ``pilot.pause`` is enough only
    while a frame comes sooner than Pilot's idle wait ends, not on a loaded
    machine (nor at ``TEXTUAL_FPS=5``).
    """
    for _ in range(50):
        await pilot.pause()
        if not frame_pending(app.screen):
            return
        await wait_until(pilot, lambda: not frame_pending(app.screen), "the screen to draw")
    raise AssertionError("the screen kept changing")


def wait_for(check: Callable[[], bool], what: str, *, timeout: float = PATIENCE) -> None:
    """Block until ``check()`` holds (for threads and processes); fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)
