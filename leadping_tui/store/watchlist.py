"""The watchlist: an immutable value (numbers, labels, order, selection) and its edits.

Its file, and the merge that lets two instances edit it, are in
:mod:`leadping_tui.store.watchlist_file`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1
MAX_LABEL_LENGTH = 64
# Always used with fullmatch: "$" would also accept a trailing newline.
E164 = re.compile(r"\+[1-9]\d{6,14}")
_WHITESPACE_CONTROLS = "\t\n\r\v\f\x85"
# Bidi overrides and isolates can make a label display as something else.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class WatchlistError(ValueError):
    """A watchlist edit was refused; the message is fit to show the user."""


class DuplicateNumber(WatchlistError):
    """The number is already on the watchlist."""


class InvalidNumber(WatchlistError):
    """The number is not in E.164 form (``+`` then 7 to 15 digits)."""


class UnknownNumber(WatchlistError, LookupError):
    """The number is not on the watchlist."""


def clean_label(label: str) -> str:
    """Remove control characters (C0, DEL, C1, bidi overrides), trim, cap at 64 characters."""
    chars: list[str] = []
    for ch in label:
        if ch in _WHITESPACE_CONTROLS:
            chars.append(" ")
        elif ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            continue
        else:
            chars.append(ch)
    return "".join(chars).strip()[:MAX_LABEL_LENGTH].rstrip()


def _check_number(number: str) -> str:
    if not E164.fullmatch(number):
        shown = number if len(number) <= 20 else number[:20] + "…"
        raise InvalidNumber(f"{shown!r} is not an E.164 number such as +12025550101")
    return number


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WatchEntry:
    """One watched number."""

    number: str
    label: str = ""
    added_at: datetime = field(default_factory=_now)

    @property
    def title(self) -> str:
        """The label, or the number when there is no label."""
        return self.label or self.number


@dataclass(frozen=True)
class Watchlist:
    """An ordered list of watched numbers and the selected one. Edits return new values."""

    entries: tuple[WatchEntry, ...] = ()
    selected: str | None = None

    def numbers(self) -> tuple[str, ...]:
        """The numbers, in display order."""
        return tuple(entry.number for entry in self.entries)

    def get(self, number: str) -> WatchEntry | None:
        """The entry for ``number``, if present."""
        return next((e for e in self.entries if e.number == number), None)

    def __contains__(self, number: object) -> bool:
        return any(entry.number == number for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[WatchEntry]:
        return iter(self.entries)

    def _index(self, number: str) -> int:
        for index, entry in enumerate(self.entries):
            if entry.number == number:
                return index
        raise UnknownNumber(f"{number} is not on your watchlist")

    def add(self, number: str, label: str = "", *, now: datetime | None = None) -> Watchlist:
        """Append a number. Raises :class:`DuplicateNumber` or :class:`InvalidNumber`."""
        _check_number(number)
        existing = self.get(number)
        if existing is not None:
            named = f" (as {existing.label!r})" if existing.label else ""
            raise DuplicateNumber(f"{number} is already on your watchlist{named}.")
        entry = WatchEntry(number, clean_label(label), now or _now())
        return replace(self, entries=(*self.entries, entry))

    def remove(self, number: str) -> Watchlist:
        """Drop a number; if it was selected, its neighbour becomes selected."""
        index = self._index(number)
        entries = self.entries[:index] + self.entries[index + 1 :]
        selected = self.selected
        if selected == number:
            neighbour = min(index, len(entries) - 1)
            selected = entries[neighbour].number if entries else None
        return Watchlist(entries, selected)

    def relabel(self, number: str, label: str) -> Watchlist:
        """Change a number's label (cleaned as in :func:`clean_label`; "" clears it)."""
        index = self._index(number)
        entry = replace(self.entries[index], label=clean_label(label))
        return replace(self, entries=(*self.entries[:index], entry, *self.entries[index + 1 :]))

    def move(self, number: str, delta: int) -> Watchlist:
        """Move a number ``delta`` places (negative is up), stopping at either end."""
        index = self._index(number)
        target = max(0, min(len(self.entries) - 1, index + delta))
        entries = list(self.entries)
        entries.insert(target, entries.pop(index))
        return replace(self, entries=tuple(entries))

    def select(self, number: str | None) -> Watchlist:
        """Select a number on the list, or nothing with None."""
        if number is not None:
            self._index(number)
        return replace(self, selected=number)

    def to_json(self) -> dict[str, Any]:
        """The file representation."""
        return {
            "version": FORMAT_VERSION,
            "selected": self.selected,
            "entries": [
                {"number": e.number, "label": e.label, "added_at": e.added_at.isoformat()}
                for e in self.entries
            ],
        }
