"""The status history's records: their fields, tables and file.

:mod:`leadping_tui.store.history` (the store itself, which re-exports the
public names here) builds on this.  The on-disk layout and its migrations live
in one place; text forms are in ``history_export``, trends in ``history_trends``,
the size bound in ``history_prune``.

Opening never silently replaces a file: a file that is not a database, fails
SQLite's quick check, or was written by a newer schema is moved aside to
``<name>.broken-YYYYmmdd-HHMMSS`` and a notice naming that path is returned.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadping_tui.api.condition import Condition, assess
from leadping_tui.api.models import PhoneNumberStatus

SCHEMA_VERSION = 1
TRANSITION_FIELDS = ("condition", "state", "health_status", "pause_reason", "block_reason")
NUMERIC_FIELDS = (
    "score",
    "progress",
    "sent",
    "delivered",
    "failures",
    "opt_outs",
    "delivery_rate",
    "opt_out_rate",
)
# Third-party text (reasons, labels) is capped so one absurd value cannot bloat every row.
MAX_TEXT_CHARS = 500

KIND_HEARTBEAT = 0
KIND_NUMERIC = 1
KIND_CHANGE = 2

_CONDITION_BY_CODE = {condition.severity: condition for condition in Condition}
_FIELD_CODES = {name: code for code, name in enumerate(TRANSITION_FIELDS)}


def now_utc() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Snapshot:
    """What one number looked like at one moment."""

    number: str
    at: datetime
    window: str
    condition: Condition
    score: float | None = None
    progress: float | None = None
    sent: int | None = None
    delivered: int | None = None
    failures: int | None = None
    opt_outs: int | None = None
    delivery_rate: float | None = None
    opt_out_rate: float | None = None
    state: str | None = None
    health_status: str | None = None
    pause_reason: str | None = None
    block_reason: str | None = None

    def categorical(self) -> tuple[object, ...]:
        """The fields whose change is stored at once (transitions plus the window)."""
        return (*(getattr(self, name) for name in TRANSITION_FIELDS), self.window)


@dataclass(frozen=True)
class Transition:
    """One categorical field of a number changed from ``old`` to ``new`` at ``at``."""

    number: str
    at: datetime
    field: str
    old: str | None
    new: str | None


def to_ms(when: datetime) -> int:
    """Milliseconds since the epoch; a naive time is read as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return round(when.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def round_to_ms(when: datetime) -> datetime:
    """The instant as it will read back from the database."""
    return from_ms(to_ms(when))


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped[:MAX_TEXT_CHARS] if stripped else None


def snapshot_from_status(
    number: str, status: PhoneNumberStatus, *, window: str, at: datetime
) -> Snapshot:
    """Reduce a full status to the fields the history keeps.

    The SDK shape lacks the warm-up counters, so ``sent`` and ``failures`` fall
    back to the traffic metrics' SMS counts, and ``opt_outs`` prefers the
    opt-out metrics over the warm-up's opt-out signals.
    """
    warmup = status.sms_warmup
    traffic = status.traffic_metrics
    opt_out = status.opt_out_metrics
    sent = warmup.sent_count if warmup else None
    failures = warmup.failure_count if warmup else None
    if sent is None and traffic is not None:
        sent = traffic.sms_sent_count
    if failures is None and traffic is not None:
        failures = traffic.sms_failed_count
    opt_outs = opt_out.opt_out_count if opt_out else None
    if opt_outs is None and warmup is not None:
        opt_outs = warmup.opt_out_signal_count
    state = warmup.status if warmup else None
    if state is None and warmup is not None and warmup.ui_state is not None:
        state = warmup.ui_state.label
    return Snapshot(
        number=number,
        at=round_to_ms(at),
        window=window,
        condition=assess(status).condition,
        score=warmup.health_score if warmup else None,
        progress=warmup.progress_percent if warmup else None,
        sent=sent,
        delivered=warmup.delivered_count if warmup else None,
        failures=failures,
        opt_outs=opt_outs,
        delivery_rate=warmup.delivery_success_rate if warmup else None,
        opt_out_rate=opt_out.opt_out_rate_percent if opt_out else None,
        state=_text(state),
        health_status=_text(warmup.health_status if warmup else None),
        pause_reason=_text(warmup.pause_reason if warmup else None),
        block_reason=_text(warmup.block_reason if warmup else None),
    )


# ``query_window`` because WINDOW is an SQL keyword.  Both tables are keyed by
# (number, time) WITHOUT ROWID: the key is the only index, so a row costs its
# bytes once and every per-number query is a range scan.
_DDL = """
CREATE TABLE numbers (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE);
CREATE TABLE snapshots (
    number_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    query_window TEXT,
    condition INTEGER NOT NULL,
    score REAL, progress REAL,
    sent INTEGER, delivered INTEGER, failures INTEGER, opt_outs INTEGER,
    delivery_rate REAL, opt_out_rate REAL,
    state TEXT, health_status TEXT, pause_reason TEXT, block_reason TEXT,
    PRIMARY KEY (number_id, at)
) WITHOUT ROWID;
CREATE TABLE transitions (
    number_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    field INTEGER NOT NULL,
    old TEXT,
    new TEXT,
    PRIMARY KEY (number_id, at, field)
) WITHOUT ROWID;
"""

_VALUE_FIELDS = (*NUMERIC_FIELDS, "state", "health_status", "pause_reason", "block_reason")
SNAPSHOT_COLUMNS = "at, kind, query_window, condition, " + ", ".join(_VALUE_FIELDS)
INSERT_SNAPSHOT = (
    f"INSERT OR REPLACE INTO snapshots (number_id, {SNAPSHOT_COLUMNS}) "  # noqa: S608
    f"VALUES ({', '.join('?' * (len(_VALUE_FIELDS) + 5))})"
)


def snapshot_to_row(snap: Snapshot, kind: int) -> tuple[object, ...]:
    """The values for :data:`SNAPSHOT_COLUMNS`, in order."""
    values = (getattr(snap, name) for name in _VALUE_FIELDS)
    return (to_ms(snap.at), kind, snap.window, snap.condition.severity, *values)


def row_to_snapshot(number: str, row: tuple[object, ...]) -> Snapshot:
    """Read a row selected as :data:`SNAPSHOT_COLUMNS`."""
    at, _kind, window, code, *values = row
    condition = _CONDITION_BY_CODE.get(code if isinstance(code, int) else -1, Condition.UNKNOWN)
    fields: dict[str, Any] = {
        name: _COERCE.get(name, _float)(value)
        for name, value in zip(_VALUE_FIELDS, values, strict=True)
    }
    return Snapshot(
        number=number,
        at=from_ms(at if isinstance(at, int) else 0),
        window=str(window or ""),
        condition=condition,
        **fields,
    )


def field_code(name: str) -> int:
    return _FIELD_CODES[name]


def field_name(code: int) -> str:
    return TRANSITION_FIELDS[code] if 0 <= code < len(TRANSITION_FIELDS) else f"field{code}"


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _whole_or_float(value: object) -> int | float | None:
    # The score and progress are integers in the API; their REAL columns hand
    # back 73.0, which exports must write as 73 (the SDK reads 73.0 as None).
    number = _float(value)
    return int(number) if number is not None and number.is_integer() else number


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_COERCE: dict[str, Callable[[object], object]] = {
    "score": _whole_or_float,
    "progress": _whole_or_float,
    "sent": _int,
    "delivered": _int,
    "failures": _int,
    "opt_outs": _int,
    "state": _str,
    "health_status": _str,
    "pause_reason": _str,
    "block_reason": _str,
}


# Migration hook: MIGRATIONS[n] upgrades a version-n database to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


class _Unusable(Exception):
    """The file cannot be used as our history; the text says why."""


def open_database(
    path: Path, clock: Callable[[], datetime]
) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating if needed) the history at ``path``.

    Returns the connection and, when the old file had to be moved aside, a
    notice naming where it went.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _connect(path), None
    except sqlite3.OperationalError:
        raise  # Locked, unreadable, disk I/O: the file may be fine, so it stays.
    except (_Unusable, sqlite3.DatabaseError) as exc:
        reason = str(exc) or type(exc).__name__
    backup = _move_aside(path, clock())
    notice = (
        f"The history database {path} could not be used ({reason}); it was moved to "
        f"{backup} and a new, empty history was started."
    )
    return _connect(path), notice


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        # Created private before SQLite touches it; its -wal and -shm files copy the mode.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=0.5, check_same_thread=False)
    try:
        _prepare(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection) -> None:
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if not has_tables:
        # Must precede the first table: lets prune() hand freed pages back cheaply.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    check = conn.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise _Unusable("integrity check failed: " + "; ".join(str(row[0]) for row in check[:3]))
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise _Unusable(f"cannot switch to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA journal_size_limit = 4194304")
    conn.execute("PRAGMA foreign_keys = OFF")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if not has_tables:
        with conn:
            conn.executescript(_DDL)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return
    if version > SCHEMA_VERSION:
        raise _Unusable(f"it was written by a newer leadping-tui (schema {version})")
    if version < 1:
        raise _Unusable("it is not a leadping-tui history")
    while version < SCHEMA_VERSION:
        with conn:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = {"numbers", "snapshots", "transitions"} - tables
    if missing:
        raise _Unusable("tables missing: " + ", ".join(sorted(missing)))


def _move_aside(path: Path, when: datetime) -> Path:
    stamp = when.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.broken-{stamp}")
    serial = 1
    while backup.exists():
        serial += 1
        backup = path.with_name(f"{path.name}.broken-{stamp}-{serial}")
    os.replace(path, backup)
    # The WAL belongs to the old file; it goes with it so it is never replayed into the new one.
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            if suffix == "-wal":
                os.replace(sidecar, backup.with_name(backup.name + suffix))
            else:
                with contextlib.suppress(OSError):
                    sidecar.unlink()
    return backup
