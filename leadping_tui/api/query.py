"""The time window a status is asked for: ``windowDays`` or a date range.

Validated here, before anything is sent, so the user gets a clear message
instead of a request the API would reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from leadping_tui.api.errors import InvalidQuery

WINDOW_PRESETS: tuple[int, ...] = (1, 7, 14, 30, 90)
MAX_WINDOW_DAYS = 365
MAX_RANGE_DAYS = 366
# The API has no data before LeadPing existed; far-past dates are typos.
EARLIEST_DATE = date(2015, 1, 1)


def parse_date(text: str, *, field: str = "date") -> date:
    """Read a YYYY-MM-DD date, or raise InvalidQuery saying what is wrong."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidQuery(f"The {field} is empty: use YYYY-MM-DD, for example 2026-11-01.")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        parts = cleaned.split("-")
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            raise InvalidQuery(f"The {field} {cleaned!r} is not a real calendar date.") from None
        raise InvalidQuery(
            f"The {field} {cleaned!r} is not in the form YYYY-MM-DD (for example 2026-11-01)."
        ) from None


def validate_window_days(days: int) -> int:
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise InvalidQuery(f"A window must be 1 to {MAX_WINDOW_DAYS} days, not {days}.")
    return days


@dataclass(frozen=True)
class StatusQuery:
    """Either a rolling ``window_days`` or an explicit ``start``..``end`` range.

    ``StatusQuery()`` asks the API for its own default window.
    """

    window_days: int | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InvalidQuery("A date range needs both a start and an end date.")
        if self.start is not None and self.window_days is not None:
            raise InvalidQuery("Choose a window in days or a date range, not both.")
        if self.window_days is not None:
            validate_window_days(self.window_days)
        if self.start is not None and self.end is not None:
            _validate_range(self.start, self.end)

    @classmethod
    def window(cls, days: int) -> StatusQuery:
        return cls(window_days=days)

    @classmethod
    def range(cls, start: date, end: date) -> StatusQuery:
        return cls(start=start, end=end)

    @property
    def is_range(self) -> bool:
        return self.start is not None

    @property
    def length_days(self) -> int | None:
        if self.start is not None and self.end is not None:
            return (self.end - self.start).days + 1
        return self.window_days

    def params(self) -> dict[str, str]:
        """Query parameters for the request."""
        if self.start is not None and self.end is not None:
            return {"startDate": self.start.isoformat(), "endDate": self.end.isoformat()}
        if self.window_days is not None:
            return {"windowDays": str(self.window_days)}
        return {}

    def describe(self) -> str:
        """Short text for the header: ``7 d`` or ``2026-11-01 → 2026-11-07``."""
        if self.start is not None and self.end is not None:
            return f"{self.start.isoformat()} → {self.end.isoformat()}"
        if self.window_days is not None:
            return f"last {self.window_days} d"
        return "API default"

    def step_preset(self, direction: int) -> StatusQuery:
        """The next (or previous) window preset; a range turns back into a window."""
        current = self.window_days if self.window_days is not None else self.length_days
        presets = WINDOW_PRESETS
        if current is None:
            return StatusQuery.window(presets[0] if direction > 0 else presets[-1])
        if direction > 0:
            bigger = [days for days in presets if days > current]
            return StatusQuery.window(bigger[0] if bigger else presets[0])
        smaller = [days for days in presets if days < current]
        return StatusQuery.window(smaller[-1] if smaller else presets[-1])

    def shifted(self, direction: int, *, today: date) -> StatusQuery:
        """Move the range back (-1) or forward (+1) by its own length.

        A rolling window first becomes the explicit range it covers today.
        Forward never goes past today.
        """
        length = self.length_days or WINDOW_PRESETS[1]
        if self.start is not None and self.end is not None:
            start, end = self.start, self.end
        else:
            end = today
            start = today - timedelta(days=length - 1)
        step = timedelta(days=length * (1 if direction > 0 else -1))
        new_start, new_end = start + step, end + step
        if new_end > today:
            new_end = today
            new_start = today - timedelta(days=length - 1)
        if new_start < EARLIEST_DATE:
            new_start = EARLIEST_DATE
            new_end = new_start + timedelta(days=length - 1)
        return StatusQuery.range(new_start, new_end)


def _validate_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidQuery(
            f"The end date {end.isoformat()} is before the start date {start.isoformat()}."
        )
    if start < EARLIEST_DATE:
        raise InvalidQuery(f"The start date {start.isoformat()} is before {EARLIEST_DATE}.")
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise InvalidQuery(f"A date range can cover at most {MAX_RANGE_DAYS} days, not {days}.")


def build_query(
    *,
    window_days: int | None = None,
    start: str | None = None,
    end: str | None = None,
    today: date | None = None,
) -> StatusQuery:
    """Build a query from user text (CLI flags or the date dialog)."""
    if start is None and end is None:
        return StatusQuery(window_days=window_days)
    if start is None or end is None:
        raise InvalidQuery("Give both a start date and an end date (YYYY-MM-DD).")
    if window_days is not None:
        raise InvalidQuery("Choose a window in days or a date range, not both.")
    first = parse_date(start, field="start date")
    last = parse_date(end, field="end date")
    if today is not None and first > today:
        raise InvalidQuery(f"The start date {first.isoformat()} is in the future.")
    return StatusQuery.range(first, last)
