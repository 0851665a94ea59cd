"""How the app looks: SVG snapshots of the real app against the simulator, on a frozen clock.

Baselines live in ``tests/__snapshots__/test_snapshots/``.  After an intended
visual change, regenerate them and look at the diff before committing::

    python -m pytest tests/test_snapshots.py --snapshot-update

The simulator's data, the app's wall clock and zone (UTC), the poll
scheduler's clock and the backoff jitter are all fixed (see
:mod:`leadping_tui.demo.screenshots`), so a snapshot only changes when the
drawing does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.terminal_theme import SVG_EXPORT_THEME

from leadping_tui.demo import screenshots
from leadping_tui.demo.screenshots import (
    ATTENTION,
    BLOCKED,
    HEALTHY,
    PAUSED,
    Shot,
    bind,
    fail_then_refresh,
    frozen_simulator,
    frozen_time,
    press,
    shot_app,
)
from leadping_tui.simulator import Simulator

SnapCompare = Callable[..., bool]

SCENES: dict[str, Shot] = {
    "healthy": Shot("healthy", selected=HEALTHY),
    "attention": Shot("attention", selected=ATTENTION),
    "paused": Shot("paused", selected=PAUSED),
    "blocked": Shot("blocked", selected=BLOCKED),
    # Good data first, then a 503: the status bar says so and the panels keep the data.
    "stale": Shot("stale", selected=HEALTHY, step=fail_then_refresh),
    "empty": Shot("empty", watchlist=(), selected=None),
    "first-run": Shot("first-run", first_run=True),
}
#: The same numbers in the seed page's shape (every field, string numbers).
SEED_SCENES: dict[str, Shot] = {
    "healthy-seed": Shot("healthy-seed", selected=HEALTHY),
    "blocked-seed": Shot("blocked-seed", selected=BLOCKED),
}
SIZES = {"120x40": (120, 40), "80x24": (80, 24), "60x20": (60, 20)}
TOP_PANELS = ("#health", "#capacity", "#metrics")


@pytest.fixture(scope="module")
def frozen_sim() -> Iterator[Simulator]:
    """A simulator of its own whose data never moves (the session one runs on real time)."""
    with frozen_simulator() as sim:
        yield sim


@pytest.fixture(scope="module")
def frozen_seed_sim() -> Iterator[Simulator]:
    """The same, answering in the seed shape."""
    with frozen_simulator(shape="seed") as sim:
        yield sim


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with frozen_time():
        yield


def snapshot(
    snap_compare: SnapCompare,
    sim: Simulator,
    root: Path,
    shot: Shot,
    size: tuple[int, int],
    *,
    check_fit: bool = True,
) -> bool:
    app = shot_app(shot, sim.base_url, root)
    step = bind(shot.step, sim)

    async def before(pilot: Any) -> None:
        await step(pilot)
        if check_fit and size == (120, 40) and shot.selected is not None and not shot.first_run:
            # Not only the picture: at 120x40 every top panel shows whole.
            for panel_id in TOP_PANELS:
                panel = pilot.app.screen.query_one(panel_id)
                assert not panel.show_vertical_scrollbar, f"{panel_id} scrolls at 120x40"
                assert panel.max_scroll_y == 0, f"{panel_id} hides rows at 120x40"

    return snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("scene", SCENES)
def test_dashboard(
    snap_compare: SnapCompare,
    frozen_sim: Simulator,
    tmp_path: Path,
    scene: str,
    size: tuple[int, int],
) -> None:
    assert snapshot(snap_compare, frozen_sim, tmp_path, SCENES[scene], size)


def test_fleet_view(snap_compare: SnapCompare, frozen_sim: Simulator, tmp_path: Path) -> None:
    """F: every number with state, health, score, progress, readiness and 10DLC."""
    shot = Shot("fleet", selected=HEALTHY, step=press("F"))
    assert snapshot(snap_compare, frozen_sim, tmp_path, shot, (120, 40), check_fit=False)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("scene", SEED_SCENES)
def test_dashboard_seed_shape(
    snap_compare: SnapCompare,
    frozen_seed_sim: Simulator,
    tmp_path: Path,
    scene: str,
    size: tuple[int, int],
) -> None:
    assert snapshot(snap_compare, frozen_seed_sim, tmp_path, SEED_SCENES[scene], size)


def test_no_color(
    snap_compare: SnapCompare,
    frozen_sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    shot = SCENES["healthy"]
    app = shot_app(shot, frozen_sim.base_url, tmp_path)
    # Textual reads (and removes) NO_COLOR when the app is created.
    assert app.no_color
    svgs: list[str] = []

    async def before(pilot: Any) -> None:
        await bind(shot.step, frozen_sim)(pilot)
        svgs.append(pilot.app.export_screenshot())

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
    fills = set(re.findall(r"fill: #([0-9a-f]{6})", svgs[0]))
    assert len(fills) > 2
    # Text without a colour of its own is drawn in the export theme's foreground.
    red, green, blue = SVG_EXPORT_THEME.foreground_color
    fills.discard(f"{red:02x}{green:02x}{blue:02x}")
    coloured = {fill for fill in fills if len({fill[0:2], fill[2:4], fill[4:6]}) > 1}
    assert not coloured, f"colours drawn with NO_COLOR set: {sorted(coloured)}"


_NOW_READS = re.compile(r"\b(?:datetime\.now|date\.today|datetime\.today|datetime\.utcnow)\(")


def test_every_wall_clock_reader_is_frozen() -> None:
    """A new ``datetime.now()`` in the UI would make these snapshots change every run.

    New code should call ``leadping_tui.times.clock.now_utc()``; until the
    existing readers do, each must be listed in ``TIME_READERS``.
    """
    package = Path(screenshots.__file__).parent.parent  # leadping_tui
    client = ("client", "error_mapping", "json_body", "streaming")  # the client and its parts
    sources = [*sorted((package / "ui").rglob("*.py"))]
    sources += [package / "api" / f"{name}.py" for name in client]
    sources.append(package / "times" / "timefmt.py")
    readers = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts)
        for path in sources
        if _NOW_READS.search(path.read_text(encoding="utf-8"))
    }
    assert readers <= set(screenshots.TIME_READERS)
