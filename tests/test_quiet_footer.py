"""QuietFooter shows what Textual's Footer shows, and recomposes only for a change."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from leadping_tui.ui.textual_compat import FooterKey
from leadping_tui.ui.widgets.quiet_footer import QuietFooter


class Plain(Static, can_focus=True):
    """Focusable, with no keys of its own."""


class Keyed(Static, can_focus=True):
    BINDINGS = [Binding("x", "noop", "Extra key", id="test.extra")]

    def action_noop(self) -> None:
        pass


class Keys(App[None]):
    BINDINGS = [
        Binding("a", "noop", "Add", id="test.add"),
        Binding("q", "quit", "Quit", id="test.quit"),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer_type = footer

    def compose(self) -> ComposeResult:
        yield Plain("one", id="one")
        yield Plain("two", id="two")
        yield Keyed("three", id="three")
        yield self.footer_type()

    def action_noop(self) -> None:
        pass


def keys(app: App[Any]) -> list[tuple[str, str, frozenset[str]]]:
    return [
        (key.key, key.description, frozenset(key.classes)) for key in app.screen.query(FooterKey)
    ]


async def shown(footer: type[Footer], focus: str) -> list[tuple[str, str, frozenset[str]]]:
    app = Keys(footer)
    async with app.run_test(size=(100, 10)) as pilot:
        app.screen.query_one(f"#{focus}").focus()
        await pilot.pause()
        await pilot.pause()
        return keys(app)


async def test_it_shows_the_keys_and_classes_textuals_footer_shows() -> None:
    for focus in ("one", "three"):
        expected = await shown(Footer, focus)
        assert expected, "Textual's footer showed no keys"
        assert await shown(QuietFooter, focus) == expected


async def test_a_focus_move_that_changes_no_key_keeps_the_keys_and_a_new_key_recomposes() -> None:
    app = Keys(QuietFooter)
    async with app.run_test(size=(100, 10)) as pilot:
        app.screen.query_one("#one").focus()
        await pilot.pause()
        await pilot.pause()
        before = list(app.screen.query(FooterKey))
        assert [key.description for key in before][:2] == ["Add", "Quit"]

        app.screen.query_one("#two").focus()
        await pilot.pause()
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == before, "recomposed for the same keys"

        app.screen.query_one("#three").focus()
        for _ in range(50):
            await pilot.pause()
            if "Extra key" in [key.description for key in app.screen.query(FooterKey)]:
                break
        assert "Extra key" in [key.description for key in app.screen.query(FooterKey)]
