"""The time window a status is asked for: ``windowDays`` or a date range.

One set of rules for the CLI flags and the date-range dialog. They only
catch what is certainly a typo (a date that is not a date, an end before the
start, a window of zero days, half a range); the limits of what the API
accepts (longest window, oldest date, future dates) are the API's to judge.
What the user asked for is sent as typed, and the API's 400 is shown if it
refuses.

Dates are the user's local calendar days, sent as typed (``YYYY-MM-DD``);
the end date is included (``--from 2026-11-01 --to 2026-11-07`` is 7 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from leadping_tui.api.errors import InvalidQuery

#: The windows ``w`` steps through and the date-range dialog offers as buttons.
WINDOW_PRESETS: tuple[int, ...] = (1, 7, 14, 30, 90)
#: What ``--help``, the dialog and the README say about the dates.
DATES_HELP = "YYYY-MM-DD, your local calendar days; the end date is included"


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
    """A window covers at least one day; how long it may be is the API's call."""
    if days < 1:
        raise InvalidQuery(f"A window covers at least 1 day, not {days}.")
    return days


def parse_window_days(text: str) -> int:
    """Read a number of days typed by the user, or raise InvalidQuery."""
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        raise InvalidQuery(f"The number of days {cleaned!r} is not a whole number.")
    return validate_window_days(int(cleaned))


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
        return StatusQuery.range(new_start, new_end)


def _validate_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidQuery(
            f"The end date {end.isoformat()} is before the start date {start.isoformat()}."
        )


def build_query(
    *,
    window_days: int | str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> StatusQuery:
    """Build a query from user text: the CLI's flags and the dialog's fields alike.

    ``window_days`` may be the text of a field. Empty text counts as not given.
    """
    if isinstance(window_days, str):
        window_days = parse_window_days(window_days) if window_days.strip() else None
    start = start if start is None or start.strip() else None
    end = end if end is None or end.strip() else None
    if start is None and end is None:
        return StatusQuery(window_days=window_days)
    if start is None or end is None:
        raise InvalidQuery("Give both a start date and an end date (YYYY-MM-DD).")
    if window_days is not None:
        raise InvalidQuery("Choose a window in days or a date range, not both.")
    first = parse_date(start, field="start date")
    last = parse_date(end, field="end date")
    return StatusQuery.range(first, last)
