"""The metrics window a request asks for: ``windowDays`` or ``startDate``/``endDate``.

The real API does not document its limits, and the app does not guess them:
it sends what the user typed and shows the API's 400. These are the
simulator's own rules (README, "The simulator"), so the app's tests see a
server refuse, not the app agree with itself:

- ``windowDays``: an integer as the seed page spells it, 1 to 365.
- ``startDate`` and ``endDate``: both or neither, ``YYYY-MM-DD``, the end on
  or after the start, at most 366 days counting both ends. A start more
  than one day after today (UTC) is refused: there can be no data yet, and
  the day of slack lets a user east of UTC ask for their own today. An end
  in the future is cut at now.
- A date range wins over ``windowDays``; both are still checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 365
MAX_RANGE_DAYS = 366
#: How far past today (UTC) a start date may be: one day, for zones ahead of UTC.
START_SLACK = timedelta(days=1)
_INT = re.compile(r"-?(?:0|[1-9]\d*)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Window:
    """The span metrics are counted over, and the ``windowDays`` reported for it."""

    start: datetime
    end: datetime  # never after "now"
    days: int

    @property
    def hourly(self) -> bool:
        """Trend buckets are hourly for short windows, daily otherwise."""
        return self.days <= 2


class WindowError(ValueError):
    """The query is invalid; ``errors`` maps each parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _parse_date(name: str, raw: str, errors: dict[str, list[str]]) -> date | None:
    if _DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    errors[name] = [f"The value '{raw}' is not a valid date (expected YYYY-MM-DD)."]
    return None


def parse_window(query: dict[str, str], now: datetime) -> Window:
    """The window ``query`` asks for at ``now``; raises :class:`WindowError` if invalid.

    An explicit date range wins over ``windowDays``; both are still validated.
    """
    errors: dict[str, list[str]] = {}
    days = DEFAULT_WINDOW_DAYS
    raw_days = query.get("windowDays")
    if raw_days is not None:
        if not _INT.fullmatch(raw_days):
            errors["windowDays"] = [f"The value '{raw_days}' is not a valid integer."]
        elif not 1 <= int(raw_days) <= MAX_WINDOW_DAYS:
            errors["windowDays"] = [f"windowDays must be between 1 and {MAX_WINDOW_DAYS}."]
        else:
            days = int(raw_days)
    raw_start, raw_end = query.get("startDate"), query.get("endDate")
    start = _parse_date("startDate", raw_start, errors) if raw_start is not None else None
    end = _parse_date("endDate", raw_end, errors) if raw_end is not None else None
    if raw_start is not None and raw_end is None:
        errors["endDate"] = ["endDate is required when startDate is given."]
    if raw_end is not None and raw_start is None:
        errors["startDate"] = ["startDate is required when endDate is given."]
    if start is not None and end is not None:
        if start > end:
            errors["endDate"] = ["endDate must be on or after startDate."]
        elif (end - start).days + 1 > MAX_RANGE_DAYS:
            errors["endDate"] = [f"The date range must not exceed {MAX_RANGE_DAYS} days."]
    if start is not None and start > (now + START_SLACK).date():
        errors.setdefault("startDate", []).append("startDate must not be in the future.")
    if errors:
        raise WindowError(errors)
    if start is not None and end is not None:
        begin = datetime.combine(start, time(), UTC)
        stop = datetime.combine(end + timedelta(days=1), time(), UTC)
        return Window(begin, max(begin, min(stop, now)), (end - start).days + 1)
    return Window(now - timedelta(days=days), now, days)


@dataclass(frozen=True)
class Bucket:
    """One trend bucket."""

    start: datetime
    end: datetime
    label: str


def buckets(window: Window) -> list[Bucket]:
    """The trend buckets of ``window``: hourly or daily, none wholly in the future."""
    step = timedelta(hours=1) if window.hourly else timedelta(days=1)
    result: list[Bucket] = []
    start = window.start
    while start < window.end:
        end = start + step
        label = f"{start:%H:%M}" if window.hourly else f"{start:%b} {start.day}"
        result.append(Bucket(start, end, label))
        start = end
    return result
