"""Reproducible SVG screenshots of leadping-tui, from the demo data on a frozen clock.

Regenerate the pictures in ``screenshots/`` (the README links them) with::

    python -m leadping_tui.demo.screenshots --out screenshots

Every picture comes from the real app talking to the loopback simulator over
HTTP, with the wall clock, the local zone, the poll scheduler's clock and the
backoff jitter all fixed, so two runs write identical files.  The snapshot
tests (``tests/test_snapshots.py``) build their apps with the same helpers.

This module stays free of direct Textual imports (only ``ui/`` has them); the
Pilot objects it handles are typed loosely for that reason.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from leadping_tui.demo.session import DEMO_KEY, DEMO_NUMBERS
from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.runtime import load_runtime
from leadping_tui.simulator import Fault, FrozenClock, Simulator
from leadping_tui.store.atomic import atomic_write_text, make_private_dirs
from leadping_tui.store.paths import AppPaths
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore
from leadping_tui.times import clock
from leadping_tui.ui.app import AppConfig, LeadPingApp

FIXED_NOW = datetime(2026, 11, 27, 14, 20, 0, tzinfo=UTC)
"""The moment every screenshot shows (the simulator's and the app's "now")."""

EXAMPLE_HOME = Path("/home/you")
"""Shown as the user's home where a picture prints a path (the first-run screen).

Nothing is written there: only entering a key on that screen would write.
"""
EXAMPLE_PATHS = AppPaths.from_dirs(
    EXAMPLE_HOME / ".config/leadping-tui",
    EXAMPLE_HOME / ".local/share/leadping-tui",
    EXAMPLE_HOME / ".local/state/leadping-tui/log",
)

HEALTHY = "+12025550101"
ATTENTION = "+12025550102"
PAUSED = "+12025550103"
BLOCKED = "+12025550104"

DEMO_WATCHLIST: tuple[tuple[str, str], ...] = DEMO_NUMBERS

# The modules that read the wall clock for what they draw, by name
# (``datetime.now()``, ``date.today()``).  Each gets a frozen stand-in while
# a screenshot is taken; new code should call ``clock.now_utc()`` instead.
TIME_READERS: tuple[str, ...] = ()

# The screen counts as drawn when two exports this far apart agree.
STABLE_PAUSE = 0.02
# How long settling may take before the picture is refused (a loaded
# machine is slow; a screen that never settles is a bug worth a failure).
SETTLE_PATIENCE = 60.0

# Any Pilot (Textual is not imported here, see the module docstring).
Pilot = Any
Step = Callable[[Pilot, Simulator], Awaitable[None]]
"""Something to do before a screenshot; it gets the simulator to set faults on."""


class SteppedClock:
    """A monotonic clock for the scheduler and the budget that only moves when told to."""

    def __init__(self, start: float = 10_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds``."""
        self.now += seconds


