"""Trends over the status history: sparkline series and score changes.

``sparkline_series`` works on plain :class:`Snapshot` lists; the score
functions ask a :class:`~leadping_tui.store.history.History` for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from leadping_tui.store.history_schema import NUMERIC_FIELDS, Snapshot

if TYPE_CHECKING:
    from leadping_tui.store.history import History


def sparkline_series(
    snapshots: Iterable[Snapshot], attr: str, *, buckets: int, since: datetime, until: datetime
) -> list[float | None]:
    """Resample ``attr`` into ``buckets`` equal time slices of [since, until].

    Each slice holds the last known value inside it, or ``None`` when no
    snapshot fell in it (gaps stay visible rather than invented).
    """
    if attr not in NUMERIC_FIELDS:
        raise ValueError(f"{attr!r} is not a numeric history field ({', '.join(NUMERIC_FIELDS)})")
    if buckets <= 0 or until <= since:
        return []
    span = (until - since).total_seconds()
    values: list[float | None] = [None] * buckets
    for snap in sorted(snapshots, key=lambda s: s.at):
        value = getattr(snap, attr)
        if value is None or not since <= snap.at <= until:
            continue
        index = min(int((snap.at - since).total_seconds() / span * buckets), buckets - 1)
        values[index] = float(value)
    return values


def score_change(history: History, number: str, hours: float = 24) -> float | None:
    """How much the score moved over the last ``hours`` ("since yesterday: -6").

    ``None`` when the latest score or the one in force ``hours`` ago is unknown.
    """
    latest = history.latest(number)
    if latest is None or latest.score is None:
        return None
    then = history.value_at_or_before(number, history.now() - timedelta(hours=hours))
    if then is None or then.score is None:
        return None
    return latest.score - then.score


def score_baseline(history: History, number: str, hours: float) -> Snapshot | None:
    """The snapshot with the highest score in the last ``hours`` (for drop alerts).

    Includes the snapshot in force when the period began, so a drop that
    started just before it still counts from its starting level.
    """
    since = history.now() - timedelta(hours=hours)
    candidates = history.series(number, since)
    start = history.value_at_or_before(number, since)
    if start is not None:
        candidates.insert(0, start)
    scored = [snap for snap in candidates if snap.score is not None]
    return max(scored, key=lambda snap: snap.score or 0.0, default=None)
