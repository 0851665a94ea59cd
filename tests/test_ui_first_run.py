"""The first-run screen: where the key goes, the demo, quitting, and entering a key."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from app_harness import notices
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

from leadping_tui.store.paths import AppPaths
from leadping_tui.ui.screens.first_run import FirstRunScreen
from leadping_tui.ui.stylesheet import stylesheet_path

SECRET = "sk_live_abcdefgh12345678"
_OPEN = object()


class FirstRunHarness(App[None]):
    CSS_PATH = stylesheet_path()

    def __init__(self, settings_path: Path) -> None:
        super().__init__()
        self.settings_path = settings_path
        self.result: object = _OPEN

    def compose(self) -> ComposeResult:
        yield Static("dashboard")

    def on_mount(self) -> None:
        self.push_screen(FirstRunScreen(self.settings_path), self._done)

    def _done(self, result: object) -> None:
        self.result = result


def text_of(widget: Widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size)))


def screen_text(app: App[None]) -> str:
    return "\n".join(text_of(widget) for widget in app.screen.query("Static, Input"))


def saved(path: Path) -> tuple[str | None, int]:
    """The API key in the settings file and the file's mode (None, 0 if there is no file)."""
    if not path.exists():
        return None, 0
    return tomllib.loads(path.read_text())["api_key"], stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings_path() -> Path:
    # The conftest points XDG_CONFIG_HOME at a temporary directory.
    return AppPaths.default().settings_file


@pytest.mark.parametrize(("key", "choice"), [("d", "demo"), ("q", "quit")])
async def test_shows_the_real_settings_path_and_returns_the_choice(
    settings_path: Path, key: str, choice: str
) -> None:
    app = FirstRunHarness(settings_path)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = screen_text(app)
        # A long path may fold at the screen edge; it is still shown whole.
        assert str(settings_path) in "".join(shown.split())
        assert "export LEADPING_API_KEY=sk_..." in shown
        assert "0600" in shown
        await pilot.press(key)
        await pilot.pause()
    assert app.result == choice
    assert saved(settings_path) == (None, 0)


async def test_typed_key_is_masked_saved_0600_and_confirmed_only_in_short(
    settings_path: Path,
) -> None:
    app = FirstRunHarness(settings_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k")
        await pilot.pause()
        key_input = app.screen.query_one("#api-key", Input)
        assert key_input.has_focus and key_input.password
        # d and q typed into the key go into the key, they do not leave the screen.
        await pilot.press(*SECRET, "d", "q")
        await pilot.pause()
        assert key_input.value == SECRET + "dq"
        shown = screen_text(app)
        assert SECRET[3:10] not in shown
        assert "•" * 10 in shown
        await pilot.press("backspace", "backspace", "enter")
        await pilot.pause()
        said = [notification.message for notification in notices(app)]
    assert app.result == "key"
    assert saved(settings_path) == (SECRET, 0o600)
    assert any("sk_…5678" in notice for notice in said)
    assert not any(SECRET in notice for notice in said)


async def test_empty_key_is_refused_and_escape_goes_back(settings_path: Path) -> None:
    app = FirstRunHarness(settings_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k", "enter")
        await pilot.pause()
        assert "Paste or type your API key" in text_of(app.screen.query_one("#key-error"))
        await pilot.press("s", "k", "escape")
        await pilot.pause()
        assert app.screen.query_one("#api-key", Input).value == ""
        assert not app.screen.query_one("#key-entry").display
        await pilot.press("q")
        await pilot.pause()
    assert app.result == "quit"
    assert saved(settings_path) == (None, 0)


async def test_unwritable_settings_file_says_so_without_the_key(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    app = FirstRunHarness(blocker / "settings.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k")
        app.screen.query_one("#api-key", Input).value = SECRET
        await pilot.press("enter")
        await pilot.pause()
        error = text_of(app.screen.query_one("#key-error"))
        assert isinstance(app.screen, FirstRunScreen)
    assert app.result is _OPEN
    assert error.strip()
    assert SECRET not in error
