"""The scheduler's records: a request to start, a number's polling state.

Kept apart from :mod:`leadping_tui.refresh.scheduler` so that the listing's
part of the schedule (:mod:`leadping_tui.refresh.listing_schedule`) can use them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Waking up a microsecond "early" because of float rounding still counts as
# on time; otherwise the loop would spin on near-zero sleeps.
TOLERANCE = 1e-6


NEVER = math.inf


@dataclass(frozen=True)
class Request:
    """A fetch the loop should start now."""

    number: str
    foreground: bool
    """True for the selected number or a refresh the user asked for."""
    listing: bool = False
    """A page of the organisation listing, not a number's status (``number`` is "")."""


@dataclass
class NumberState:
    """A read-only snapshot of one number's polling state, for the UI."""

    number: str
    in_flight: bool
    last_attempt_at: float | None
    last_success_at: float | None
    """Clock time of the last success; a failure never moves it."""
    failures: int
    """Consecutive failures since the last success."""
    retry_at: float | None
    """When backoff or ``Retry-After`` allows the next try (``inf``: parked until asked)."""
    rate_limited: bool
    """The last failure was a 429."""
    next_due_at: float
    """When the next fetch is planned; ``inf`` while in flight or paused."""


@dataclass
class Entry:
    number: str
    watched: bool
    first_due_at: float
    in_flight: bool = False
    last_attempt_at: float | None = None
    last_success_at: float | None = None
    finished_at: float | None = None
    failures: int = 0
    retry_at: float | None = None
    rate_limited: bool = False
    forced_at: float | None = None
    """Due from this time regardless of the interval (selection or `r`)."""
    manual: bool = False
    """The force came from the user, so it survives a change of selection."""
    probe: bool = False
    """A manual try allowed through a long 429 hold (once, a minute after the 429)."""


Candidate = tuple[float, Entry | None]
