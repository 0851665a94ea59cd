"""The watchlist sidebar's edits: add, label, remove and move, each through its dialog.

Every edit is applied to the sidebar's copy at once and posted by
:class:`~leadping_tui.ui.widgets.watchlist_sidebar.WatchlistSidebar` as its
``Changed`` message; nothing here saves.
"""

from __future__ import annotations

from textual.widgets import OptionList

from leadping_tui.store.watchlist import Watchlist, WatchlistError
from leadping_tui.ui.dialogs.add_number import AddNumberDialog, NewEntry
from leadping_tui.ui.dialogs.confirm import ConfirmDialog
from leadping_tui.ui.dialogs.edit_label import EditLabelDialog
from leadping_tui.ui.watchlist_view import SortOrder


class WatchlistEdits(OptionList):
    """The editing actions of the sidebar (:mod:`.watchlist_sidebar`)."""

    # Set and kept by WatchlistSidebar.
    _watchlist: Watchlist
    _order: SortOrder
    _shown: dict[str, str]

    @property
    def selected_number(self) -> str | None:
        raise NotImplementedError  # WatchlistSidebar's

    def _apply(self, watchlist: Watchlist, reason: str) -> None:
        raise NotImplementedError  # WatchlistSidebar's: set it and post Changed

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
        if self._order is not SortOrder.USER:
            self.app.notify(
                f"Sorted {self._order.words}: press o until “your order” to move numbers.",
                severity="warning",
            )
            return
        try:
            watchlist = self._watchlist.move(number, delta)
        except WatchlistError as error:
            self._refused(error)
            return
        if watchlist.numbers() != self._watchlist.numbers():
            self._apply(watchlist, "move")
