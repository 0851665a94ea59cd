"""The command palette's dashboard entries: every action once, and every watched number.

Actions come from :data:`~leadping_tui.ui.keymap.KEYS`, so the palette lists
each one once whatever has focus, and finds it by its other words too
("trend", "warmup", "alert", "window").  Numbers are found by any part of the
number or of the label.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean
from leadping_tui.ui import keymap

if TYPE_CHECKING:
    from leadping_tui.ui.screens.dashboard import DashboardScreen


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class DashboardCommands(Provider):
    """Actions and numbers of the dashboard."""

    def _dashboard(self) -> DashboardScreen | None:
        from leadping_tui.ui.screens.dashboard import DashboardScreen

        return self.screen if isinstance(self.screen, DashboardScreen) else None

    def _actions(self) -> list[tuple[keymap.KeySpec, Callable[[], object]]]:
        screen = self._dashboard()
        if screen is None:
            return []
        found: list[tuple[keymap.KeySpec, Callable[[], object]]] = []
        for spec in keymap.KEYS:
            if not spec.action or spec.owner == "widget":
                continue
            namespace = screen if spec.owner == "screen" else None
            found.append((spec, partial(self.app.run_action, spec.action, namespace)))
        return found

    def _numbers(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self._dashboard()
        if screen is None:
            return []
        found: list[tuple[str, str, Callable[[], object]]] = []
        for number, label in screen.labels.items():
            try:
                shown = format_number(number)
            except ValueError:
                shown = number
            title = f"Go to {clean(shown)}" + (f" · {clean(label, max_len=40)}" if label else "")
            found.append((number, title, partial(screen.jump_to, number)))
        return found

    async def discover(self) -> Hits:
        for spec, run in self._actions():
            yield DiscoveryHit(spec.description, run, help=_help(spec))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec, run in self._actions():
            words = f"{spec.description} {spec.help} {spec.words}"
            score = max(matcher.match(spec.description), matcher.match(words) * 0.8)
            if query.strip().lower() in words.lower():
                score = max(score, 0.9)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(spec.description),
                    run,
                    text=spec.description,
                    help=_help(spec),
                )
        needle = query.strip().lower()
        needle_digits = _digits(needle)
        for number, title, run in self._numbers():
            plain_hit = needle and needle in title.lower()
            digit_hit = len(needle_digits) >= 2 and needle_digits in _digits(number)
            score = 1.0 if plain_hit or digit_hit else matcher.match(title) * 0.5
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help="select it")


def _help(spec: keymap.KeySpec) -> str:
    return f"{spec.help} (key: {spec.display or spec.keys})"
