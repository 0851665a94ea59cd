"""One keyboard model: dashboard keys work whatever has focus, one key per action.

Driven with real keys against the simulator over loopback HTTP.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from app_harness import (
    dashboard,
    drawn,
    make_app,
    on_fake_clock,
    settle,
    wait_until,
    workers_done,
)
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input

from leadping_tui.ui import keymap
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.add_number import AddNumberDialog
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.dialogs.edit_label import EditLabelDialog
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.screens.help import HelpScreen
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

HEALTHY, ATTENTION = "+12025550101", "+12025550102"
README = Path(__file__).resolve().parent.parent / "README.md"


async def wait_for(pilot: Pilot[int], condition: Any, what: str) -> None:
    # A deadline, not a count of pauses: 200 bare pauses can pass in well
    # under a second on a fast machine and be too few on a loaded one.
    await wait_until(pilot, condition, what)


async def back_to_dashboard(app: LeadPingApp, pilot: Pilot[int]) -> None:
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")


# Ways of moving the focus away from the sidebar that used to make a, l and Delete dead.
FOCUS_MOVES = {
    "filter then escape": ("slash", "escape"),
    "timeline": ("T",),
    "alerts": ("A",),
    "tab": ("tab",),
    "sidebar hidden": ("s",),
    "sidebar hidden and shown": ("s", "s"),
    "warmup actions": ("2",),
}


@pytest.mark.parametrize("moves", FOCUS_MOVES.values(), ids=FOCUS_MOVES.keys())
async def test_watchlist_keys_work_whatever_has_focus(
    sim: Any, tmp_path: Path, moves: tuple[str, ...]
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, ATTENTION])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*moves)
        if moves != ("s", "s"):  # that one gives the focus back to the list
            # A tab's table takes the focus once it is mounted: wait for that.
            await wait_for(
                pilot,
                lambda: not isinstance(app.focused, WatchlistSidebar),
                "the focus to leave the sidebar",
            )
        await drawn(app, pilot)
        for key, dialog in (("a", AddNumberDialog), ("l", EditLabelDialog)):
            await pilot.press(key)
            await wait_for(pilot, lambda d=dialog: isinstance(app.screen, d), dialog.__name__)
            await back_to_dashboard(app, pilot)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the remove question")
        await pilot.press("y")
        await settle(app, pilot)
        assert dashboard(app).labels.keys() == {ATTENTION}


async def test_typing_in_the_event_filter_is_not_taken_for_keys(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#events-filter", Input)
        await wait_for(pilot, lambda: box.has_focus, "the filter box to take the focus")
        await pilot.press(*"alarm", "delete")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert box.value == "alarm"
        assert dashboard(app).labels.keys() == {HEALTHY}


def our_widget_bindings() -> list[Any]:
    """Bindings our own widgets declare (not inherited from Textual), on the dashboard."""
    from leadping_tui.ui.widgets import actions_table, history_tables, raw_view, stable_table

    owners = [
        EventLog,
        WatchlistSidebar,
        stable_table.StableTable,
        actions_table.ActionsTable,
        history_tables.TimelineTable,
        history_tables.AlertsTable,
        raw_view.RawView,
    ]
    return [binding for owner in owners for binding in owner.__dict__.get("BINDINGS", [])]


def test_no_key_means_two_things() -> None:
    assert keymap.clashes({}, our_widget_bindings()) == []
    # Every binding on the dashboard comes from the keymap, with an id.
    for binding in [*DashboardScreen.BINDINGS, *LeadPingApp.BINDINGS]:
        assert getattr(binding, "id", None) in keymap.SPECS, binding


@pytest.mark.parametrize(
    ("overrides", "clash"),
    [
        ({"refresh": "a"}, "a is bound to watchlist.add and refresh"),
        ({"trends.span": "delete"}, "delete is bound to watchlist.remove and trends.span"),
        ({"pause": "tab"}, "tab is reserved"),
        ({"pause": "ctrl+c"}, "ctrl+c is reserved"),
    ],
)
def test_a_remapping_that_reuses_a_key_is_a_clash(overrides: dict[str, str], clash: str) -> None:
    found = keymap.clashes(overrides)
    assert any(clash in problem for problem in found), found


async def test_a_clashing_remap_is_refused_with_a_notice_and_both_keys_keep_working(
    sim: Any, tmp_path: Path
) -> None:
    settings = '[keys]\nrefresh = "a"\n"window.next" = "n"\n'
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], settings_toml=settings)
    on_fake_clock(app)
    notices: list[str] = []
    original = app.notify

    def record(message: str, **kwargs: Any) -> None:
        notices.append(message)
        original(message, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert any("refresh" in notice and "ignored" in notice for notice in notices), notices
        await pilot.press("n")
        await settle(app, pilot)
        assert dashboard(app).window_query.window_days == 14
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AddNumberDialog), "the add dialog")


async def test_ctrl_c_quits_with_exit_code_zero(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not app.is_running, "the app to stop")
    assert app.return_code == 0


FRAMEWORK_WORDS = ("Scroll", "Page", "Focus Next", "Focus Previous", "Copy selected text")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_question_mark_shows_this_apps_keys_and_the_footer_keeps_it(
    sim: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("2")  # focus a table: its keys come first in the footer
        await drawn(app, pilot)  # the footer recomposes after a frame, then is laid out
        footer = app.screen.query_one(Footer)
        shown = [key for key in footer.query("FooterKey") if key.region.right <= size[0]]
        assert any(getattr(key, "key", "") == "question_mark" for key in shown), (
            "the footer no longer shows ?"
        )
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = help_screen.help_text()
        assert rows == keymap.help_rows()
        text = " ".join(f"{keys} {what}" for _group, keys, what in rows)
        for word in FRAMEWORK_WORDS:
            assert word not in text
        for needed in ("add a number", "quit", "trends", "warmup actions", "Ctrl+C"):
            assert needed in text
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")


def readme_key_table() -> str:
    text = README.read_text("utf-8")
    section = text.split("### Keys", 1)[1]
    table = re.search(r"(\|.*\|\n)+", section)
    assert table is not None, "no key table under ### Keys in the README"
    return table.group(0).strip()


def test_the_readme_key_table_is_the_help_screens() -> None:
    assert readme_key_table() == keymap.markdown_table(), (
        "README's key table differs from the ? screen; paste keymap.markdown_table() into it"
    )


async def palette_titles(app: LeadPingApp, pilot: Pilot[int], query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    palette: Screen[Any] = app.screen
    await pilot.press(*query)
    commands = palette.query_one(CommandList)

    def titles() -> list[str]:
        return [str(option.prompt).split("\n")[0] for option in commands.options]

    await wait_for(pilot, lambda: bool(titles()), f"hits for {query!r}")
    # Results stream in from the palette's search worker (one per keystroke,
    # each replacing the last): the list is whole once that worker is done.
    await workers_done(app)
    await pilot.pause()
    found = titles()
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    return found


@pytest.mark.parametrize("focus_moves", [(), ("2",), ("slash", "escape")])
async def test_the_palette_lists_each_action_once_whatever_has_focus(
    sim: Any, tmp_path: Path, focus_moves: tuple[str, ...]
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*focus_moves)
        found = await palette_titles(app, pilot, "add")
        adds = [title for title in found if title.startswith("Add")]
        assert adds == ["Add number"], found


async def search(app: LeadPingApp, query: str) -> list[str]:
    from leadping_tui.ui.commands import DashboardCommands

    provider = DashboardCommands(app.screen)
    return [hit.text or "" async for hit in provider.search(query)]


async def test_the_palette_finds_actions_by_their_words_and_numbers_by_digits_or_label(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, ATTENTION])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "Trends 24h/7d" in await search(app, "trend")
        assert "Warmup actions" in await search(app, "warmup")
        assert "Alert log" in await search(app, "alert")
        assert "Window+" in await search(app, "window")
        by_digits = [t for t in await search(app, "0102") if t.startswith("Go to")]
        assert by_digits == ["Go to +1 202-555-0102 · Line 2"], by_digits
        by_label = [t for t in await search(app, "line 1") if t.startswith("Go to")]
        assert by_label == ["Go to +1 202-555-0101 · Line 1"], by_label
        titles = await palette_titles(app, pilot, "0102")
        assert titles[0].startswith("Go to +1 202-555-0102"), titles
        await pilot.press("ctrl+p", *"0102", "enter")
        await wait_for(pilot, lambda: dashboard(app).selected == ATTENTION, "the jump")
