"""The sidebar column: a filter box (opened by ``f``) above the watchlist sidebar.

The box parses what is typed with
:func:`~leadping_tui.ui.watchlist_view.parse_filter` and hands the result to
the sidebar on every keystroke; Esc clears it.  The sort order is cycled
here too and announced with :class:`OrderChanged`, so the screen can save it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from leadping_tui.ui import keymap
from leadping_tui.ui.watchlist_view import FILTER_HELP, SortOrder, WatchlistFilter, parse_filter
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

FILTER_PLACEHOLDER = f"number, label, {FILTER_HELP}"

HELP_TEXT = """\
**Watchlist.** `o` sorts: worst first, score, progress, label, then your own
order (the title says which; moving numbers works in your own order only).

`f` filters. Words match the number (digits are enough: `555 01`) or the
label; every word must match. Conditions: `!crit` `!warn` `!unkn` `!ok`,
`!bad` (crit or warn), `!alert` (an alert not yet seen); any start works
(`!c`), several mean any of them. Example: `f` `sales !bad`.
Enter goes back to the list, Esc clears.

The bottom line counts the numbers per condition:
✗ critical, ! warning, ? unknown, ✓ ok.
"""


class FilterBox(Input):
    """The filter box: an Input whose typing does not lay out the whole screen.

    Input sets its ``virtual_size`` (the text's width) on every keystroke, and
    Widget's ``virtual_size`` asks for a layout of the screen each time it
    changes: a reflow and a repaint of every widget per keystroke. The
    box is one row of fixed size with no scroll bars, so only it needs
    repainting; scrolling to the cursor reads ``virtual_size`` itself.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class WatchlistPane(Vertical):
    """The filter box and the watchlist sidebar, shown or hidden together."""

    HELP = HELP_TEXT
    BINDINGS: ClassVar[list[BindingType]] = keymap.widget_bindings("watchlist.filter.clear")

    class OrderChanged(Message):
        """The user picked another sort order (to be saved)."""

        def __init__(self, order: SortOrder) -> None:
            super().__init__()
            self.order = order

    def compose(self) -> ComposeResult:
        yield FilterBox(placeholder=FILTER_PLACEHOLDER, id="watchlist-filter")
        yield WatchlistSidebar(id="sidebar")

    def on_mount(self) -> None:
        self.filter_box.display = False

    @property
    def sidebar(self) -> WatchlistSidebar:
        return self.query_one(WatchlistSidebar)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#watchlist-filter", Input)

    def cycle_order(self) -> SortOrder:
        """Move to the next sort order, show it and announce it."""
        order = self.sidebar.order.next()
        self.sidebar.set_order(order)
        self.post_message(self.OrderChanged(order))
        return order

    def open_filter(self) -> None:
        """Show the filter box (with the filter in use) and type into it."""
        self.display = True
        box = self.filter_box
        box.display = True
        self.screen.set_focus(box)  # now: the keys typed next go into it

    def show_number(self, number: str) -> None:
        """Select ``number`` in the list, clearing a filter that hides it."""
        if number not in self.sidebar.shown_numbers:
            self.action_clear_filter()
        self.sidebar.call_later(self.sidebar.show_number, number)

    def action_clear_filter(self) -> None:
        """Clear and hide the filter; back to the list."""
        box = self.filter_box
        box.value = ""
        box.display = False
        self._filter_sidebar(WatchlistFilter())
        self.screen.set_focus(self.sidebar)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape belongs to whoever is above us unless there is a filter to clear.
        if action == "clear_filter":
            return bool(self.filter_box.display or self.sidebar.active_filter.active)
        return True

    @on(Input.Changed, "#watchlist-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter_sidebar(parse_filter(event.value))

    def _filter_sidebar(self, flt: WatchlistFilter) -> None:
        # Run by the sidebar itself: a message it posts from a handler of ours
        # would count us as its sender, and Textual stops bubbling at the
        # sender, so the screen would never hear the new selection.
        self.sidebar.call_later(self.sidebar.set_filter, flt)

    @on(Input.Submitted, "#watchlist-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_clear_filter()
            return
        self.screen.set_focus(self.sidebar)
