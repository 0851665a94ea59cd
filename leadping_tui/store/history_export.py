"""The status history as text: CSV and JSON exports, and reading ``--since``.

They work on plain :class:`Snapshot` lists and need no database.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Any

from leadping_tui.store.history_schema import Snapshot, round_to_ms

_EXPORT_FIELDS = tuple(f for f in Snapshot.__dataclass_fields__)


_TEXT_FIELDS = {"window", "state", "health_status", "pause_reason", "block_reason"}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_LIVE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_control(text: str) -> str:
    # Exports often land on a terminal: third-party text must not carry live escapes.
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _export_dict(snap: Snapshot) -> dict[str, Any]:
    data = asdict(snap)
    data["at"] = snap.at.isoformat().replace("+00:00", "Z")
    data["condition"] = snap.condition.value
    return data


def snapshots_to_csv(snapshots: Iterable[Snapshot]) -> str:
    """CSV with a header row; times in ISO 8601 UTC.

    Control characters in text are written as ``\\uXXXX`` and text starting
    with ``= + - @`` gets a leading ``'`` so a spreadsheet cannot run it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_EXPORT_FIELDS)
    for snap in snapshots:
        data = _export_dict(snap)
        row = []
        for name in _EXPORT_FIELDS:
            value = data[name]
            if value is None:
                row.append("")
            elif name in _TEXT_FIELDS:
                text = _escape_control(str(value))
                row.append("'" + text if text[:1] in ("=", "+", "-", "@") else text)
            elif isinstance(value, float):
                row.append(f"{value:g}" if math.isfinite(value) else "")
            else:
                row.append(str(value))
        writer.writerow(row)
    return out.getvalue()


def snapshots_to_json(snapshots: Iterable[Snapshot]) -> str:
    """A JSON array of objects, one per snapshot; control characters escaped."""
    text = json.dumps([_export_dict(snap) for snap in snapshots], ensure_ascii=False, indent=2)
    # json.dumps already escapes C0; what is left can only occur inside strings,
    # where \\uXXXX is valid JSON.
    return _LIVE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)


_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime:
    """Read ``--since``: ``90m``, ``24h``, ``7d``, ``2w``, ``2026-11-01`` or an ISO time.

    A date means its midnight, and a time without an offset is read, in the
    zone of ``now``.  Returns an aware UTC datetime; raises ValueError with a
    message for the user.
    """
    hint = (
        "use a duration like 90m, 24h or 7d, a date like 2026-11-01, "
        "or a time like 2026-11-01T08:00Z"
    )
    cleaned = text.strip()
    match = _DURATION.match(cleaned)
    try:
        if match:
            unit = _UNITS[match.group(2).lower()]
            result = now - timedelta(**{unit: float(match.group(1))})
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            result = datetime.combine(date.fromisoformat(cleaned), time(), tzinfo=now.tzinfo)
        else:
            result = datetime.fromisoformat(cleaned.replace("z", "Z"))
            if result.tzinfo is None:
                result = result.replace(tzinfo=now.tzinfo)
    except (ValueError, OverflowError):
        raise ValueError(f"Cannot read the time {text!r}: {hint}.") from None
    if result > now:
        raise ValueError(f"The time {text!r} is in the future: {hint}.")
    return round_to_ms(result)
