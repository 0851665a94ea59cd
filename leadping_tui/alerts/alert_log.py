"""The alert log: one JSON object per line, appended, bounded, tolerant.

Each alert is written with a single ``write`` on a file opened for appending,
so lines from two processes never interleave.  When the file passes
``max_bytes`` it is renamed to ``<name>.1`` (replacing the older one), so the
log never takes more than about twice that.  A line that cannot be read (a
torn write, a hand edit) is skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadping_tui.alerts.rules import Alert
from leadping_tui.api.condition import Condition
from leadping_tui.store.atomic import open_private_append

__all__ = ["AlertLog", "alert_from_json", "alert_to_json"]

MAX_BYTES = 1_000_000
_BLOCK = 64 * 1024


def alert_to_json(alert: Alert) -> dict[str, Any]:
    return {
        "at": alert.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "number": alert.number,
        "kind": alert.kind,
        "severity": alert.severity.value,
        "title": alert.title,
        "message": alert.message,
        "key": alert.key,
    }


def alert_from_json(data: object) -> Alert | None:
    """The alert a log line holds, or ``None`` when it is not one."""
    if not isinstance(data, dict):
        return None
    fields = ("number", "kind", "severity", "title", "message", "key", "at")
    values = [data.get(name) for name in fields]
    if not all(isinstance(value, str) for value in values):
        return None
    number, kind, severity, title, message, key, at = (str(value) for value in values)
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
        condition = Condition(severity)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return Alert(number, kind, condition, title, message, when, key)


class AlertLog:
    """Alerts appended to a JSON-lines file, newest last."""

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, fsync: bool = False) -> None:
        self.path = path
        self.rotated = path.with_name(path.name + ".1")
        self.max_bytes = max_bytes
        self.fsync = fsync

    def append(self, alert: Alert) -> None:
        """Add one alert.  Raises OSError when the file cannot be written."""
        self.extend([alert])

    def extend(self, alerts: Iterable[Alert]) -> None:
        """Add alerts, one line (and one write) each."""
        lines = [
            (json.dumps(alert_to_json(alert), ensure_ascii=True) + "\n").encode("ascii")
            for alert in alerts
        ]
        if not lines:
            return
        self._rotate_if_full()
        # Never through a symlink planted at the path, and private whatever the umask.
        fd = open_private_append(self.path)
        try:
            for line in lines:
                os.write(fd, line)
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)

    def _rotate_if_full(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            if self.path.stat().st_size > self.max_bytes:
                os.replace(self.path, self.rotated)

    def recent(self, limit: int = 200) -> list[Alert]:
        """The last ``limit`` readable alerts, oldest first."""
        if limit <= 0:
            return []
        alerts = _parse(_tail_lines(self.path, limit))
        if len(alerts) < limit:
            alerts = _parse(_tail_lines(self.rotated, limit - len(alerts))) + alerts
        return alerts[-limit:]


def _parse(lines: list[bytes]) -> list[Alert]:
    alerts = []
    for line in lines:
        try:
            alert = alert_from_json(json.loads(line))
        except (ValueError, UnicodeDecodeError):
            continue
        if alert is not None:
            alerts.append(alert)
    return alerts


def _tail_lines(path: Path, count: int) -> list[bytes]:
    """The last ``count`` non-empty lines, read backwards in blocks."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return []
    with handle:
        end = handle.seek(0, os.SEEK_END)
        data = b""
        position = end
        # One line more than asked: the first may be cut by the block boundary.
        while position > 0 and data.count(b"\n") <= count:
            step = min(_BLOCK, position)
            position -= step
            handle.seek(position)
            data = handle.read(step) + data
    lines = data.split(b"\n")
    if position > 0:
        lines = lines[1:]
    return [line for line in lines if line.strip()][-count:]
