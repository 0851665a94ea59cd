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
LABEL_ROOM = 8
# A label gets a line of its own, indented under the number, once that line
# has this much room; narrower, it shares the first line and shrinks first.
LABEL_INDENT = 2
MIN_WRAPPED_LABEL = 8

# What a state word becomes when the row is too narrow for it: still a word.
SHORT_WORDS = {
    "needs attention": "Attention",
    "in progress": "Warming",
    "not started": "New",
    "unknown number": "not found",
    "rate limited": "429",
    "completed": "Done",
    "not read yet": "waiting",
}

_KEPT_RENDERS = 4
"""Renders kept per row: plain, highlighted, hovered, and one more (a width change)."""

MUTED = "watchlist-sidebar--muted"
ERROR = "watchlist-sidebar--error"
ALERT = "watchlist-sidebar--alert"


class RowStyler(Protocol):
    """What a row needs from its sidebar: the style of a named part.

    ``style_generation`` changes whenever a part's style may have changed
    (a theme switch): a row's drawn lines are kept until it does.
    """

    @property
    def style_generation(self) -> int: ...

    def part_style(self, component: str) -> Style: ...


class SidebarRow(Visual):
    """One sidebar row, laid out for whatever width it is drawn at.

    ``✓ +1 202-555-0101 Ready · Sales line 1   87 ●``: condition mark,
    number, the state in words (or why the data is not fresh: ``offline``),
    the label, the score right-aligned, a loading (``…``) or stale (``~``)
    mark and the unseen-alert mark.  The label has a second line of its
    own, under the number, so it is read whole.  When the row is too narrow
    for that, the label shares the first line and shrinks first, then the
    score goes; the state word is cut last.
    """

    def __init__(
        self, sidebar: RowStyler, shown: str, label: str, state: RowState, number_width: int
    ) -> None:
        self._sidebar = sidebar
        self._shown = shown
        self._label = label
        self._state = state
        self._number_width = number_width
        # Drawn lines by (width, height, base style, style generation): a row is
        # the same visual until its state changes, and OptionList forgets its own
        # renders on every re-sort, filter keystroke and resize.
        self._strips: dict[tuple[int, int | None, Style, int], list[Strip]] = {}

    @property
    def word(self) -> str:
        state = self._state
        return clean(state.error or state.word or state.condition.word, max_len=24)

    @property
    def plain(self) -> str:
        """The whole row as plain text, label uncut (for tests and screen readers)."""
        return self.content(self.fixed_width + 1 + cell_len(self._text_wanted())).plain

    @property
    def fixed_width(self) -> int:
        return 2 + self._number_width + 1 + SCORE_WIDTH + 2

    def _fit_word(self, area: int, *, keep_tail: bool, label: bool) -> tuple[str, bool]:
        """The state word to show, and whether the score still fits beside it.

        A label keeps some room while the short word allows it; then the
        label gives way, then the score, then the word takes its short form,
        and only then is it cut.
        """
        long = self.word
        short = SHORT_WORDS.get(long.lower(), long)
        if label:
            room = min(LABEL_ROOM, cell_len(self._label))
            for word in (long, short):
                if cell_len(word) + 3 + room <= area:
                    return word, True
        for word in (long, short):
            if cell_len(word) <= area:
                return word, True
        if keep_tail:
            return short, True
        for word in (long, short):
            if cell_len(word) <= area + SCORE_WIDTH + 1:
                return word, False
        return short, False

    def _text_wanted(self) -> str:
        return f"{self.word} · {self._label}" if self._label else self.word

    def _label_wraps(self, width: int) -> bool:
        """Whether the label has a line of its own at ``width`` (when there is one)."""
        return bool(self._label) and width - LABEL_INDENT >= MIN_WRAPPED_LABEL

    def content(self, width: int, *, inline_label: bool = True) -> Content:
        state = self._state
        style = self._sidebar.part_style
        if state.mark:
            short = clean(state.mark, max_len=SCORE_WIDTH)
            tail = (short.rjust(SCORE_WIDTH), style(ERROR if state.mark == "gone" else ALERT))
        elif state.score is not None:
            tail = (f"{state.score:.0f}".rjust(SCORE_WIDTH), style(MUTED))
        else:
            tail = ("—".rjust(SCORE_WIDTH), style(MUTED))
        hint = LOADING_MARK if state.loading else STALE_MARK if state.stale else " "
        area = width - self.fixed_width - 1
        inline_label = inline_label and bool(self._label)
        word, show_tail = self._fit_word(area, keep_tail=state.mark is not None, label=inline_label)
        if not show_tail:
            area += SCORE_WIDTH + 1
        word_style = style(ERROR) if state.error else style(CONDITION_COMPONENT[state.condition])
        text = Content.styled(word, word_style)
        room_for_label = area - cell_len(word) - 3
        if inline_label and room_for_label >= MIN_LABEL_WIDTH:
            label = Content(self._label).truncate(room_for_label, ellipsis=True)
            text = Content.assemble(text, (" · ", style(MUTED)), label)
        parts: list[str | Content | tuple[str, str | Style]] = [
            (state.condition.symbol, style(CONDITION_COMPONENT[state.condition])),
            " ",
            Content(self._shown).truncate(self._number_width, ellipsis=True, pad=True),
        ]
        if area > 0:
            parts += [" ", text.truncate(area, ellipsis=True, pad=True)]
        alert = (ALERT_MARK, style(ALERT)) if state.alert else (" ", "")
        if show_tail:
            parts += [" ", tail]
        parts += [(hint, style(MUTED)), alert]
        return Content.assemble(*parts)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None:
            return self._render(width, height, style, options)
        key = (width, height, style, self._sidebar.style_generation)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= _KEPT_RENDERS:
                self._strips.clear()
            strips = self._strips[key] = self._render(width, height, style, options)
        return strips

    def _render(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not self._label_wraps(width):
            return self.content(width).truncate(width).render_strips(width, height, style, options)
        first = self.content(width, inline_label=False).truncate(width)
        label = Content(self._label).truncate(width - LABEL_INDENT, ellipsis=True)
        second = Content.assemble(" " * LABEL_INDENT, label).truncate(width, pad=True)
        return [
            *first.render_strips(width, 1, style, options),
            *second.render_strips(width, 1, style, options),
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.fixed_width + 1 + min(cell_len(self._text_wanted()), 32)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 2 if self._label_wraps(width) else 1
