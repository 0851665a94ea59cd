"""The add-number, edit-label, confirm and date-range dialogs, driven with real keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from leadping_tui.api.query import WINDOW_PRESETS, StatusQuery, build_query
from leadping_tui.phone import InvalidNumber, format_number, normalize_number
from leadping_tui.ui.dialogs.add_number import AddNumberDialog
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.dialogs.date_range import DateRangeDialog
from leadping_tui.ui.dialogs.edit_label import EditLabelDialog
from leadping_tui.ui.stylesheet import stylesheet_path

TODAY = date(2026, 11, 27)
_OPEN = object()


class DialogHarness(App[None]):
    """Pushes one dialog on start and records what it dismisses with."""

    CSS_PATH = stylesheet_path()

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = _OPEN

    def compose(self) -> ComposeResult:
        yield Static("behind the dialog")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._done)

    def _done(self, result: object) -> None:
        self.result = result


def text_of(widget: Widget) -> str:
    """What a widget shows on screen, as plain text."""
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size)))


def error_text(app: App[None]) -> str:
    return text_of(app.screen.query_one("#error", Static)).strip()


async def type_into(pilot: Any, text: str) -> None:
    await pilot.press(*text)


# -- add number ---------------------------------------------------------------


async def test_add_valid_number_is_normalised_and_keeps_the_label() -> None:
    app = DialogHarness(AddNumberDialog(existing=["+12025550101"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "(202) 555-0107")
        await pilot.pause()
        preview = text_of(app.screen.query_one("#preview", Static))
        assert format_number("+12025550107") in preview
        await pilot.press("tab")
        await type_into(pilot, "Sales 7")
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ("+12025550107", "Sales 7")


@pytest.mark.parametrize("typed", ["202-555-01", "202 CALL NOW", "+99 1234"])
async def test_rejected_number_shows_the_reason_and_stays_open(typed: str) -> None:
    with pytest.raises(InvalidNumber) as rejected:
        normalize_number(typed)
    app = DialogHarness(AddNumberDialog(existing=[]))
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#number", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddNumberDialog)
        assert str(rejected.value).rstrip(".") in error_text(app)
        assert app.screen.query_one("#number", Input).value == typed
        # Fixing the number clears the complaint as the user types.
        number_input = app.screen.query_one("#number", Input)
        number_input.value = ""
        await type_into(pilot, "2025550108")
        await pilot.pause()
        assert error_text(app) == ""
    assert app.result is _OPEN


async def test_duplicate_number_is_refused_politely() -> None:
    app = DialogHarness(AddNumberDialog(existing=["+12025550101"]))
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#number", Input).value = "+1 202 555 0101"
        await pilot.pause()
        # Said as soon as the number is complete, before Enter.
        assert "already on your watchlist" in error_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddNumberDialog)
        assert f"{format_number('+12025550101')} is already on your watchlist" in error_text(app)
    assert app.result is _OPEN


async def test_empty_submit_asks_for_a_number_and_escape_cancels() -> None:
    app = DialogHarness(AddNumberDialog(existing=[]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Type a phone number" in error_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


# -- edit label ---------------------------------------------------------------


async def test_edit_label_returns_the_new_label() -> None:
    app = DialogHarness(EditLabelDialog("+12025550101", "Sales 1"))
    async with app.run_test(size=(100, 30)) as pilot:
        label_input = app.screen.query_one("#label", Input)
        assert label_input.value == "Sales 1"
        label_input.value = ""
        await type_into(pilot, "Support")
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Support"


async def test_edit_label_escape_returns_none_and_hostile_text_is_literal() -> None:
    app = DialogHarness(EditLabelDialog("+12025550101", "[red]x[/red]"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.screen.query_one("#label", Input).value == "[red]x[/red]"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


# -- confirm ------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "expected"), [("y", True), ("n", False), ("escape", False)])
async def test_confirm_keys(keys: str, expected: bool) -> None:
    app = DialogHarness(ConfirmDialog("Remove +1 202-555-0101 (Sales 1) from the watchlist?"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(keys)
        await pilot.pause()
    assert app.result is expected


async def test_confirm_enter_presses_the_yes_button_and_shows_markup_literally() -> None:
    app = DialogHarness(ConfirmDialog("Remove [@click=app.quit]boom[/] ?", yes="Remove"))
    async with app.run_test(size=(100, 30)) as pilot:
        message = text_of(app.screen.query_one("#message", Static))
        assert "[@click=app.quit]boom[/]" in message
        assert str(app.screen.query_one("#yes", Button).label) == "Remove"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result is True


# -- date range ---------------------------------------------------------------


async def _submit_range(start: str, end: str, *, days: str = "") -> tuple[object, str]:
    app = DialogHarness(DateRangeDialog(StatusQuery.range(date(2026, 11, 1), TODAY), TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.query_one("#start", Input).value = start
        screen.query_one("#end", Input).value = end
        await pilot.pause()  # editing the dates clears the days field; type days after that
        screen.query_one("#days", Input).value = days
        screen.query_one("#end", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        message = error_text(app) if app.result is _OPEN else ""
        still_open = isinstance(app.screen, DateRangeDialog)
    assert still_open == (app.result is _OPEN)
    return app.result, message


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-02-30", "2026-03-05", "2026-02-30' is not a real calendar date"),
        ("2026/11/01", "2026-11-07", "is not in the form YYYY-MM-DD"),
        ("2026-11-20", "2026-11-10", "end date 2026-11-10 is before the start date 2026-11-20"),
        ("", "", "Type a start and an end date"),
    ],
)
async def test_date_range_names_each_problem_and_sends_nothing(
    start: str, end: str, expected: str
) -> None:
    result, message = await _submit_range(start, end)
    assert result is _OPEN
    assert expected in message


async def test_date_range_valid_range_and_window() -> None:
    result, _ = await _submit_range("2026-11-01", "2026-11-14")
    assert result == StatusQuery.range(date(2026, 11, 1), date(2026, 11, 14))
    result, _ = await _submit_range("2026-11-01", "2026-11-14", days="30")
    assert result == StatusQuery.window(30)
    result, message = await _submit_range("", "", days="0")
    assert result is _OPEN
    assert "at least 1 day" in message


@pytest.mark.parametrize(
    ("days", "start", "end"),
    [
        ("400", "", ""),
        ("366", "", ""),
        ("", "2024-01-01", "2026-11-01"),
        ("", "2026-11-20", "2026-12-05"),  # a future end date
        ("", "2026-12-01", "2026-12-05"),  # a future start
        ("", "2009-01-01", "2009-01-31"),
    ],
)
async def test_date_range_sends_what_the_cli_would_and_lets_the_api_judge(
    days: str, start: str, end: str
) -> None:
    result, message = await _submit_range(start, end, days=days)
    # One set of rules: exactly the query the CLI's flags build from the same text.
    assert result == build_query(window_days=days, start=start, end=end), message


async def test_date_range_offers_the_same_presets_as_w_including_one_day() -> None:
    app = DialogHarness(DateRangeDialog(StatusQuery.window(7), TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        offered = [button.id for button in app.screen.query(".preset")]
        assert offered == [f"preset-{days}" for days in WINDOW_PRESETS]
        assert "preset-1" in offered
        await pilot.click("#preset-1")
        await pilot.pause()
    assert app.result == StatusQuery.window(1)


async def test_date_range_prefills_the_window_and_offers_presets() -> None:
    app = DialogHarness(DateRangeDialog(StatusQuery.window(7), TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert screen.query_one("#days", Input).value == "7"
        assert screen.query_one("#start", Input).value == "2026-11-21"
        assert screen.query_one("#end", Input).value == "2026-11-27"
        # Typing a date means a range is wanted: the days field steps aside.
        screen.query_one("#start", Input).focus()
        await pilot.press("backspace", "0")
        await pilot.pause()
        assert screen.query_one("#days", Input).value == ""
        await pilot.click("#preset-30")
        await pilot.pause()
    assert app.result == StatusQuery.window(30)


async def test_date_range_typing_days_and_escape() -> None:
    app = DialogHarness(DateRangeDialog(StatusQuery(), TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#days", Input).focus()
        await pilot.press("1", "4", "enter")
        await pilot.pause()
    assert app.result == StatusQuery.window(14)

    app = DialogHarness(DateRangeDialog(StatusQuery.window(30), TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
