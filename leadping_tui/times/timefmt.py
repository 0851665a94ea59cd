"""Times for people: relative ("3 min ago", "in 2 h") and absolute in a chosen zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadping_tui.times import clock


def resolve_timezone(name: str) -> tzinfo:
    """``local``, ``UTC`` or an IANA name; unknown names fall back to local time."""
    if name.lower() == "utc":
        return UTC
    if name.lower() != "local":
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = clock.now_utc().astimezone().tzinfo
    return local if local is not None else UTC


def zone_label(tz: tzinfo, at: datetime | None = None) -> str:
    """A short name for the zone in use, e.g. ``UTC`` or ``EST (UTC-05:00)``."""
    moment = (at or clock.now_utc()).astimezone(tz)
    name = moment.tzname() or "local"
    if name == "UTC":
        return "UTC"
    offset = moment.strftime("%z")
    return f"{name} (UTC{offset[:3]}:{offset[3:]})" if offset else name


def duration(seconds: float) -> str:
    """Compact duration: ``45 s``, ``3 min``, ``2 h 5 min``, ``4 d 3 h``."""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{int(seconds)} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def relative(when: datetime | None, now: datetime) -> str:
    """``3 min ago`` / ``in 2 h`` / ``just now``; empty for a missing time."""
    if when is None:
        return ""
    delta = (when - now).total_seconds()
    if abs(delta) < 5:
        return "just now"
    return f"in {duration(delta)}" if delta > 0 else f"{duration(delta)} ago"


def absolute(when: datetime | None, tz: tzinfo, *, with_seconds: bool = False) -> str:
    """``2026-11-27 14:05`` in the chosen zone; empty for a missing time."""
    if when is None:
        return ""
    try:
        return _stamp(when.astimezone(tz), with_seconds)
    except (OverflowError, ValueError, OSError):
        # Year 1 or 9999 cannot always be moved to another zone; show it as
        # sent, with the offset it was sent in ("UTC+14:00"), not "UTC".
        return f"{_stamp(when, with_seconds)} {when.tzname() or 'UTC'}"


def short_absolute(when: datetime, now: datetime, tz: tzinfo) -> str:
    """``14:05`` today, ``11-18 09:12`` this year, ``2025-11-18`` before, in ``tz``.

    For panels where the relative time beside it carries the rest.
    """
    full = absolute(when, tz)
    try:
        local, today = when.astimezone(tz), now.astimezone(tz)
    except (OverflowError, ValueError, OSError):
        return full
    if local.date() == today.date():
        return full[11:16]
    if local.year == today.year:
        return full[5:16]
    return full[:10]


def _stamp(when: datetime, with_seconds: bool) -> str:
    # Not strftime: glibc writes year 1 as "1", which breaks every caller
    # that slices the date and time out of a fixed-width stamp.
    text = f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"
    return f"{text}:{when.second:02d}" if with_seconds else text


def both(when: datetime | None, now: datetime, tz: tzinfo) -> str:
    """``2026-11-27 14:05 (3 min ago)``, or ``—`` when missing."""
    if when is None:
        return "—"
    return f"{absolute(when, tz)} ({relative(when, now)})"


def seconds_until_change(
    render: Callable[[float], object], horizon: float, resolution: float = 0.1
) -> float:
    """Seconds from now until ``render(offset)`` first differs from ``render(0)``.

    ``render`` draws some text as it would read ``offset`` seconds from now.
    Relative times and countdowns never return to a text they have left, so
    a bisection finds the first change; ``horizon`` when nothing changes
    before it. Lets a screen repaint when its text changes instead of on a
    fixed tick ("just now" → "1 min ago" is a minute, not sixty repaints).
    """
    first = render(0.0)
    if render(horizon) == first:
        return horizon
    low, high = 0.0, horizon
    while high - low > resolution:
        middle = (low + high) / 2
        if render(middle) == first:
            low = middle
        else:
            high = middle
    return high
