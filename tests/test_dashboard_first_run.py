"""Starting the real app: no key yet (first run, demo, quit), broken settings, damaged watchlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app_harness import dashboard, make_app, settle, write_watchlist
from app_harness import notices as recorded
from textual.content import Content
from textual.widgets import Static

from leadping_tui.demo.session import DEMO_NUMBERS
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens.first_run import FirstRunScreen
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

SIZE = (120, 40)


def screen_text(app: LeadPingApp) -> str:
    return "\n".join(str(static.content) for static in app.screen.query(Static))


def notices(app: LeadPingApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in recorded(app)]


async def test_without_a_key_the_first_run_screen_says_where_the_key_goes(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=["+12025550101"], api_key=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        text = screen_text(app)
        assert "LEADPING_API_KEY" in text
        assert str(app.runtime.paths.settings_file) in text
        assert str(tmp_path) in str(app.runtime.paths.settings_file)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert sim.requests == [], "nothing is fetched without a key"


async def test_d_on_the_first_run_screen_starts_the_demo(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=["+12025550101"], api_key=None)
    user_watchlist = app.runtime.paths.watchlist_file
    before = user_watchlist.read_text("utf-8")
    demo: Any = None
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FirstRunScreen)
            await pilot.press("d")
            await settle(app, pilot)
            demo = app.config.demo_session
            assert demo is not None and demo.simulator.running
            screen = dashboard(app)
            demo_numbers = [number for number, _label in DEMO_NUMBERS]
            assert list(screen.labels) == demo_numbers
            assert (
                screen.query_one(WatchlistSidebar).border_title
                == f"Watchlist ({len(demo_numbers)})"
            )
            assert screen.selected == demo_numbers[0]
            assert demo_numbers[0] in screen.results
            assert "/100" in screen.query_one(HealthPanel).plain
            # Served by the demo's own simulator, never the user's API or files.
            assert {r.number for r in demo.simulator.requests} >= {demo_numbers[0]}
            assert sim.requests == []
            assert app.runtime.paths.watchlist_file != user_watchlist
            assert user_watchlist.read_text("utf-8") == before
            demo_root = demo.root
            assert app.runtime.paths.watchlist_file.is_relative_to(demo_root)
    finally:
        if demo is not None:
            demo.stop()
    assert demo is not None and not demo.simulator.running
    # Quitting stopped the demo and removed its throwaway files.
    assert not demo_root.exists()


async def test_a_broken_settings_file_starts_on_defaults_and_says_where(
    sim: Any, tmp_path: Path
) -> None:
    broken = "default_window_days = 30\nrefresh_seconds = [oops\n"
    app = make_app(sim, tmp_path, watchlist=["+12025550101"], settings_toml=broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert "+12025550101" in screen.results
        # A file that is not TOML is not half-applied: every setting is the default.
        assert screen.window_query.window_days == 7
        assert [r.query for r in sim.requests] == [{"windowDays": "7"}]
        said = notices(app)
        assert len(said) == 1, said
        assert "settings.toml:2" in said[0]
        assert "using defaults" in said[0]
        assert app.runtime.paths.settings_file.read_text("utf-8") == broken, "left as it is"


async def test_a_damaged_watchlist_is_moved_aside_and_its_numbers_kept(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path)
    path = app.runtime.paths.watchlist_file
    write_watchlist(app.runtime.paths, ["+12025550101", "+12025550105"])
    damaged = path.read_text("utf-8")[:-20]  # cut off mid-file, as after a crash
    path.write_text(damaged, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert list(screen.labels) == ["+12025550101", "+12025550105"]
        assert screen.selected == "+12025550101"
        assert "+12025550101" in screen.results
        backups = list(path.parent.glob(f"{path.name}.broken-*"))
        assert len(backups) == 1
        assert backups[0].read_text("utf-8") == damaged
        said = notices(app)
        assert len(said) == 1, said
        assert str(backups[0]) in said[0]
        assert "Recovered 2 number(s)" in said[0]
        kept = json.loads(path.read_text("utf-8"))
        assert [entry["number"] for entry in kept["entries"]] == ["+12025550101", "+12025550105"]


async def test_notices_quote_file_contents_literally(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path)
    path = app.runtime.paths.watchlist_file
    path.parent.mkdir(parents=True)
    entries = [{"number": "[/red]"}, {"number": "+12025550101", "label": "[b]x"}]
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    # With toasts on: a notice read as markup used to crash the app here.
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.is_running
        assert list(dashboard(app).labels) == ["+12025550101"]
        toasts = app.screen.query("Toast")
        assert len(toasts) == 1
        shown = toasts.first().render()
        assert isinstance(shown, Content)
        assert '("[/red]")' in shown.plain
        assert "[b]x" in dashboard(app).query_one(WatchlistSidebar).row_text("+12025550101")
