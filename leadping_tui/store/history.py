"""Local status history: every successful status, kept compact and bounded.

Storage (SQLite, WAL, ``synchronous=NORMAL``, one connection) keeps a
snapshot of a number only when it matters:

* at once when the condition, readiness state, health status, a pause or block
  reason, or the query window changed (and each changed field is also written
  as a :class:`Transition`, at the moment it is seen);
* when the score or progress changed and at least ``NUMERIC_INTERVAL`` (60 s)
  passed since the last stored row;
* otherwise once every ``HEARTBEAT`` (5 min).

The newest status that was not stored is kept in memory as *pending*: it is
part of every query (:meth:`History.latest`, :meth:`History.series`, ...) and
written on :meth:`History.close`, so nothing seen is lost across a restart.

Worst-case size.  A snapshot row takes about 90 bytes on disk with its key
(``tests/test_history.py`` checks it stays under 120).  Rows per day per
number: 288 when nothing changes (one per 5 min), at most 1 440 when only the
score or progress moves, and at most one per fetch when the state flaps on
every fetch: 2 880 at the 30 s foreground refresh, 720 at the 120 s background
refresh.  So 200 background numbers cost about 200 x 288 x 100 B = 5.8 MB a
day when quiet and 14 MB a day at worst; 90 days of that exceeds the default
50 MiB bound, which :meth:`History.prune` enforces:

1. rows older than ``retention_days`` go (snapshots and transitions);
2. above ``max_bytes`` the oldest snapshots are thinned, keeping every stored
   change: older than 1 day to one per 30 min, older than 3 days to one per
   2 h, older than 7 days to one per 6 h (a quiet number then costs about
   48 + 2 x 12 + 4 x 4 per day after the first: 200 numbers x 90 days fit in
   about 20 MB);
3. still above it, the oldest snapshots of all numbers go, never the last day;
4. only then the oldest transitions;

and the file is vacuumed so the bound is the real file size (the WAL, capped
at 4 MiB after checkpoints, comes on top).  ``prune`` runs by itself every
``PRUNE_EVERY`` stored rows.  A record that stores nothing costs a comparison;
one that stores costs one short transaction (well under 2 ms).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.store.history_export import parse_since, snapshots_to_csv, snapshots_to_json
from leadping_tui.store.history_prune import delete_before, ms, shrink, used_bytes
from leadping_tui.store.history_schema import (
    INSERT_SNAPSHOT,
    KIND_CHANGE,
    KIND_HEARTBEAT,
    KIND_NUMERIC,
    SNAPSHOT_COLUMNS,
    TRANSITION_FIELDS,
    Snapshot,
    Transition,
    field_code,
    field_name,
    from_ms,
    now_utc,
    open_database,
    row_to_snapshot,
    snapshot_from_status,
    snapshot_to_row,
    to_ms,
)

__all__ = [
    "History",
    "HistoryError",
    "Snapshot",
    "Transition",
    "now_utc",
    "parse_since",
    "snapshot_from_status",
    "snapshots_to_csv",
    "snapshots_to_json",
]

HEARTBEAT = timedelta(minutes=5)
NUMERIC_INTERVAL = timedelta(seconds=60)
PRUNE_EVERY = 500


class HistoryError(Exception):
    """The history database could not be read or written (disk full, locked...)."""


class History:
    """The status history of every number, in one SQLite file.

    Not thread-safe: use it from one thread (the UI's event loop).  A second
    process writing the same file is safe for SQLite but this object's caches
    will not see the other process's rows until it is reopened.
    """

    def __init__(
        self,
        path: Path,
        *,
        retention_days: int = 90,
        max_bytes: int = 50 * 2**20,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.max_bytes = max_bytes
        self._clock = clock
        try:
            self._conn: sqlite3.Connection | None
            self._conn, self.notice = open_database(path, clock)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"Cannot open the history database {path}: {exc}") from exc
        self._ids: dict[str, int] = {}
        self._stored: dict[str, Snapshot | None] = {}
        self._pending: dict[str, Snapshot] = {}
        self._before: dict[str, Snapshot | None] = {}
        self._writes = 0

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        retention_days: int = 90,
        max_bytes: int = 50 * 2**20,
        clock: Callable[[], datetime] = now_utc,
    ) -> tuple[History, str | None]:
        """Open the history; the notice is set when a damaged file was moved aside."""
        history = cls(path, retention_days=retention_days, max_bytes=max_bytes, clock=clock)
        return history, history.notice

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The history's clock (injectable for tests)."""
        return self._clock()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryError("The history is closed.")
        return self._conn

    # -- writing ---------------------------------------------------------

    def record(
        self, number: str, status: PhoneNumberStatus, *, window: str, at: datetime | None = None
    ) -> list[Transition]:
        """Note one successful status; returns the transitions it revealed.

        The first status ever seen for a number has nothing to compare with and
        yields no transitions.  Raises :class:`HistoryError` if the write fails.
        """
        snap = snapshot_from_status(number, status, window=window, at=at or self._clock())
        last = self.latest(number)
        stored = self._last_stored(number)
        transitions = [] if last is None else _diff(last, snap)
        kind = _kind_to_store(stored, snap)
        self._before[number] = last
        if kind is None:
            self._pending[number] = snap
            return transitions
        try:
            self._write(snap, kind, transitions)
        except HistoryError:
            self._pending[number] = snap
            raise
        if self._writes >= PRUNE_EVERY:
            self.prune()
        return transitions

    def _write(self, snap: Snapshot, kind: int, transitions: Sequence[Transition]) -> None:
        try:
            with self.conn:
                number_id = self._number_id(snap.number)
                self.conn.execute(INSERT_SNAPSHOT, (number_id, *snapshot_to_row(snap, kind)))
                self.conn.executemany(
                    "INSERT OR REPLACE INTO transitions VALUES (?, ?, ?, ?, ?)",
                    [
                        (number_id, to_ms(t.at), field_code(t.field), t.old, t.new)
                        for t in transitions
                    ],
                )
        except sqlite3.Error as exc:
            raise HistoryError(f"Cannot write the history database {self.path}: {exc}") from exc
        self._stored[snap.number] = snap
        self._pending.pop(snap.number, None)
        self._writes += 1

    def _number_id(self, number: str) -> int:
        if number not in self._ids:
            self.conn.execute("INSERT OR IGNORE INTO numbers (number) VALUES (?)", (number,))
            row = self.conn.execute("SELECT id FROM numbers WHERE number = ?", (number,)).fetchone()
            self._ids[number] = int(row[0])
        return self._ids[number]

    def _known_id(self, number: str) -> int | None:
        if number in self._ids:
            return self._ids[number]
        row = self.conn.execute("SELECT id FROM numbers WHERE number = ?", (number,)).fetchone()
        if row is None:
            return None
        self._ids[number] = int(row[0])
        return self._ids[number]

    # -- reading ---------------------------------------------------------

    def latest(self, number: str) -> Snapshot | None:
        """The newest status seen for the number, stored or still pending."""
        return self._pending.get(number) or self._last_stored(number)

    def previous(self, number: str) -> Snapshot | None:
        """The status that was newest just before the latest one.

        After :meth:`record`, this is what the number looked like before that
        record (``None`` for its first status ever).  Before any record in this
        session it is the second newest stored row.
        """
        if number in self._before:
            return self._before[number]
        rows = self._select(number, "ORDER BY at DESC LIMIT 2")
        return rows[1] if len(rows) == 2 else None

    def series(self, number: str, since: datetime) -> list[Snapshot]:
        """Every snapshot at or after ``since``, oldest first (the pending one last)."""
        rows = self._select(number, "AND at >= ? ORDER BY at", to_ms(since))
        return self._with_pending(number, rows, since)

    def value_at_or_before(self, number: str, at: datetime) -> Snapshot | None:
        """The snapshot in force at ``at``: the newest one not after it."""
        pending = self._pending.get(number)
        if pending is not None and pending.at <= at:
            return pending
        rows = self._select(number, "AND at <= ? ORDER BY at DESC LIMIT 1", to_ms(at))
        return rows[0] if rows else None

    def export(self, number: str, *, since: datetime | None = None) -> list[Snapshot]:
        """All kept snapshots of the number (from ``since``), oldest first."""
        if since is None:
            return self._with_pending(number, self._select(number, "ORDER BY at"), None)
        return self.series(number, since)

    def transitions(self, number: str, *, limit: int = 200) -> list[Transition]:
        """The most recent ``limit`` transitions of the number, oldest first."""
        number_id = self._known_id(number)
        if number_id is None:
            return []
        rows = self.conn.execute(
            "SELECT at, field, old, new FROM transitions WHERE number_id = ? "
            "ORDER BY at DESC, field DESC LIMIT ?",
            (number_id, limit),
        ).fetchall()
        return [
            Transition(number, from_ms(at), field_name(code), old, new)
            for at, code, old, new in reversed(rows)
        ]

    def numbers(self) -> list[str]:
        """Every number with history, sorted."""
        stored = {row[0] for row in self.conn.execute("SELECT number FROM numbers")}
        return sorted(stored | set(self._pending))

    def _select(self, number: str, tail: str, *args: object) -> list[Snapshot]:
        number_id = self._known_id(number)
        if number_id is None:
            return []
        rows = self.conn.execute(
            f"SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE number_id = ? {tail}",  # noqa: S608
            (number_id, *args),
        ).fetchall()
        return [row_to_snapshot(number, row) for row in rows]

    def _with_pending(
        self, number: str, rows: list[Snapshot], since: datetime | None
    ) -> list[Snapshot]:
        pending = self._pending.get(number)
        if (
            pending is not None
            and (since is None or pending.at >= since)
            and (not rows or pending.at > rows[-1].at)
        ):
            rows.append(pending)
        return rows

    def _last_stored(self, number: str) -> Snapshot | None:
        if number not in self._stored:
            rows = self._select(number, "ORDER BY at DESC LIMIT 1")
            self._stored[number] = rows[0] if rows else None
        return self._stored[number]

    # -- bounding --------------------------------------------------------

    def used_bytes(self) -> int:
        """Bytes the live pages of the database take (what ``max_bytes`` bounds)."""
        return used_bytes(self.conn)

    def prune(self) -> int:
        """Apply the retention period and the size bound; returns the rows deleted."""
        self._writes = 0
        now = to_ms(self._clock())
        cutoff = now - ms(self.retention)
        try:
            with self.conn:
                ids = [row[0] for row in self.conn.execute("SELECT id FROM numbers")]
                deleted = delete_before(self.conn, ids, cutoff)
            if self.used_bytes() > self.max_bytes:
                deleted += shrink(self.conn, ids, now, self.max_bytes)
            # execute() steps this pragma once, freeing one page; executescript
            # runs it to the end.
            self.conn.executescript("PRAGMA incremental_vacuum;")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise HistoryError(f"Cannot prune the history database {self.path}: {exc}") from exc
        if deleted:
            self._stored.clear()
        return deleted

    def close(self) -> None:
        """Write pending snapshots and close; safe to call twice."""
        if self._conn is None:
            return
        try:
            for snap in list(self._pending.values()):
                self._write(snap, KIND_HEARTBEAT, ())
            self._conn.execute("PRAGMA optimize")
        except (sqlite3.Error, HistoryError):
            pass  # Closing must not fail; at most the last few minutes are lost.
        finally:
            self._conn.close()
            self._conn = None


def _diff(old: Snapshot, new: Snapshot) -> list[Transition]:
    changes = []
    for name in TRANSITION_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Transition(new.number, new.at, name, _str(before), _str(after)))
    return changes


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _kind_to_store(stored: Snapshot | None, snap: Snapshot) -> int | None:
    if stored is None or stored.categorical() != snap.categorical():
        return KIND_CHANGE
    elapsed = snap.at - stored.at
    if elapsed >= HEARTBEAT:
        return KIND_HEARTBEAT
    moved = (stored.score, stored.progress) != (snap.score, snap.progress)
    if moved and elapsed >= NUMERIC_INTERVAL:
        return KIND_NUMERIC
    return None
