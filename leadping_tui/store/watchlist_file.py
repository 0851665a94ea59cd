"""The watchlist's JSON file: parsing, repair of a damaged file, and merge-on-write.

File format (``watchlist.json``)::

    {"version": 1, "selected": "+12025550101",
     "entries": [{"number": "+12025550101", "label": "Sales line 1",
                  "added_at": "2026-01-02T03:04:05+00:00"}]}

Two app instances may edit the same file. :class:`WatchlistStore` remembers
what it last loaded or saved (its *base*); :meth:`WatchlistStore.save`
re-reads the file under a lock and applies only this instance's changes
relative to that base (see :func:`merge_watchlists`), so neither instance
loses the other's edits.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from leadping_tui.store.atomic import FileLock, atomic_write_text, move_aside
from leadping_tui.store.watchlist import (
    E164,
    FORMAT_VERSION,
    WatchEntry,
    Watchlist,
    clean_label,
)

log = logging.getLogger(__name__)

_E164_IN_TEXT = re.compile(r"(?<![\d+])\+[1-9]\d{6,14}(?!\d)")


class WatchlistSaveError(RuntimeError):
    """The watchlist file could not be read back before saving, so it was not overwritten."""


def merge_watchlists(base: Watchlist, mine: Watchlist, disk: Watchlist) -> Watchlist:
    """Apply this instance's edits (``base`` -> ``mine``) on top of ``disk``.

    Rules, per number:

    - added here: present in the result, with this instance's label (adds win);
    - removed here: absent from the result (removes win, even over a relabel
      made elsewhere);
    - relabelled here: this label, unless another instance removed the number;
    - untouched here: whatever is on disk, including other instances' adds,
      removes and relabels.

    Order: if this instance reordered the numbers it shares with ``base``, its
    order is used for the numbers it knows and the others' new numbers are
    appended; otherwise the disk order is kept and this instance's new
    numbers are appended. The selection follows whoever changed it last: ours
    if we changed it since ``base``, else the disk's (when still present).
    """
    base_numbers, mine_numbers = set(base.numbers()), set(mine.numbers())
    added = mine_numbers - base_numbers
    removed = base_numbers - mine_numbers
    result = {e.number: e for e in disk.entries if e.number not in removed}
    for entry in mine.entries:
        if entry.number in added:
            result[entry.number] = entry
            continue
        before = base.get(entry.number)
        if before is not None and before.label != entry.label and entry.number in result:
            result[entry.number] = replace(result[entry.number], label=entry.label)

    shared_mine = [n for n in mine.numbers() if n in base_numbers]
    shared_base = [n for n in base.numbers() if n in mine_numbers]
    if shared_mine != shared_base:
        order = [n for n in mine.numbers() if n in result]
        order += [n for n in disk.numbers() if n in result and n not in mine_numbers]
    else:
        order = [n for n in disk.numbers() if n in result]
        order += [n for n in mine.numbers() if n in result and n not in order]

    preferred, other = (
        (mine.selected, disk.selected)
        if mine.selected != base.selected
        else (disk.selected, mine.selected)
    )
    selected = next((n for n in (preferred, other) if n is not None and n in result), None)
    return Watchlist(tuple(result[n] for n in order), selected)


@dataclass(frozen=True)
class LoadResult:
    """A loaded watchlist, plus what to tell the user if the file needed repair."""

    watchlist: Watchlist
    notice: str | None = None
    backup: Path | None = None


class DamagedWatchlistFile(ValueError):
    """The text is not a version-1 watchlist file at all."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _parse_added_at(value: object) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return datetime.now(UTC)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def parse_watchlist(text: str) -> tuple[Watchlist, list[str]]:
    """Parse the file's text into a watchlist and a list of skipped-entry notes.

    Raises :class:`DamagedWatchlistFile` when the text is not a version-1 watchlist at all.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DamagedWatchlistFile(
            f"not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise DamagedWatchlistFile("nested too deeply to be a watchlist") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise DamagedWatchlistFile("not a watchlist (no list of entries)")
    version = doc.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise DamagedWatchlistFile(f"unsupported format version {str(version)[:10]!r}")
    entries: list[WatchEntry] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for position, item in enumerate(doc["entries"], 1):
        number = item.get("number") if isinstance(item, dict) else None
        if not isinstance(number, str) or not E164.fullmatch(number):
            shown = json.dumps(number)[:24] if number is not None else "missing"
            skipped.append(f"entry {position} has an invalid number ({shown})")
            continue
        if number in seen:
            skipped.append(f"entry {position} repeats {number}")
            continue
        label = item.get("label", "")
        if not isinstance(label, str):
            label = ""
        seen.add(number)
        entries.append(
            WatchEntry(number, clean_label(label), _parse_added_at(item.get("added_at")))
        )
    selected = doc.get("selected")
    if not isinstance(selected, str) or selected not in seen:
        selected = None
    return Watchlist(tuple(entries), selected), skipped


def recover_numbers(text: str) -> Watchlist:
    """Every distinct E.164-looking number in damaged text, in order of appearance.

    Only complete ones: a number the text ends in (a file cut off in the middle
    of ``"+12025550101"``) may be a piece, ``+1202555``, and is left out;
    :func:`incomplete_numbers` lists it.
    """
    watchlist = Watchlist()
    for match in _E164_IN_TEXT.finditer(text):
        if not _at_the_cut(text, match) and match.group(0) not in watchlist:
            watchlist = watchlist.add(match.group(0))
    return watchlist


def incomplete_numbers(text: str) -> list[str]:
    """Number-like text that :func:`recover_numbers` leaves out (cut off at the end)."""
    return [match.group(0) for match in _E164_IN_TEXT.finditer(text) if _at_the_cut(text, match)]


def _at_the_cut(text: str, match: re.Match[str]) -> bool:
    # Nothing but padding after it: the write stopped inside the number.
    return not text[match.end() :].strip("\x00 \t\r\n")


class WatchlistStore:
    """Loads and saves one watchlist file, merging with other instances' edits."""

    def __init__(self, path: Path, *, lock_timeout: float = 5.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self._base = Watchlist()

    @property
    def base(self) -> Watchlist:
        """The watchlist as this store last loaded or saved it."""
        return self._base

    def load(self) -> LoadResult:
        """Read the file. A damaged file is moved aside and what can be recovered is kept.

        Never raises for a damaged or unreadable file (only
        :class:`~leadping_tui.store.atomic.LockTimeout` if another instance
        holds the lock while this file needs a repair): the result's
        ``notice`` says what happened.
        """
        result = self._read_sound()
        if result is None:
            with FileLock(self.path, timeout=self.lock_timeout):
                try:
                    result = self._read_and_repair()
                except WatchlistSaveError as exc:
                    return LoadResult(Watchlist(), str(exc), None)
        self._base = result.watchlist
        return result

    def _read_sound(self) -> LoadResult | None:
        """The file, read without the lock, when it needs no repair; else None.

        Saves replace the file in one rename, so an unlocked read sees one
        whole version, as a locked one would; only a repair (which writes)
        needs the lock. This keeps start-up from loading ``filelock``.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Watchlist())
        except OSError:
            return None  # reported by the locked read
        try:
            watchlist, skipped = parse_watchlist(data.decode("utf-8", errors="replace"))
        except DamagedWatchlistFile:
            return None
        return None if skipped else LoadResult(watchlist)

    def save(self, watchlist: Watchlist) -> Watchlist:
        """Write this instance's edits merged with the file's current state; return the merge.

        Raises :class:`WatchlistSaveError` if the file exists but cannot be
        read (it is then left alone rather than overwritten).
        """
        with FileLock(self.path, timeout=self.lock_timeout):
            current = self._read_and_repair()
            if current.notice:
                log.warning("%s", current.notice)
            merged = merge_watchlists(self._base, watchlist, current.watchlist)
            if merged != current.watchlist or not self.path.exists():
                self._write(merged)
        self._base = merged
        return merged

    def _write(self, watchlist: Watchlist) -> None:
        text = json.dumps(watchlist.to_json(), indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(self.path, text)

    def _read_and_repair(self) -> LoadResult:
        # Called with the lock held.
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Watchlist())
        except OSError as exc:
            raise WatchlistSaveError(
                f"Could not read your watchlist {self.path} ({exc.strerror or exc}); "
                "it was left untouched and nothing will be saved over it. Check its permissions."
            ) from None
        text = data.decode("utf-8", errors="replace")
        try:
            watchlist, skipped = parse_watchlist(text)
        except DamagedWatchlistFile as damage:
            recovered = recover_numbers(text)
            backup = move_aside(self.path, reason=damage.why)
            self._write(recovered)
            found = (
                f"Recovered {len(recovered)} number(s) from it."
                if recovered
                else "No numbers could be recovered from it, so the watchlist starts empty."
            )
            dropped = incomplete_numbers(text)
            if dropped:
                shown = ", ".join(dropped[:3]) + (", …" if len(dropped) > 3 else "")
                found += f" Left out {len(dropped)} incomplete number(s) ({shown})."
            notice = f"Your watchlist file was damaged ({damage.why}); it was moved to {backup}. "
            return LoadResult(recovered, notice + found, backup)
        if not skipped:
            return LoadResult(watchlist)
        # Keep the original, since the next save will not contain the bad entries.
        backup = move_aside(self.path, reason="invalid entries")
        self._write(watchlist)
        shown = "; ".join(skipped[:3]) + ("; …" if len(skipped) > 3 else "")
        notice = (
            f"Skipped {len(skipped)} invalid watchlist entr{'y' if len(skipped) == 1 else 'ies'} "
            f"({shown}). The original file was saved as {backup}."
        )
        return LoadResult(watchlist, notice, backup)
