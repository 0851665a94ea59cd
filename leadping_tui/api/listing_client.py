"""Reading the organisation listing over HTTP (no Textual).

:func:`fetch_listing_page` makes one request; :func:`read_organisation` reads
every page within a request budget, for the ``import`` command and the
exporter.  The dashboard drives the same :class:`ListingReader` page by page
from its poll loop instead, so its pages share the poll scheduler's budget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadping_tui.api import errors
from leadping_tui.api.client import StatusClient
from leadping_tui.api.json_body import loads_bounded
from leadping_tui.api.listing import (
    LISTING_PATH,
    ListingPage,
    ListingQuery,
    ListingReader,
    parse_page,
)
from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.refresh.budget import Priority, TokenBucket

__all__ = [
    "FALLBACK_STATUSES",
    "ListingNotAllowed",
    "ListingPageResult",
    "fetch_listing_page",
    "read_organisation",
]

FALLBACK_STATUSES = frozenset({401, 403, 404, 405})
"""Answers meaning "this key (or this API) cannot list": poll numbers one by one."""
MAX_RATE_LIMIT_RETRIES = 5


class ListingNotAllowed(errors.LeadPingError):
    """The listing answered 401, 403, 404 or 405: this key cannot list numbers."""

    kind = "listing_not_allowed"
    hint = "Numbers are read one by one instead."
    retryable = False

    def __init__(self, message: str, *, status: int, problem: errors.Problem | None = None) -> None:
        super().__init__(message, problem=problem)
        self.status = status


@dataclass(frozen=True)
class ListingPageResult:
    """One parsed page and how it arrived."""

    page: ListingPage
    elapsed: float
    size: int


def _not_allowed(status: int, problem: errors.Problem | None) -> ListingNotAllowed:
    why = {
        401: "the API key was not accepted",
        403: "the API key may not list the organisation's numbers",
        404: "the API has no organisation listing here",
        405: "the API does not allow the listing request",
    }[status]
    message = f"Cannot list the organisation's numbers ({status}): {why}."
    if problem is not None and problem.summary():
        message = f"{message[:-1]} ({problem.summary()})."
    return ListingNotAllowed(message, status=status, problem=problem)


async def fetch_listing_page(client: StatusClient, query: ListingQuery) -> ListingPageResult:
    """Fetch one page of the listing, or raise a LeadPingError."""
    try:
        response, elapsed = await client.send("POST", LISTING_PATH, json_body=query.body())
    except errors.NotFoundError as exc:
        raise _not_allowed(404, exc.problem) from None
    except errors.HttpStatusError as exc:
        if exc.status in FALLBACK_STATUSES:
            raise _not_allowed(exc.status, exc.problem) from None
        raise
    try:
        raw: Any = loads_bounded(response.content)
    except (ValueError, UnicodeDecodeError):
        raise errors.BadResponse("The listing answered with something that is not JSON.") from None
    page = _parse(raw)
    return ListingPageResult(page, elapsed, len(response.content))


def _parse(raw: Any) -> ListingPage:
    page = parse_page(raw)
    if page is None:
        raise errors.BadResponse("The listing answered with JSON that is not a page of numbers.")
    return page


async def _take_token(budget: TokenBucket, priority: Priority) -> None:
    # The bucket refills with time alone; nothing else could wake us sooner.
    while not budget.try_take(priority):  # noqa: ASYNC110
        await asyncio.sleep(budget.seconds_until(priority))


async def read_organisation(
    client: StatusClient,
    *,
    search: str | None = None,
    budget: TokenBucket | None = None,
    priority: Priority = Priority.FOREGROUND,
    on_page: Callable[[ListingReader], None] | None = None,
    reader: ListingReader | None = None,
    backoff: BackoffPolicy | None = None,
) -> ListingReader:
    """Read every page of the listing; the reader holds the rows and why it stopped.

    Each request takes a token from ``budget`` (waiting for one when it is
    empty).  A 429 waits its ``Retry-After`` (or a backoff) and asks again, a
    few times; any other failure is raised.
    """
    reader = reader or ListingReader(search=search, include_count=True)
    policy = backoff or BackoffPolicy()
    while (query := reader.next_query()) is not None:
        limited = 0
        while True:
            if budget is not None:
                await _take_token(budget, priority)
            try:
                result = await fetch_listing_page(client, query)
            except errors.RateLimitedError as exc:
                limited += 1
                if limited > MAX_RATE_LIMIT_RETRIES:
                    raise
                await asyncio.sleep(policy.retry_delay(limited, exc.retry_after))
                continue
            break
        reader.add_page(result.page)
        if on_page is not None:
            on_page(reader)
    return reader
