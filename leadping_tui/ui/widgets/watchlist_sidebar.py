"""The watchlist sidebar: every watched number with its condition, score and alerts.

An :class:`~textual.widgets.OptionList` with one option per number (the
option id is the E.164 number). Rows are drawn by :class:`_Row`, a small
visual that lays itself out for the width it is given, so a resize or a
highlight move never rebuilds the options, and a status update replaces just
its own row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from leadping_tui.api.condition import Condition
from leadping_tui.phone import format_number
from leadping_tui.safe_text import clean
from leadping_tui.store.watchlist import Watchlist, WatchlistError
from leadping_tui.ui.dialogs.add_number import AddNumberDialog, NewEntry
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.dialogs.edit_label import EditLabelDialog
from leadping_tui.ui.styling import CONDITION_COMPONENT, CONDITION_COMPONENTS

EMPTY_HINT = "No numbers yet — press a to add one"
LOADING_MARK = "…"
STALE_MARK = "~"
ALERT_MARK = "●"
_MAX_NUMBER_WIDTH = 20
_SCORE_WIDTH = 4
_MIN_LABEL_WIDTH = 3

_MUTED = "watchlist-sidebar--muted"
_ERROR = "watchlist-sidebar--error"
_ALERT = "watchlist-sidebar--alert"


@dataclass(frozen=True)
class RowState:
    """What the sidebar shows about one number besides the number and its label."""

    condition: Condition = Condition.UNKNOWN
    score: float | None = None
    loading: bool = False
    stale: bool = False
    alert: bool = False
    """An alert the user has not seen yet."""
    error: str | None = None
    """Short text shown in place of the score, e.g. ``"404"``."""


_BLANK_STATE = RowState()


class _Row(Visual):
    """One sidebar row, laid out for whatever width it is drawn at.

    ``✓ +1 202-555-0101 Sales line 1      87 ●``: condition mark, number,
    label (cut to fit), score or error right-aligned, a loading (``…``) or
    stale (``~``) mark, and the unseen-alert mark.
    """

    def __init__(
        self, sidebar: WatchlistSidebar, shown: str, label: str, state: RowState, number_width: int
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
            self.fixed_width + 1 + max(_MIN_LABEL_WIDTH, cell_len(self._label))
        ).plain

    @property
    def fixed_width(self) -> int:
        return 2 + self._number_width + 1 + _SCORE_WIDTH + 2

    def content(self, width: int) -> Content:
        state = self._state
        style = self._sidebar.part_style
        if state.error:
            short = clean(state.error, max_len=_SCORE_WIDTH)
            tail = (short.rjust(_SCORE_WIDTH), style(_ERROR))
        elif state.score is not None:
            tail = (f"{state.score:.0f}".rjust(_SCORE_WIDTH), style(_MUTED))
        else:
            tail = ("—".rjust(_SCORE_WIDTH), style(_MUTED))
        hint = LOADING_MARK if state.loading else STALE_MARK if state.stale else " "
        label_width = width - self.fixed_width - 1
        parts: list[str | Content | tuple[str, str | Style]] = [
            (state.condition.symbol, style(CONDITION_COMPONENT[state.condition])),
            " ",
            Content(self._shown).truncate(self._number_width, ellipsis=True, pad=True),
        ]
        if label_width >= _MIN_LABEL_WIDTH:
            label = Content(self._label).truncate(label_width, ellipsis=True, pad=True)
            parts += [" ", label]
        elif label_width > -1:
            parts.append(" " * (label_width + 1))
        alert = (ALERT_MARK, style(_ALERT)) if state.alert else (" ", "")
        parts += [" ", tail, (hint, style(_MUTED)), alert]
        return Content.assemble(*parts)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content(width).truncate(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.fixed_width + 1 + min(cell_len(self._label), 16)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


class WatchlistSidebar(OptionList):
    """The list of watched numbers; the user adds, labels, removes and reorders here.

    The sidebar never saves anything: each edit is applied at once and posted
    as :class:`Changed`; the screen saves it and hands back the merged list
    with :meth:`set_watchlist`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="watchlist.add"),
        Binding("l", "edit_label", "Label", id="watchlist.label"),
        Binding("delete,x", "remove", "Remove", id="watchlist.remove"),
        Binding("shift+up,K", "move(-1)", "Move up", show=False, id="watchlist.move_up"),
        Binding("shift+down,J", "move(1)", "Move down", show=False, id="watchlist.move_down"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {*CONDITION_COMPONENTS, _MUTED, _ERROR, _ALERT}

    class Selected(Message):
        """The user moved to (or pressed Enter on) a number: show it."""

        def __init__(self, sidebar: WatchlistSidebar, number: str, *, by_enter: bool) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.number = number
            self.by_enter = by_enter

        @property
        def control(self) -> WatchlistSidebar:
            return self.sidebar

    class Changed(Message):
        """The user edited the list; ``reason`` is "add", "remove", "label" or "move"."""

        def __init__(self, sidebar: WatchlistSidebar, watchlist: Watchlist, reason: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.watchlist = watchlist
            self.reason = reason

        @property
        def control(self) -> WatchlistSidebar:
            return self.sidebar

    def __init__(
        self,
        watchlist: Watchlist | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, markup=False)
        self._watchlist = Watchlist()
        self._states: dict[str, RowState] = {}
        self._shown: dict[str, str] = {}
        self._number_width = 0
        self._announced: str | None = None
        self.tooltip = (
            f"{LOADING_MARK} loading · {STALE_MARK} stale · {ALERT_MARK} new alert\n"
            "a add · e label · x remove · shift+↑/↓ move"
        )
        self.set_watchlist(watchlist or Watchlist())

    # -- what the screen calls ------------------------------------------------

    @property
    def watchlist(self) -> Watchlist:
        """The list as shown, with the highlighted number as its selection."""
        return self._watchlist

    @property
    def selected_number(self) -> str | None:
        """The highlighted number, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None

    def set_watchlist(self, watchlist: Watchlist) -> None:
        """Show ``watchlist``, keeping the highlight on the same number if it is still there."""
        previous_number = self.selected_number
        previous_index = self.highlighted
        self._shown = {n: self._shown.get(n) or _format(n) for n in watchlist.numbers()}
        self._number_width = min(
            _MAX_NUMBER_WIDTH, max((cell_len(s) for s in self._shown.values()), default=0)
        )
        self._states = {n: s for n, s in self._states.items() if n in self._shown}
        self._watchlist = watchlist
        if watchlist.entries:
            self.set_options(
                Option(self._row(entry.number, entry.label), id=entry.number)
                for entry in watchlist.entries
            )
        else:
            self.set_options([Option(EMPTY_HINT, disabled=True)])
        self.border_title = f"Watchlist ({len(watchlist)})"
        target = next(
            (n for n in (previous_number, watchlist.selected) if n is not None and n in watchlist),
            None,
        )
        if target is not None:
            self.highlighted = self.get_option_index(target)
        elif watchlist.entries:
            self.highlighted = min(previous_index or 0, len(watchlist) - 1)
        self._sync_selection()

    def set_row_state(self, number: str, state: RowState) -> None:
        """Update one number's row in place; nothing is redrawn if the state is unchanged."""
        if number not in self._shown or self._states.get(number, _BLANK_STATE) == state:
            return
        self._states[number] = state
        entry = self._watchlist.get(number)
        index = self.get_option_index(number)
        self._repaint_row(index, self._row(number, entry.label if entry is not None else ""))

    def _repaint_row(self, index: int, prompt: _Row) -> None:
        """Replace one row's prompt and repaint just that line.

        ``replace_option_prompt_at_index`` drops every cached row and repaints
        the whole list; a background poll changes a row twice (loading, then
        the result), which made the sidebar most of what an idle dashboard
        wrote to the terminal.  Rows are always one line, so line == index.
        """
        option = self.get_option_at_index(index)
        cache = getattr(self, "_option_render_cache", None)
        if cache is None or not hasattr(option, "_set_prompt"):
            self.replace_option_prompt_at_index(index, prompt)  # Textual internals moved
            return
        option._set_prompt(prompt)
        for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 (no __iter__)
            cache.discard(key)
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def row_state(self, number: str) -> RowState:
        """The state last given for ``number`` (blank if none)."""
        return self._states.get(number, _BLANK_STATE)

    def row_text(self, number: str) -> str:
        """The row for ``number`` as plain text."""
        prompt = self.get_option(number).prompt
        return prompt.plain if isinstance(prompt, _Row) else str(prompt)

    # -- drawing --------------------------------------------------------------

    def part_style(self, component: str) -> Style:
        """The style of one part of a row, from ``styles.tcss`` (cached by Textual)."""
        return self.get_visual_style(component, partial=True)

    def _row(self, number: str, label: str) -> _Row:
        return _Row(
            self, self._shown[number], clean(label), self.row_state(number), self._number_width
        )

    # -- selection ------------------------------------------------------------

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._sync_selection()

    @on(OptionList.OptionSelected)
    def _entered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._announced = event.option.id
            self.post_message(self.Selected(self, event.option.id, by_enter=True))

    def _sync_selection(self) -> None:
        number = self.selected_number
        if number is not None and self._watchlist.selected != number:
            self._watchlist = self._watchlist.select(number)
        if number is not None and number != self._announced:
            self._announced = number
            self.post_message(self.Selected(self, number, by_enter=False))

    # -- editing --------------------------------------------------------------

    def _apply(self, watchlist: Watchlist, reason: str) -> None:
        self.set_watchlist(watchlist)
        self.post_message(self.Changed(self, self._watchlist, reason))

    def _refused(self, error: WatchlistError) -> None:
        self.app.notify(str(error), severity="warning")

    def action_add(self) -> None:
        """Ask for a number and add it."""

        def added(result: NewEntry | None) -> None:
            if result is None:
                return
            number, label = result
            try:
                watchlist = self._watchlist.add(number, label).select(number)
            except WatchlistError as error:
                self._refused(error)
                return
            self.highlighted = None  # so the new number, not the old highlight, is kept
            self._apply(watchlist, "add")

        self.app.push_screen(AddNumberDialog(self._watchlist.numbers()), added)

    def action_edit_label(self) -> None:
        """Ask for a new label for the highlighted number."""
        number = self.selected_number
        entry = self._watchlist.get(number) if number is not None else None
        if entry is None:
            return

        def edited(label: str | None) -> None:
            if label is None or label == entry.label:
                return
            try:
                watchlist = self._watchlist.relabel(entry.number, label)
            except WatchlistError as error:
                self._refused(error)
                return
            self._apply(watchlist, "label")

        self.app.push_screen(EditLabelDialog(entry.number, entry.label), edited)

    def action_remove(self) -> None:
        """Ask, then remove the highlighted number."""
        number = self.selected_number
        entry = self._watchlist.get(number) if number is not None else None
        if entry is None:
            return
        named = f" ({entry.label})" if entry.label else ""
        question = f"Remove {self._shown[entry.number]}{named} from the watchlist?"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                watchlist = self._watchlist.remove(entry.number)
            except WatchlistError as error:
                self._refused(error)
                return
            self._apply(watchlist, "remove")

        self.app.push_screen(ConfirmDialog(question, title="Remove number"), answered)

    def action_move(self, delta: int) -> None:
        """Move the highlighted number up (-1) or down (+1)."""
        number = self.selected_number
        if number is None:
            return
        try:
            watchlist = self._watchlist.move(number, delta)
        except WatchlistError as error:
            self._refused(error)
            return
        if watchlist.numbers() != self._watchlist.numbers():
            self._apply(watchlist, "move")


def _format(number: str) -> str:
    # A number the formatter cannot handle is still shown, as stored.
    try:
        return clean(format_number(number))
    except ValueError:
        return clean(number)
