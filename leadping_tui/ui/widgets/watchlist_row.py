"""One watchlist sidebar row, as a Textual visual that lays itself out for its width."""

from __future__ import annotations

from typing import Protocol

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from leadping_tui.terminal.safe_text import clean
from leadping_tui.ui.styling import CONDITION_COMPONENT
from leadping_tui.ui.watchlist_view import RowState

LOADING_MARK = "…"
STALE_MARK = "~"
ALERT_MARK = "●"
SCORE_WIDTH = 4
MIN_LABEL_WIDTH = 3

MUTED = "watchlist-sidebar--muted"
ERROR = "watchlist-sidebar--error"
ALERT = "watchlist-sidebar--alert"


class RowStyler(Protocol):
    """What a row needs from its sidebar: the style of a named part."""

    def part_style(self, component: str) -> Style: ...


class SidebarRow(Visual):
    """One sidebar row, laid out for whatever width it is drawn at.

    ``✓ +1 202-555-0101 Sales line 1      87 ●``: condition mark, number,
    label (cut to fit), score or error right-aligned, a loading (``…``) or
    stale (``~``) mark, and the unseen-alert mark.
    """

    def __init__(
        self, sidebar: RowStyler, shown: str, label: str, state: RowState, number_width: int
    ) -> None:
        self._sidebar = sidebar
        self._shown = shown
        self._label = label
        self._state = state
        self._number_width = number_width

    @property
    def plain(self) -> str:
        """The whole row as plain text, label uncut (for tests and screen readers)."""
        return self.content(
            self.fixed_width + 1 + max(MIN_LABEL_WIDTH, cell_len(self._label))
        ).plain

    @property
    def fixed_width(self) -> int:
        return 2 + self._number_width + 1 + SCORE_WIDTH + 2

    def content(self, width: int) -> Content:
        state = self._state
        style = self._sidebar.part_style
        if state.mark:
            short = clean(state.mark, max_len=SCORE_WIDTH)
            tail = (short.rjust(SCORE_WIDTH), style(ERROR if state.mark == "gone" else ALERT))
        elif state.error:
            short = clean(state.error, max_len=SCORE_WIDTH)
            tail = (short.rjust(SCORE_WIDTH), style(ERROR))
        elif state.score is not None:
            tail = (f"{state.score:.0f}".rjust(SCORE_WIDTH), style(MUTED))
        else:
            tail = ("—".rjust(SCORE_WIDTH), style(MUTED))
        hint = LOADING_MARK if state.loading else STALE_MARK if state.stale else " "
        label_width = width - self.fixed_width - 1
        parts: list[str | Content | tuple[str, str | Style]] = [
            (state.condition.symbol, style(CONDITION_COMPONENT[state.condition])),
            " ",
            Content(self._shown).truncate(self._number_width, ellipsis=True, pad=True),
        ]
        if label_width >= MIN_LABEL_WIDTH:
            label = Content(self._label).truncate(label_width, ellipsis=True, pad=True)
            parts += [" ", label]
        elif label_width > -1:
            parts.append(" " * (label_width + 1))
        alert = (ALERT_MARK, style(ALERT)) if state.alert else (" ", "")
        parts += [" ", tail, (hint, style(MUTED)), alert]
        return Content.assemble(*parts)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content(width).truncate(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.fixed_width + 1 + min(cell_len(self._label), 16)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1
