"""Keeping the history file inside its bounds: retention, thinning, trimming.

The policy is described in :mod:`leadping_tui.store.history`; here are the
SQL steps :meth:`~leadping_tui.store.history.History.prune` takes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import timedelta

from leadping_tui.store.history_schema import KIND_CHANGE

KEEP_AT_LEAST = timedelta(days=1)


# (older than, one row per): applied in turn until the estimate fits.
THINNING: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(days=1), timedelta(minutes=30)),
    (timedelta(days=3), timedelta(hours=2)),
    (timedelta(days=7), timedelta(hours=6)),
)


# Shrink to this share of max_bytes so the next prune is not due at once.
_TARGET_SHARE = 0.8


def ms(delta: timedelta) -> int:
    return round(delta.total_seconds() * 1000)


def delete_before(conn: sqlite3.Connection, ids: Iterable[int], cutoff: int) -> int:
    deleted = 0
    for number_id in ids:
        for table in ("snapshots", "transitions"):
            cursor = conn.execute(
                f"DELETE FROM {table} WHERE number_id = ? AND at < ?",  # noqa: S608
                (number_id, cutoff),
            )
            deleted += cursor.rowcount
    return deleted


def _thin_and_trim(conn: sqlite3.Connection, ids: list[int], now: int, excess: int) -> int:
    deleted = 0
    for older_than, bucket in THINNING:
        if deleted >= excess:
            return deleted
        cutoff, width = now - ms(older_than), ms(bucket)
        for number_id in ids:
            deleted += conn.execute(
                "DELETE FROM snapshots WHERE number_id = ?1 AND at < ?2 AND kind < ?4 "
                "AND at NOT IN (SELECT max(at) FROM snapshots WHERE number_id = ?1 "
                "AND at < ?2 GROUP BY at / ?3)",
                (number_id, cutoff, width, KIND_CHANGE),
            ).rowcount
    keep_from = now - ms(KEEP_AT_LEAST)
    for table, floor in (("snapshots", keep_from), ("transitions", now)):
        if deleted >= excess:
            break
        row = conn.execute(
            f"SELECT at FROM {table} ORDER BY at LIMIT 1 OFFSET ?",  # noqa: S608
            (excess - deleted,),
        ).fetchone()
        cutoff = min(int(row[0]) if row else floor, floor)
        sql = f"DELETE FROM {table} WHERE at < ?"  # noqa: S608 - table names are constants
        deleted += conn.execute(sql, (cutoff,)).rowcount
    return deleted


def used_bytes(conn: sqlite3.Connection) -> int:
    """Bytes the live pages of the database take (what ``max_bytes`` bounds)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def shrink(conn: sqlite3.Connection, ids: list[int], now: int, max_bytes: int) -> int:
    """Thin, then trim, the oldest rows until the file fits ``max_bytes``; rows deleted."""
    deleted = 0
    target = int(max_bytes * _TARGET_SHARE)
    # Page counts only fall after a VACUUM, so deletions are planned from a
    # bytes-per-row estimate and checked for real after vacuuming.
    for _round in range(3):
        rows = sum(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("snapshots", "transitions")
        )
        per_row = used_bytes(conn) / max(rows, 1)
        excess = rows - int(target / per_row) if per_row else 0
        if excess <= 0:
            break
        with conn:
            removed = _thin_and_trim(conn, ids, now, excess)
        deleted += removed
        conn.execute("VACUUM")
        if removed == 0 or used_bytes(conn) <= max_bytes:
            break
    return deleted