def _frozen_types(at: datetime) -> tuple[type[datetime], type[date]]:
    """``datetime`` and ``date`` subclasses whose "now" and "today" are ``at``."""

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            # A naive "now" is local time, like the real one.
            return at.astimezone(tz) if tz is not None else at.astimezone().replace(tzinfo=None)

        @classmethod
        def today(cls) -> datetime:  # type: ignore[override]
            return cls.now()

    class FrozenDate(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return at.astimezone().date()

    return FrozenDatetime, FrozenDate


@contextmanager
def frozen_time(at: datetime = FIXED_NOW) -> Iterator[None]:
    """Freeze the app's wall clock at ``at`` and its local zone at UTC, then restore both.

    Patches :func:`leadping_tui.times.clock.now_utc` and the ``datetime``/``date``
    names of :data:`TIME_READERS`.  Not thread-safe: for tests and the
    generator only.
    """
    fake_datetime, fake_date = _frozen_types(at)
    patches: list[tuple[object, str, object]] = [(clock, "now_utc", lambda: at)]
    for name in TIME_READERS:
        module = importlib.import_module(name)
        if getattr(module, "datetime", None) is datetime:
            patches.append((module, "datetime", fake_datetime))
        if getattr(module, "date", None) is date:
            patches.append((module, "date", fake_date))
    saved = [(target, attr, getattr(target, attr)) for target, attr, _ in patches]
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    for target, attr, value in patches:
        setattr(target, attr, value)
    try:
        yield
    finally:
        for target, attr, value in reversed(saved):
            setattr(target, attr, value)
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


def frozen_simulator(at: datetime = FIXED_NOW, *, shape: str = "sdk") -> Simulator:
    """A simulator (not started) whose data is fixed at ``at``, in ``shape`` (sdk or seed)."""
    return Simulator(shape=shape, clock=FrozenClock(at))


def build_app(
    base_url: str,
    root: Path,
    *,
    watchlist: Sequence[tuple[str, str]] | None = DEMO_WATCHLIST,
    selected: str | None = HEALTHY,
    api_key: str | None = DEMO_KEY,
    settings_toml: str | None = None,
    paths: AppPaths | None = None,
) -> LeadPingApp:
    """An app on its own files under ``root``, pointed at ``base_url``, with fixed timing.

    The scheduler and budget run on a :class:`SteppedClock` that never moves
    (nothing is polled twice), every watched number
    is due at once, the burst covers the whole list and backoff has no
    jitter, so the same steps always end in the same picture.  With
    ``api_key=None`` the app opens on the first-run screen.  ``paths``
    replaces the files under ``root`` (for a picture that prints a path).
    """
    paths = paths or AppPaths.under(root)
    if settings_toml is not None:
        paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
        paths.settings_file.write_text(settings_toml, encoding="utf-8")
    if watchlist is not None:
        saved = Watchlist()
        for number, label in watchlist:
            saved = saved.add(number, label, now=FIXED_NOW)
        WatchlistStore(paths.watchlist_file).save(saved.select(selected))
    runtime = replace(
        load_runtime(paths=paths, env={}),
        base_url=base_url,
        api_key=api_key,
        api_key_source="demo" if api_key else None,
        demo=api_key is not None,
    )
    app = LeadPingApp(AppConfig(runtime=runtime, demo=api_key is not None))
    ticks = SteppedClock()
    burst = len(watchlist or ()) + 8
    app.use_clock(ticks, backoff=BackoffPolicy(jitter=0.0), burst=burst, stagger_step=0.0)
    return app


async def settle(pilot: Pilot, look: Callable[[Any], object] | None = None) -> None:
    """Wait until every fetch has finished and the screen has stopped changing; drop toasts.

    Some widgets finish their layout on an idle pass after the data arrives
    (a ``DataTable`` sizes its columns then), which a single pause does not
    always cover; so the screen is exported until two exports agree.  ``look``
    replaces the export with something cheaper to compare (a test that checks
    only the layout looks at the widgets' regions: an export of a large
    screen takes a quarter of the CPU of such a test).
    """
    from textual.worker import WorkerCancelled, WorkerError

    app = pilot.app
    deadline = time.monotonic() + SETTLE_PATIENCE

    def late(what: str) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the screen did not settle in {SETTLE_PATIENCE:.0f} s: {what}")

    while True:
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerError):
            continue  # an exclusive load replaced by a newer one: wait for that one
        await pilot.pause()
        scheduler = getattr(app, "scheduler", None)
        if (scheduler is None or scheduler.in_flight_count == 0) and _every_number_answered(app):
            break
        late("fetches still in flight, or numbers not read yet")
    # The tabs and the raw view mount just after the first status is drawn.
    while not getattr(app.screen, "deferred_ready", True):
        late("the tabs are not mounted")
        await pilot.pause(0.01)
    await pilot.pause()
    # Textual 8.2's DataTable measures new rows on an idle pass but keeps
    # cells it drew before that pass in its render cache, so a table drawn
    # in between stays at its header widths until its next change.  A style
    # update drops those caches.  (Reported to the panels' owner; harmless
    # once StableTable does this itself.)
    for screen in app.screen_stack:
        for table in screen.query("DataTable"):
            table.notify_style_update()
    # Alert toasts would cover the panels, and with several alerts their
    # order follows which background fetch came back first.
    app.clear_notifications()
    previous: object = None
    while True:
        await pilot.pause(STABLE_PAUSE)
        current = app.export_screenshot() if look is None else look(app)
        if current == previous:
            return
        previous = current
        late("the screen kept changing")


def _every_number_answered(app: Any) -> bool:
    """Whether each watched number on the dashboard has an answer, an error or a listing row.

    The background polls go out after the selected number's: between the two,
    nothing is in flight and yet rows still say "not read yet".
    """
    screen = app.screen
    labels = getattr(screen, "labels", None)
    if labels is None:
        return True  # not the dashboard (first run, a dialog over it)
    fleet = getattr(app, "fleet", None)
    return all(
        number in screen.results
        or number in screen.errors
        or (fleet is not None and fleet.get(number) is not None)  # read from the listing
        for number in labels
    )


async def show(pilot: Pilot, _sim: Simulator) -> None:
    """A step that only waits for the first fetches to be drawn."""
    await settle(pilot)


