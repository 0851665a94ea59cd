"""Save one fetched status to disk: the raw JSON plus summary and events CSVs.

Three files share one stem, ``leadping-<digits>-<YYYYmmdd-HHMMSS>``:

* ``<stem>.json``: the response exactly as received (pretty-printed) with an
  ``_export`` header saying which number, window and time it is. The API key
  is never part of it.
* ``<stem>-summary.csv``: one row of the main figures.
* ``<stem>-events.csv``: one row per recent event.

The CSV rows come from :mod:`leadping_tui.reports.status_report`, which neutralises
third-party text and spreadsheet formulas. Each file is written atomically;
the set is not, so a failure part-way removes the files already written.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadping_tui import __version__
from leadping_tui.api.condition import assess
from leadping_tui.api.result import FetchResult
from leadping_tui.reports.status_report import EVENT_COLUMNS, event_row, summary_row, to_csv
from leadping_tui.store.atomic import atomic_write_text, make_private_dirs

__all__ = ["ExportError", "ExportPaths", "export_status", "safe_json_dumps"]

# Exports hold recipients' numbers and message previews: private by default.
_FILE_MODE = 0o600
_MAX_SAME_SECOND = 100
_NON_ASCII = re.compile(r"[^\x00-\x7e]")
# Emoji sequences and some scripts need these two; they cannot hide text.
_KEPT_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})


class ExportError(Exception):
    """The export could not be written; the message names the folder or file and why."""


@dataclass(frozen=True)
class ExportPaths:
    """The three files one export wrote."""

    json: Path
    summary_csv: Path
    events_csv: Path

    def all(self) -> tuple[Path, Path, Path]:
        """The three paths, JSON first."""
        return (self.json, self.summary_csv, self.events_csv)


def export_status(result: FetchResult, folder: Path, *, now: datetime | None = None) -> ExportPaths:
    """Write ``result`` into ``folder`` (created if needed) and return the three paths.

    ``now`` names the files (local time when not given). An existing export
    from the same second is never overwritten: a ``-2``, ``-3``... suffix is
    added. Raises :class:`ExportError` when the folder cannot be written.
    """
    stamp_time = now if now is not None else datetime.now().astimezone()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"Cannot export to {folder}: it is not a folder.")
    try:
        # Exports hold recipients' numbers: folders we create are 0700 whatever the umask.
        make_private_dirs(folder)
    except OSError as exc:
        raise ExportError(_describe(f"Cannot create the export folder {folder}", exc)) from exc
    paths = _free_paths(folder, _stem(result.number, stamp_time))
    contents = (
        (paths.json, export_json(result, exported_at=stamp_time)),
        (paths.summary_csv, summary_csv(result)),
        (paths.events_csv, events_csv(result)),
    )
    written: list[Path] = []
    for path, text in contents:
        try:
            atomic_write_text(path, text, mode=_FILE_MODE)
        except OSError as exc:
            for done in written:
                with contextlib.suppress(OSError):
                    done.unlink()
            raise ExportError(_describe(f"Cannot write {path}", exc)) from exc
        written.append(path)
    return paths


def export_json(result: FetchResult, *, exported_at: datetime) -> str:
    """The raw response with an ``_export`` header first, as pretty JSON text."""
    header: dict[str, Any] = {
        "number": result.number,
        "window": result.query.describe(),
        "query": result.query.params(),
        "received_at": _iso_utc(result.received_at),
        "exported_at": _iso_utc(exported_at),
        "tool": f"leadping-tui {__version__}",
    }
    document: dict[str, Any] = {"_export": header}
    for key, value in result.raw.items():
        # The API has no such key; should one ever arrive it is kept, not lost.
        document["_export (from response)" if key == "_export" else key] = value
    return safe_json_dumps(document) + "\n"


def summary_csv(result: FetchResult) -> str:
    """One header line and one row of the main figures."""
    return to_csv([summary_row(result.number, result.status, assess(result.status))])


def events_csv(result: FetchResult) -> str:
    """A header line and one row per recent event, in the order received."""
    rows = [event_row(event) for event in result.status.recent_events]
    return to_csv(rows) if rows else ",".join(EVENT_COLUMNS) + "\n"


def safe_json_dumps(value: Any) -> str:
    """Pretty JSON whose text carries no live control or invisible characters.

    ``json.dumps`` escapes only C0 controls; DEL, C1 controls (an 8-bit CSI
    can drive a terminal), line separators, bidi overrides and other format
    characters, and lone surrogates (which cannot even be encoded as UTF-8)
    are written as ``\\uXXXX`` too. They can only occur inside strings,
    where that escape is valid JSON, so the data reads back unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _NON_ASCII.sub(_escape_if_unsafe, text)


def _escape_if_unsafe(match: re.Match[str]) -> str:
    char = match.group()
    if char in _KEPT_FORMAT_CHARS:
        return char
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return "".join(f"\\u{unit:04x}" for unit in _utf16_units(char))
    return char


def _utf16_units(char: str) -> list[int]:
    code = ord(char)
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def _stem(number: str, when: datetime) -> str:
    digits = "".join(char for char in number if char.isascii() and char.isdigit())
    return f"leadping-{digits or 'unknown'}-{when.strftime('%Y%m%d-%H%M%S')}"


def _free_paths(folder: Path, stem: str) -> ExportPaths:
    for attempt in range(1, _MAX_SAME_SECOND + 1):
        base = stem if attempt == 1 else f"{stem}-{attempt}"
        paths = ExportPaths(
            json=folder / f"{base}.json",
            summary_csv=folder / f"{base}-summary.csv",
            events_csv=folder / f"{base}-events.csv",
        )
        if not any(path.exists() for path in paths.all()):
            return paths
    raise ExportError(f"Too many exports in {folder} within one second; try again.")


def _iso_utc(when: datetime) -> str:
    if when.tzinfo is None:
        return when.isoformat()
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _describe(prefix: str, exc: OSError) -> str:
    return f"{prefix}: {exc.strerror or exc}."
