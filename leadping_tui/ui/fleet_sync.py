"""The dashboard's side of the organisation listing: rounds, import, follow, fallback.

The poll scheduler decides *when* a listing page goes (inside the one request
budget); the :class:`~leadping_tui.ui.poller.Poller` fetches it; this class
decides what a page means: it feeds the round's
:class:`~leadping_tui.api.listing.ListingReader`, and at the end of a round
records it in ``app.fleet`` (:class:`~leadping_tui.refresh.fleet.Fleet`, read
by the sidebar and the Fleet view), applies a pending import, follows the
organisation, and falls back to per-number polling when the key cannot list.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

from textual.notifications import SeverityLevel

from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.listing import ListingPage, ListingQuery, ListingReader
from leadping_tui.store.fleet_import import plan_import
from leadping_tui.times import clock

if TYPE_CHECKING:
    from textual.app import App

    from leadping_tui.store.watchlist import Watchlist
    from leadping_tui.ui.host import DashboardHost


class FleetSyncHost(Protocol):
    """The dashboard, as the listing reader uses it.

    Declared here, so that this module never imports the dashboard that creates it.
    """

    selected: str | None
    labels: dict[str, str]

    @property
    def lp_app(self) -> DashboardHost: ...

    @property
    def app(self) -> App[Any]: ...

    def fleet_changed(self) -> None: ...

    def fleet_progress(self) -> None: ...

    def replace_watchlist(self, watchlist: Watchlist) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


NOTE_SECONDS = 20.0
FALLBACK_NOTE_SECONDS = 60.0
IMPORT_GIVE_UP_FAILURES = 3
NEW_MARK = "new"
GONE_MARK = "gone"


class FleetSync:
    """Reads the organisation listing for one dashboard screen."""

    def __init__(self, screen: FleetSyncHost) -> None:
        self.screen = screen
        self.app = screen.lp_app
        self.reader: ListingReader | None = None
        self.generation = 0
        self.importing = False
        self.new_numbers: set[str] = set()
        """Numbers the organisation gained that follow added; marked until selected."""
        self.gone_numbers: set[str] = set()
        """Watched numbers the organisation no longer lists; removed on confirmation."""
        self.fell_back = False
        self._note = ""
        self._note_until = 0.0
        self._failures = 0
        self._said_stop: str | None = None

    # -- what the screen shows ------------------------------------------------

    @property
    def note(self) -> str:
        """A line for the status bar (import progress, fallback), or ""."""
        return self._note if time.monotonic() < self._note_until else ""

    def _say(self, text: str, seconds: float = NOTE_SECONDS) -> None:
        self._note = text
        self._note_until = time.monotonic() + seconds

    def mark(self, number: str) -> str | None:
        """``"new"`` or ``"gone"`` for the sidebar, or None."""
        if number in self.gone_numbers:
            return GONE_MARK
        if number in self.new_numbers:
            return NEW_MARK
        return None

    def seen(self, number: str) -> None:
        self.new_numbers.discard(number)

    # -- the round --------------------------------------------------------------

    def start(self) -> None:
        if self.app.settings.use_listing:
            self.app.scheduler.set_listing(True)

    def next_query(self) -> tuple[ListingQuery, int] | None:
        """The body of the next page (the poller asks when the scheduler says go)."""
        if self.reader is None or self.reader.done:
            self.reader = ListingReader(include_count=True)
            self.generation += 1
        query = self.reader.next_query()
        return None if query is None else (query, self.generation)

    def page_arrived(self, page: ListingPage, generation: int) -> None:
        scheduler = self.app.scheduler
        reader = self.reader
        if reader is None or generation != self.generation or reader.done:
            scheduler.record_listing_page(more=False)
            return
        reader.add_page(page)
        self._failures = 0
        scheduler.record_listing_page(more=not reader.done)
        if self.importing and not reader.done:
            total = f" of {reader.total_count}" if reader.total_count is not None else ""
            self._say(f"Importing from the organisation: {len(reader.rows)}{total} numbers read…")
        if reader.done:
            # Rows change only when a round is complete; a page alone changes nothing shown.
            self._round_done(reader)
            self.screen.fleet_changed()
        elif self.importing:
            self.screen.fleet_progress()

    def failed(self, error: LeadPingError, generation: int) -> None:
        from leadping_tui.api.listing_client import ListingNotAllowed

        scheduler = self.app.scheduler
        self.reader = None  # the next round starts from the first page
        if isinstance(error, ListingNotAllowed):
            scheduler.record_listing_cancelled()
            scheduler.give_up_listing_round()
            scheduler.set_listing(False)
            if self.importing:
                self.importing = False
                self._say(f"Import failed: {error.message}", FALLBACK_NOTE_SECONDS)
            elif not self.fell_back:
                self._say(
                    f"{error.message} The other numbers are read one by one instead.",
                    FALLBACK_NOTE_SECONDS,
                )
            self.fell_back = True
            self.screen.fleet_changed()
            return
        retry_after = getattr(error, "retry_after", None)
        scheduler.record_listing_failure(
            retry_after=retry_after, rate_limited=error.kind == "rate_limited"
        )
        self._failures += 1
        if self.importing:
            if self._failures >= IMPORT_GIVE_UP_FAILURES:
                self.importing = False
                scheduler.give_up_listing_round()
                self._say(f"Import failed: {error.message}")
            else:
                self._say(f"Import: {error.message} Trying again…")
        self.screen.fleet_changed()

    def _round_done(self, reader: ListingReader) -> None:
        app = self.app
        previous = set(app.fleet.rows) if app.fleet.rounds else None
        now = clock.now_utc()
        app.fleet.record_round(reader.rows, now)
        if app.scheduler.listing_active:
            app.scheduler.record_listing_round(frozenset(reader.rows))
            # Background rows feed history and alerts as their polls did; the
            # selected number's full status does that itself.
            selected = self.screen.selected
            app.watch_events.listed(
                (
                    (number, app.fleet.rows[number].status)
                    for number in app.fleet.changed
                    if number in self.screen.labels and number != selected
                ),
                now,
            )
        if reader.stop_reason and reader.stop_reason != self._said_stop:
            self._said_stop = reader.stop_reason
            self.screen.notify(
                f"The organisation listing was not read to the end: {reader.stop_reason}.",
                title="Organisation listing",
                severity="warning",
                timeout=20,
            )
        if self.importing:
            self.importing = False
            self._import(reader)
        elif app.settings.follow_organisation:
            self._follow(reader, previous)
        self.reader = None
        self._check_cost(reader)

    def _check_cost(self, reader: ListingReader) -> None:
        """Poll one by one when that is cheaper: a big organisation, a short watchlist."""
        scheduler = self.app.scheduler
        if not scheduler.listing_active or self.app.settings.follow_organisation:
            return
        selected = self.screen.selected
        background = sum(1 for n in self.screen.labels if n != selected and n in reader.rows)
        if reader.pages <= max(1, background):
            return
        scheduler.set_listing(False)
        self._say(
            f"The organisation lists {len(reader.rows)} numbers in {reader.pages} pages, more "
            f"requests than polling your {background} other numbers one by one; polling them."
        )

    # -- import and follow ----------------------------------------------------

    def request_import(self) -> None:
        """Add every number of the organisation (key ``i``)."""
        if self.importing:
            self._say("Already importing from the organisation…")
            return
        self.importing = True
        self._failures = 0
        self._say("Importing from the organisation…")
        self.app.scheduler.request_listing_round()

    def _import(self, reader: ListingReader) -> None:
        outcome = plan_import(self.app.watchlist, reader.rows, skipped=reader.skipped)
        if outcome.changed:
            self.screen.replace_watchlist(outcome.watchlist)
        self._say(f"Imported from the organisation: {outcome.summary()}")

    def _follow(self, reader: ListingReader, previous: set[str] | None) -> None:
        watchlist = self.app.watchlist
        rows = reader.rows
        if previous is not None:
            fresh = {n: row for n, row in rows.items() if n not in previous and n not in watchlist}
            if fresh:
                outcome = plan_import(watchlist, fresh)
                self.new_numbers |= set(outcome.added)
                self.screen.replace_watchlist(outcome.watchlist)
                self._say(f"{len(outcome.added)} new numbers in the organisation were added.")
        if reader.stop_reason is not None:
            return  # a listing cut short says nothing about what is gone
        gone = {number for number in self.app.watchlist.numbers() if number not in rows}
        appeared = gone - self.gone_numbers
        self.gone_numbers = gone
        if appeared:
            self._say(
                f"{len(gone)} watched numbers are gone from the organisation: "
                "G removes them (after you confirm)."
            )

    def confirm_remove_gone(self) -> None:
        """Ask, then remove the numbers marked gone (key ``G``)."""
        from leadping_tui.ui.dialogs.confirm import ConfirmDialog

        gone = [n for n in self.app.watchlist.numbers() if n in self.gone_numbers]
        if not gone:
            self.screen.notify("No watched number is gone from the organisation.")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            watchlist = self.app.watchlist
            for number in gone:
                if number in watchlist:
                    watchlist = watchlist.remove(number)
            self.gone_numbers -= set(gone)
            self.screen.replace_watchlist(watchlist)
            self._say(f"Removed {len(gone)} numbers gone from the organisation.")

        count = len(gone)
        self.screen.app.push_screen(
            ConfirmDialog(f"Remove {count} numbers that are gone from the organisation?"),
            answered,
        )
