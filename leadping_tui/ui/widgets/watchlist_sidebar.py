"""The watchlist sidebar: every watched number with its condition, score and alerts.

An :class:`~textual.widgets.OptionList` with one option per shown number (the
option id is the E.164 number). Rows are drawn by
:class:`~leadping_tui.ui.widgets.watchlist_row.SidebarRow`, a small visual
that lays itself out for the width it is given, so a resize or a highlight
move never rebuilds the options, and a status update replaces just its own
row.  The sort order and the filter (pure functions in
:mod:`leadping_tui.ui.watchlist_view`) decide which numbers are shown and in
what order; they never touch the watchlist itself.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from leadping_tui.api.condition import Condition
from leadping_tui.phone import format_number
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.terminal.safe_text import clean
from leadping_tui.ui.styling import CONDITION_COMPONENTS
from leadping_tui.ui.textual_compat import repaint_option, repaint_option_lines
from leadping_tui.ui.watchlist_view import (
    BLANK_STATE,
    RowState,
    SortOrder,
    WatchlistFilter,
    condition_counts,
    no_match_hint,
    sidebar_title,
    summary_text,
    visible_numbers,
)
from leadping_tui.ui.widgets.watchlist_edits import WatchlistEdits
from leadping_tui.ui.widgets.watchlist_row import (
    ALERT,
    ALERT_MARK,
    ERROR,
    LOADING_MARK,
    MUTED,
    STALE_MARK,
    SidebarRow,
)

__all__ = ["ALERT_MARK", "EMPTY_HINT", "LOADING_MARK", "STALE_MARK", "RowState", "WatchlistSidebar"]

EMPTY_HINT = "No numbers yet — press a to add one"
_MAX_NUMBER_WIDTH = 20
REORDER_DELAY = 0.5
"""Seconds to gather state changes before a sorted or state-filtered list is re-sorted."""


class WatchlistSidebar(WatchlistEdits):
    """The list of watched numbers; the user adds, labels, removes and reorders here.

    The sidebar never saves anything: each edit is applied at once and posted
    as :class:`Changed`; the screen saves it and hands back the merged list
    with :meth:`set_watchlist`.
    """

    # No keys of its own beyond OptionList's arrows and Enter: add, label,
    # remove and move are bound on the dashboard screen (ui/keymap.py), so
    # they work whatever has focus.

    COMPONENT_CLASSES: ClassVar[set[str]] = {*CONDITION_COMPONENTS, MUTED, ERROR, ALERT}

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As OptionList's, but a move repaints the two rows it changed, not the whole list."""

    class Selected(Message):
        """The user moved to (or pressed Enter on) a number: show it.

        ``by_filter``: the filter being typed hid the selected number and the
        highlight moved to the first match, which the user did not pick.
        """

        def __init__(
            self, sidebar: WatchlistSidebar, number: str, *, by_enter: bool, by_filter: bool = False
        ) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.number = number
            self.by_enter = by_enter
            self.by_filter = by_filter

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
        self._labels: dict[str, str] = {}
        self._visible: list[str] = []
        self._visible_set: set[str] = set()
        self._cached_options: dict[str, Option] = {}
        self._counts: Counter[Condition] = Counter()
        self._order = SortOrder.USER
        self._filter = WatchlistFilter()
        self._reorder_timer: Timer | None = None
        self._number_width = 0
        self._announced: str | None = None
        self._filtering = False
        self._style_generation = 0
        self._part_styles: tuple[Style, ...] = ()
        self._styles_checked = False
        self._painted_highlight: int | None = None
        # Rows hold no links (labels are literal text): without this, Textual
        # works out a link style for every row it draws.
        self.auto_links = False
        self.tooltip = (
            f"{LOADING_MARK} loading · {STALE_MARK} stale · {ALERT_MARK} new alert\n"
            "a add · l label · Delete remove · shift+↑/↓ move · o sort · f filter"
        )
        self.set_watchlist(watchlist or Watchlist())

    # -- what the screen calls ------------------------------------------------

    @property
    def watchlist(self) -> Watchlist:
        """The list as saved (the user's order), with the highlighted number as its selection."""
        return self._watchlist

    @property
    def selected_number(self) -> str | None:
        """The highlighted number, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def order(self) -> SortOrder:
        """The sort order in use."""
        return self._order

    @property
    def active_filter(self) -> WatchlistFilter:
        """The filter in use (empty when none)."""
        return self._filter

    @property
    def shown_numbers(self) -> tuple[str, ...]:
        """The numbers shown, top to bottom."""
        return tuple(self._visible)

    @property
    def counts(self) -> Counter[Condition]:
        """How many watched numbers are in each condition."""
        return Counter(self._counts)

    def set_watchlist(self, watchlist: Watchlist) -> None:
        """Show ``watchlist``, keeping the highlight on the same number if it is still there."""
        self._shown = {n: self._shown.get(n) or _format(n) for n in watchlist.numbers()}
        self._labels = {entry.number: entry.label for entry in watchlist.entries}
        self._number_width = min(
            _MAX_NUMBER_WIDTH, max((cell_len(s) for s in self._shown.values()), default=0)
        )
        self._states = {n: s for n, s in self._states.items() if n in self._shown}
        self._counts = condition_counts(self._shown, self._states)
        self._watchlist = watchlist
        self._cached_options.clear()  # labels or the number column's width may have changed
        self._rebuild(force=True)

    def set_order(self, order: SortOrder) -> None:
        """Show the numbers in ``order``; the watchlist itself keeps the user's order."""
        if order != self._order:
            self._order = order
            self._rebuild()

    def set_filter(self, flt: WatchlistFilter) -> None:
        """Show only the numbers that pass ``flt``."""
        if flt != self._filter:
            self._filter = flt
            self._filtering = True
            try:
                self._rebuild()
            finally:
                self._filtering = False

    def show_number(self, number: str) -> None:
        """Highlight ``number`` (clearing a filter that hides it), which selects it."""
        if number not in self._shown:
            return
        if number not in self._visible:
            self.set_filter(WatchlistFilter())
        self.highlighted = self._visible.index(number)

    def _rebuild(self, *, force: bool = False) -> None:
        """Fill the options from the watchlist, the order and the filter.

        When the same numbers would be shown in the same order (a filter word
        still being typed, a sort that changes nothing) only the titles are
        redrawn, unless ``force``.
        """
        if self._reorder_timer is not None:
            self._reorder_timer.stop()
            self._reorder_timer = None
        entries = list(self._labels.items())
        visible = visible_numbers(entries, self._states, self._order, self._filter)
        if visible and visible == self._visible and not force:
            self._draw_titles()
            return
        previous_number = self.selected_number
        previous_index = self.highlighted
        self._visible = visible
        self._visible_set = set(visible)
        if visible:
            self.set_options(self._option(n) for n in visible)
        elif self._labels:
            self.set_options([Option(no_match_hint(self._filter), disabled=True)])
        else:
            self.set_options([Option(EMPTY_HINT, disabled=True)])
        self._draw_titles()
        candidates = (previous_number, self._watchlist.selected)
        target = next((n for n in candidates if n is not None and n in self._visible_set), None)
        if target is not None:
            self.highlighted = visible.index(target)
        elif visible:
            self.highlighted = min(previous_index or 0, len(visible) - 1)
        self._sync_selection()

    def _draw_titles(self) -> None:
        self.border_title = sidebar_title(
            len(self._labels), len(self._visible), self._order, self._filter.active
        )
        self.border_subtitle = summary_text(self._counts) if self._labels else ""

    def set_row_state(self, number: str, state: RowState) -> None:
        """Update one number's row in place; nothing is redrawn if the state is unchanged."""
        before = self._states.get(number, BLANK_STATE)
        if number not in self._shown or before == state:
            return
        self._states[number] = state
        if before.condition != state.condition:
            self._counts[before.condition] -= 1
            self._counts[state.condition] += 1
            self._draw_titles()
        if self._order is not SortOrder.USER or self._filter.by_state:
            self._reorder_soon()
        if number in self._visible_set:
            index = self.get_option_index(number)
            self._repaint_row(index, self._row(number, self._labels.get(number, "")))
        else:
            self._cached_options.pop(number, None)  # its cached row is out of date

    def _option(self, number: str) -> Option:
        # Options are kept between rebuilds: a re-sort of 1,000 rows then only
        # reorders them instead of laying out 1,000 new rows.
        option = self._cached_options.get(number)
        if option is None:
            option = Option(self._row(number, self._labels[number]), id=number)
            self._cached_options[number] = option
        return option

    def _reorder_soon(self) -> None:
        # A round of background results arrives as a burst: sort once after it,
        # not once per row, and only rebuild if the order really changed.
        if self._reorder_timer is None:
            self._reorder_timer = self.set_timer(REORDER_DELAY, self._reorder)

    def _reorder(self) -> None:
        self._reorder_timer = None
        entries = list(self._labels.items())
        if visible_numbers(entries, self._states, self._order, self._filter) != self._visible:
            self._rebuild()

    def _repaint_row(self, index: int, prompt: SidebarRow) -> None:
        """Replace one row's prompt and repaint just that line.

        A background poll changes a row twice (loading, then the result);
        repainting the whole list each time made the sidebar most of what an
        idle dashboard wrote to the terminal.
        """
        if not repaint_option(self, index, prompt):
            self.replace_option_prompt_at_index(index, prompt)  # Textual internals moved

    def row_state(self, number: str) -> RowState:
        """The state last given for ``number`` (blank if none)."""
        return self._states.get(number, BLANK_STATE)

    def row_text(self, number: str) -> str:
        """The row for ``number`` as plain text."""
        prompt = self.get_option(number).prompt
        return prompt.plain if isinstance(prompt, SidebarRow) else str(prompt)

    # -- editing (the dialogs and actions: WatchlistEdits) ----------------------

    def _apply(self, watchlist: Watchlist, reason: str) -> None:
        self.set_watchlist(watchlist)
        self.post_message(self.Changed(self, self._watchlist, reason))

    # -- drawing --------------------------------------------------------------

    def part_style(self, component: str) -> Style:
        """The style of one part of a row, from ``styles.tcss`` (cached by Textual)."""
        return self.get_visual_style(component, partial=True)

    @property
    def style_generation(self) -> int:
        """Changes when a part's style did: rows keep their drawn lines until then."""
        if not self._styles_checked:
            self._styles_checked = True
            parts = tuple(self.part_style(c) for c in sorted(self.COMPONENT_CLASSES))
            if parts != self._part_styles:
                self._part_styles = parts
                self._style_generation += 1
        return self._style_generation

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Looked at when a row is next drawn, not here: the parts' own styles
        # are updated after this call. A theme switch changes them; a focus
        # move (only the border) does not, and the rows keep their lines.
        self._styles_checked = False

    def _row(self, number: str, label: str) -> SidebarRow:
        return SidebarRow(
            self, self._shown[number], clean(label), self.row_state(number), self._number_width
        )

    # -- selection ------------------------------------------------------------

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        # Only the rows that lost and gained the highlight (a scroll, if the
        # move needed one, repaints the rest).
        # None: the options are being replaced (set_options), which repaints
        # them all; reading the line map now would measure an empty list and
        # lay out the screen twice (empty, then full).
        previous, self._painted_highlight = self._painted_highlight, highlighted
        if highlighted is not None:
            moved = [i for i in (previous, highlighted) if i is not None and i < self.option_count]
            if not repaint_option_lines(self, moved):
                self.refresh()
        # Announced here, in the key's own handler, not from the OptionHighlighted
        # message: that came a message later, and the new highlight was often
        # painted alone first (a whole sidebar render), with the new number's
        # panels a frame (~17 ms) after.
        self._sync_selection()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._sync_selection()

    @on(OptionList.OptionSelected)
    def _entered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._announced = event.option.id
            self._announce(self.Selected(self, event.option.id, by_enter=True))

    def _sync_selection(self) -> None:
        number = self.selected_number
        if number is not None and self._watchlist.selected != number:
            self._watchlist = self._watchlist.select(number)
        if number is not None and number != self._announced:
            self._announced = number
            self._announce(self.Selected(self, number, by_enter=False, by_filter=self._filtering))

    def _announce(self, message: Selected) -> None:
        """Post ``message`` to the screen itself, ahead of its next frame.

        Bubbled, it passed the pane and the body first, and the screen's frame
        timer got in before it: the highlight was painted alone (a whole sidebar
        render when the list scrolls) and the new number's panels a frame later.
        Before the sidebar is on a screen (its first list), it waits in the
        sidebar's own queue and bubbles once mounted.
        """
        if self.is_attached:
            self.screen.post_message(message)
        else:
            self.post_message(message)


def _format(number: str) -> str:
    # A number the formatter cannot handle is still shown, as stored.
    try:
        return clean(format_number(number))
    except ValueError:
        return clean(number)
