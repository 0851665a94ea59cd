"""Merging the organisation's numbers into the watchlist: pure, no I/O.

The ``import`` command and the dashboard's import both call :func:`plan_import`
and then save the watchlist it returns once (never once per number).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from leadping_tui.api.listing import PhoneNumberTableRow, SkippedRow
from leadping_tui.store.watchlist import WatchEntry, Watchlist, clean_label

__all__ = ["ImportOutcome", "plan_import"]


@dataclass(frozen=True)
class ImportOutcome:
    """The new watchlist and what the import did to get there."""

    watchlist: Watchlist
    added: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    """Listed numbers that were on the watchlist already."""
    removed: tuple[str, ...] = ()
    """Numbers dropped by ``replace`` because the organisation does not list them."""
    labelled: tuple[str, ...] = ()
    """Numbers already watched without a label that took the listing's name."""
    skipped: tuple[SkippedRow, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.labelled)

    def summary(self) -> str:
        """One line: ``Added 12, already there 3, skipped 1 (...)``."""
        parts = [f"added {len(self.added)}", f"already there {len(self.already)}"]
        skipped = f"skipped {len(self.skipped)}"
        if self.skipped:
            reasons = "; ".join(skip.reason for skip in self.skipped[:3])
            skipped += f" ({reasons}{'; …' if len(self.skipped) > 3 else ''})"
        parts.append(skipped)
        if self.removed:
            parts.append(f"removed {len(self.removed)} not in the listing")
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."


def plan_import(
    watchlist: Watchlist,
    rows: Mapping[str, PhoneNumberTableRow],
    *,
    replace_all: bool = False,
    skipped: Sequence[SkippedRow] = (),
    now: datetime | None = None,
) -> ImportOutcome:
    """Add every listed number; with ``replace_all`` keep only listed numbers.

    The listing's ``name`` becomes the label of a new number, and of a watched
    number whose label is empty; a label the user set is never changed.
    Watched numbers keep their order; new ones follow in listing order.
    """
    when = now or datetime.now(UTC)
    entries: list[WatchEntry] = []
    already: list[str] = []
    labelled: list[str] = []
    removed: list[str] = []
    for entry in watchlist.entries:
        row = rows.get(entry.number)
        if row is None:
            if replace_all:
                removed.append(entry.number)
                continue
            entries.append(entry)
            continue
        already.append(entry.number)
        name = clean_label(row.name or "")
        if not entry.label and name:
            entry = replace(entry, label=name)
            labelled.append(entry.number)
        entries.append(entry)
    watched = set(watchlist.numbers())
    added = [number for number in rows if number not in watched]
    entries += [WatchEntry(n, clean_label(rows[n].name or ""), when) for n in added]
    selected = watchlist.selected
    if selected in removed or (selected is None and entries):
        selected = entries[0].number if entries else None
    return ImportOutcome(
        Watchlist(tuple(entries), selected),
        added=tuple(added),
        already=tuple(already),
        removed=tuple(removed),
        labelled=tuple(labelled),
        skipped=tuple(skipped),
    )
