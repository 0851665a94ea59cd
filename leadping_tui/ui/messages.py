"""Typed messages the fetch workers post back to the screen."""

from __future__ import annotations

from textual.message import Message

from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.listing import ListingPage
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult


class StatusFetched(Message):
    """A status arrived for ``result.number``."""

    bubble = False

    def __init__(self, result: FetchResult, *, foreground: bool) -> None:
        super().__init__()
        self.result = result
        self.foreground = foreground


class FetchFailed(Message):
    """A fetch for ``number`` failed with a typed error."""

    bubble = False

    def __init__(
        self, number: str, query: StatusQuery, error: LeadPingError, *, foreground: bool
    ) -> None:
        super().__init__()
        self.number = number
        self.query = query
        self.error = error
        self.foreground = foreground


class ListingPageFetched(Message):
    """A page of the organisation listing arrived."""

    bubble = False

    def __init__(self, page: ListingPage, *, generation: int) -> None:
        super().__init__()
        self.page = page
        self.generation = generation


class ListingFailed(Message):
    """A listing page failed with a typed error."""

    bubble = False

    def __init__(self, error: LeadPingError, *, generation: int) -> None:
        super().__init__()
        self.error = error
        self.generation = generation
