"""``leadping-tui history NUMBER``: the snapshots the dashboard recorded for a number.

Read-only in spirit: a missing history database is reported, never created.
Output is a readable table, or ``--csv`` / ``--json`` for other tools.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.cells import cell_len

from leadping_tui.phone import InvalidNumber, format_number, normalize_number
from leadping_tui.runtime import Runtime
from leadping_tui.store.history import (
    History,
    HistoryError,
    Snapshot,
    parse_since,
    snapshots_to_csv,
    snapshots_to_json,
)
from leadping_tui.terminal.safe_text import clean
from leadping_tui.times.timefmt import absolute, resolve_timezone, zone_label

USAGE_ERROR = 2
_REASON_CELLS = 48
_TEXT_CELLS = 20
_GAP = "  "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``history`` subcommand's arguments."""
    parser.add_argument("number", help="phone number, e.g. +12025550101 or '(202) 555-0101'")
    parser.add_argument(
        "--since",
        default="7d",
        metavar="WHEN",
        help="start: a duration (90m, 24h, 7d, 2w), a date (2026-11-01) or an ISO time "
        "(default 7d)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="print CSV (times in UTC)")
    output.add_argument("--json", action="store_true", help="print a JSON array (times in UTC)")


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    """Print the number's snapshots; 0 on success (even when there are none), 2 on errors."""
    tz = resolve_timezone(runtime.settings.timezone)
    try:
        number = normalize_number(args.number)
        since = parse_since(args.since, datetime.now(tz))
    except (InvalidNumber, ValueError) as exc:
        return _fail(str(exc))
    shown = format_number(number)
    path = runtime.paths.history_db
    snapshots: list[Snapshot] = []
    newest: Snapshot | None = None
    # Opening would create an empty database; a missing one just means "nothing yet".
    if path.exists():
        try:
            snapshots, newest = _read(runtime, number, since)
        except HistoryError as exc:
            return _fail(str(exc))
    machine = bool(args.csv or args.json)
    if args.csv:
        print(snapshots_to_csv(snapshots), end="")
    elif args.json:
        print(snapshots_to_json(snapshots))
    if snapshots:
        if not machine:
            count = f"{len(snapshots)} snapshot{'s' if len(snapshots) != 1 else ''}"
            print(f"{shown}: {count} since {absolute(since, tz)} ({zone_label(tz, since)})")
            print(render_table(snapshots, tz))
        return 0
    # Machine output stays a well-formed (empty) document; the explanation goes aside.
    info = sys.stderr if machine else sys.stdout
    if newest is None:
        print(
            f"No history recorded yet for {shown}; history is kept while the dashboard runs.",
            file=info,
        )
    else:
        print(
            f"No snapshots of {shown} since {absolute(since, tz)}; the newest is from "
            f"{absolute(newest.at, tz)} (try a longer --since).",
            file=info,
        )
    return 0


def _read(runtime: Runtime, number: str, since: datetime) -> tuple[list[Snapshot], Snapshot | None]:
    """The snapshots since ``since`` and, when there are none, the newest one at all."""
    path = runtime.paths.history_db
    history, notice = History.open(
        path,
        retention_days=runtime.settings.retention_days,
        max_bytes=runtime.settings.history_max_mb * 2**20,
    )
    if notice:
        print(f"leadping-tui: {notice}", file=sys.stderr)
    try:
        with history:
            snapshots = history.export(number, since=since)
            return snapshots, (None if snapshots else history.latest(number))
    except sqlite3.Error as exc:
        raise HistoryError(f"Cannot read the history database {path}: {exc}") from exc


def _fail(message: str) -> int:
    print(f"leadping-tui: {message}", file=sys.stderr)
    return USAGE_ERROR


_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("time", False),
    ("condition", False),
    ("score", True),
    ("progress", True),
    ("state", False),
    ("health", False),
    ("sent", True),
    ("delivered", True),
    ("failed", True),
    ("opt-outs", True),
    ("opt-out %", True),
    ("window", False),
    ("reason", False),
)


def render_table(snapshots: Sequence[Snapshot], tz: tzinfo) -> str:
    """Aligned columns, one line per snapshot, third-party text made safe."""
    rows = [_row(snap, tz) for snap in snapshots]
    headers = [name for name, _ in _COLUMNS]
    widths = [
        max([cell_len(headers[i]), *(cell_len(row[i]) for row in rows)])
        for i in range(len(_COLUMNS))
    ]
    lines = [_line(headers, widths), _line(["-" * width for width in widths], widths)]
    lines.extend(_line(row, widths) for row in rows)
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    parts = []
    for (_, numeric), cell, width in zip(_COLUMNS, cells, widths, strict=True):
        pad = " " * (width - cell_len(cell))
        parts.append(pad + cell if numeric else cell + pad)
    return _GAP.join(parts).rstrip()


def _row(snap: Snapshot, tz: tzinfo) -> list[str]:
    reason = snap.block_reason or snap.pause_reason
    label = "blocked: " if snap.block_reason else "paused: " if snap.pause_reason else ""
    return [
        absolute(snap.at, tz, with_seconds=True),
        f"{snap.condition.symbol} {snap.condition.word}",
        _num(snap.score),
        _num(snap.progress, " %"),
        clean(snap.state, max_len=_TEXT_CELLS) or "—",
        clean(snap.health_status, max_len=_TEXT_CELLS) or "—",
        _num(snap.sent),
        _num(snap.delivered),
        _num(snap.failures),
        _num(snap.opt_outs),
        _num(snap.opt_out_rate),
        clean(snap.window, max_len=_TEXT_CELLS) or "—",
        (label + clean(reason, max_len=_REASON_CELLS)) if reason else "",
    ]


def _num(value: float | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}{suffix}"
    return f"{value:,.1f}{suffix}"
