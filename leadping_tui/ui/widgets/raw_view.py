"""The last response as pretty JSON: read-only, selectable, bounded.

A ``TextArea`` in read-only mode: it only lays out the lines on screen, lets
the user move a cursor, select and copy, and never interprets the text.
``json.dumps`` already escapes control characters inside strings; characters
it leaves alone that could still reorder or hide text on a terminal (bidi
overrides, zero-width and other format characters, C1 controls, line and
paragraph separators, lone surrogates) are written as ``\\uXXXX`` escapes, so
the JSON stays valid and shows exactly what was sent.
"""

from __future__ import annotations

import json
import re
from typing import Any

from textual.widgets import TextArea

#: Lines shown before "… N more lines"; a 20 000-event payload is ~240 000.
MAX_LINES = 5_000
#: A single enormous string is cut so one line cannot stall the layout.
MAX_LINE_CHARS = 10_000
EMPTY_TEXT = "No response yet."

_INVISIBLE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        # JSON spells astral characters as a UTF-16 surrogate pair.
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def render_json(raw: Any, *, max_lines: int = MAX_LINES) -> str:
    """``raw`` as indented JSON with invisible characters escaped, cut to ``max_lines``."""
    text = json.dumps(raw, indent=2, ensure_ascii=False, default=str)
    text = _INVISIBLE.sub(_escape, text)
    lines = text.split("\n")
    shown = [
        line
        if len(line) <= MAX_LINE_CHARS
        else f"{line[:MAX_LINE_CHARS]} … ({len(line) - MAX_LINE_CHARS:,} more characters)"
        for line in lines[:max_lines]
    ]
    if len(lines) > max_lines:
        shown.append(f"… {len(lines) - max_lines:,} more lines")
    return "\n".join(shown)


class RawView(TextArea):
    """Read-only JSON of the last response for the selected number."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            EMPTY_TEXT,
            read_only=True,
            soft_wrap=False,
            show_line_numbers=True,
            id=id,
            classes=classes,
        )
        self.border_title = "Raw response (JSON)"
        self._source: dict[str, Any] | None = None
        self._loaded = False

    def show_raw(self, raw: dict[str, Any] | None) -> None:
        """Show ``raw``; the same payload again changes nothing, a new one keeps the cursor."""
        if self._loaded and (raw is self._source or raw == self._source):
            return
        self._source = raw
        self._loaded = True
        cursor = self.cursor_location
        scroll = self.scroll_offset
        self.load_text(EMPTY_TEXT if raw is None else render_json(raw))
        last_line = self.document.line_count - 1
        row = min(cursor[0], last_line)
        self.cursor_location = (row, min(cursor[1], len(self.document.get_line(row))))
        self.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