def press(*keys: str) -> Step:
    """A step that presses ``keys`` once the first fetches are drawn."""

    async def step(pilot: Pilot, _sim: Simulator) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return step


async def fail_then_refresh(pilot: Pilot, sim: Simulator) -> None:
    """A step that makes the selected number answer 503 once, then presses r."""
    await settle(pilot)
    number = pilot.app.screen.selected
    sim.faults.set(Fault(kind="status", status=503, times=1), number=number)
    try:
        await pilot.press("r")
        await settle(pilot)
    finally:
        sim.faults.clear(number)


async def open_event_detail(pilot: Pilot, _sim: Simulator) -> None:
    """A step that moves to the event log and opens its newest event."""
    await settle(pilot)
    pilot.app.screen.query_one("#events-table").focus()
    await pilot.press("enter")
    await settle(pilot)


@dataclass(frozen=True)
class Shot:
    """One screenshot: which numbers, what size, what to do before taking it."""

    name: str
    size: tuple[int, int] = (120, 40)
    selected: str | None = HEALTHY
    watchlist: tuple[tuple[str, str], ...] = DEMO_WATCHLIST
    first_run: bool = False
    """No API key: the app opens on the first-run screen."""
    step: Step = show
    expect: tuple[str, ...] = ()
    """Text the picture must contain (checked by the tests)."""


def default_shots() -> list[Shot]:
    """The pictures ``screenshots/`` holds."""
    return [
        Shot("dashboard-healthy", expect=("+1 202-555-0101", "OK", "LIVE")),
        Shot("dashboard-attention", selected=ATTENTION, expect=("+1 202-555-0102", "WARN")),
        Shot("dashboard-blocked", selected=BLOCKED, expect=("+1 202-555-0104", "CRIT")),
        Shot(
            "dashboard-stale",
            step=fail_then_refresh,
            expect=("+1 202-555-0101", "STALE", "(503)"),
        ),
        Shot("dashboard-compact", size=(80, 24), expect=("+1 202-555-0101", "LIVE")),
        Shot("first-run", size=(100, 30), first_run=True, expect=("LEADPING_API_KEY",)),
        Shot(
            "add-number",
            step=press("a", *"555 12", "enter"),
            expect=("Add a number", "Not added"),
        ),
        Shot("event-detail", step=open_event_detail, expect=("Created", "+1 202-555-0101")),
        Shot("raw-json", step=press("j"), expect=('"smsWarmup"', "+12025550101")),
        Shot("fleet-view", step=press("F"), expect=("7 numbers", "Cond", "✗ CRIT", "Health")),
    ]


def shot_app(shot: Shot, base_url: str, root: Path, *, api_key: str = DEMO_KEY) -> LeadPingApp:
    """The app for ``shot``: its watchlist with ``api_key``, or the first-run screen."""
    if shot.first_run:
        return build_app(base_url, root, watchlist=None, api_key=None, paths=EXAMPLE_PATHS)
    return build_app(
        base_url, root, watchlist=shot.watchlist, selected=shot.selected, api_key=api_key
    )


def bind(step: Step, sim: Simulator) -> Callable[[Pilot], Awaitable[None]]:
    """``step`` with its simulator filled in (what ``snap_compare``'s ``run_before`` takes)."""

    async def before(pilot: Pilot) -> None:
        await step(pilot, sim)

    return before


async def capture(
    app: LeadPingApp, size: tuple[int, int], before: Callable[[Pilot], Awaitable[None]]
) -> str:
    """Run ``app`` headless at ``size``, await ``before``, and return the screen as SVG."""
    async with app.run_test(size=size) as pilot:
        await before(pilot)
        await pilot.pause()
        return app.export_screenshot(title="leadping-tui")


def generate(
    out: Path, shots: Sequence[Shot] | None = None, *, api_key: str = DEMO_KEY
) -> list[Path]:
    """Write every shot's SVG into ``out`` and return the paths written."""
    make_private_dirs(out)
    written: list[Path] = []
    with frozen_simulator() as sim, frozen_time(), tempfile.TemporaryDirectory() as tmp:
        for shot in shots if shots is not None else default_shots():
            app = shot_app(shot, sim.base_url, Path(tmp) / shot.name, api_key=api_key)
            svg = asyncio.run(capture(app, shot.size, bind(shot.step, sim)))
            path = out / f"{shot.name}.svg"
            # The demo key is masked, but the numbers and texts are still data: 0600.
            atomic_write_text(path, svg)
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m leadping_tui.demo.screenshots",
        description="Regenerate the README screenshots from the demo data on a frozen clock.",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("screenshots"), help="directory (default: screenshots)"
    )
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
