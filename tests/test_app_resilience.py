"""The app stays up: bugs in a fetch, tiny terminals, and saved preferences."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from app_harness import make_app, notices, wait_until, workers_done

from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.widgets.status_bar import StatusBar

HEALTHY = "+12025550101"


async def test_a_bug_during_a_fetch_becomes_a_message_with_copyable_details(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        good = screen.results[HEALTHY]

        async def broken(*_args: Any, **_kwargs: Any) -> Any:
            raise RuntimeError("boom in parsing")

        app.client.fetch = broken  # type: ignore[method-assign]
        await pilot.press("r")
        await workers_done(app)
        await pilot.pause()
        assert app.return_code is None
        assert screen.results[HEALTHY] is good
        state = screen.query_one(StatusBar).state
        assert state is not None
        assert "bug" in state.message and "C" in state.message
        await pilot.press("C")
        await pilot.pause()
        assert "RuntimeError: boom in parsing" in app.clipboard


async def test_resizing_to_tiny_and_back_never_crashes(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        for size in ((40, 12), (20, 6), (1, 1), (60, 20), (80, 24), (39, 30), (120, 40)):
            await pilot.resize_terminal(*size)
            too_small = app.screen.query_one("#too-small")
            expected = size[0] < 40 or size[1] < 12
            await wait_until(
                pilot,
                lambda notice=too_small, shown=expected: notice.display == shown,
                f"the too-small notice {'shown' if expected else 'hidden'} at {size}",
            )
        assert app.return_code is None
        assert app.screen.query_one("#body").display


async def test_theme_choice_is_saved(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        app.theme = "leadping-high-contrast"
        await pilot.pause()
    saved = tomllib.loads(app.runtime.paths.settings_file.read_text(encoding="utf-8"))
    assert saved["theme"] == "leadping-high-contrast"
    again = make_app(sim, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "leadping-high-contrast"


async def test_palette_offers_screen_and_sidebar_actions(sim: Any, tmp_path: Path) -> None:
    from leadping_tui.ui.commands import DashboardCommands

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)):
        await workers_done(app)
        provider = DashboardCommands(app.screen)
        titles = {hit.text async for hit in provider.discover()}
        assert {"Refresh", "Pause", "Raw JSON", "Export", "Add number", "Import org"} <= titles


async def test_copy_the_selected_number_and_an_event(sim: Any, tmp_path: Path) -> None:
    import json

    from leadping_tui.ui.dialogs.event_detail import EventDetailScreen
    from leadping_tui.ui.widgets.event_log import EventLog

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        await pilot.pause()
        await pilot.press("c")
        assert app.clipboard == HEALTHY
        app.screen.query_one(EventLog).table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen)
        await pilot.press("c")
        copied = json.loads(app.clipboard)
        assert copied["id"] == app.screen.event.id


async def test_clipboard_goes_through_tmux_when_inside_it(
    sim: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import base64

    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    written: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.write_escape = written.append  # type: ignore[method-assign]
        monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
        app.copy_to_clipboard(HEALTHY)
        monkeypatch.delenv("TMUX")
        app.copy_to_clipboard(HEALTHY)
        await pilot.pause()
    encoded = base64.b64encode(HEALTHY.encode()).decode()
    assert written[0].startswith("\x1bPtmux;\x1b\x1b]52;c;") and encoded in written[0]
    assert written[1] == f"\x1b]52;c;{encoded}\a"


async def test_e_exports_the_shown_status_into_the_chosen_folder(sim: Any, tmp_path: Path) -> None:
    from textual.widgets import Input

    from leadping_tui.ui.dialogs.export_dialog import ExportDialog

    app = make_app(sim, tmp_path / "app", watchlist=[HEALTHY])
    folder = tmp_path / "out [1]"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await workers_done(app)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_code is None
        said = [str(n.message) for n in notices(app)]
    written = sorted(path.name for path in folder.iterdir())
    assert len(written) == 3 and any(name.endswith("-events.csv") for name in written)
    assert any(str(folder) in message for message in said)


async def test_a_theme_change_in_the_app_keeps_the_users_comments(sim: Any, tmp_path: Path) -> None:
    commented = '# my settings\n\n# bright terminal at work\ntheme = "nord"  # for now\n'
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], settings_toml=commented)
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        app.theme = "leadping-high-contrast"
        await pilot.pause()
    text = app.runtime.paths.settings_file.read_text(encoding="utf-8")
    assert text == commented.replace('"nord"', '"leadping-high-contrast"')
