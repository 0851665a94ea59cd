"""The watchlist value, its file, damage recovery and merging concurrent edits."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadping_tui.store.atomic import FileLock, LockTimeout
from leadping_tui.store.watchlist import (
    MAX_LABEL_LENGTH,
    DuplicateNumber,
    InvalidNumber,
    UnknownNumber,
    WatchEntry,
    Watchlist,
    clean_label,
)
from leadping_tui.store.watchlist_file import WatchlistSaveError, WatchlistStore, merge_watchlists

A, B, C, D = "+12025550101", "+12025550102", "+12025550103", "+12025550104"
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(*numbers: str, selected: str | None = None) -> Watchlist:
    watchlist = Watchlist()
    for number in numbers:
        watchlist = watchlist.add(number, f"label {number[-2:]}", now=T0)
    return watchlist.select(selected)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "watchlist.json"


def test_add_remove_relabel_move_select() -> None:
    w = Watchlist().add(A, "Sales line 1").add(B).add(C, "Support")
    assert w.numbers() == (A, B, C)
    assert w.get(A) is not None and w.get(A).label == "Sales line 1"  # type: ignore[union-attr]
    assert w.get(B).title == B  # type: ignore[union-attr]
    w = w.relabel(B, "  Second  ")
    assert w.get(B).label == "Second"  # type: ignore[union-attr]
    assert w.move(C, -1).numbers() == (A, C, B)
    assert w.move(C, -10).numbers() == (C, A, B)
    assert w.move(A, 5).numbers() == (B, C, A)
    w = w.select(B)
    assert w.selected == B
    removed = w.remove(B)
    assert removed.numbers() == (A, C)
    assert removed.selected == C  # the neighbour takes over
    assert removed.remove(C).selected == A
    assert removed.remove(C).remove(A).selected is None
    assert len(w) == 3 and B in w and D not in w
    assert w.select(None).selected is None


def test_values_are_not_changed_in_place() -> None:
    w = Watchlist().add(A)
    w.add(B)
    assert w.numbers() == (A,)


def test_refusals() -> None:
    w = Watchlist().add(A, "Sales line 1")
    with pytest.raises(DuplicateNumber, match=r"already on your watchlist \(as 'Sales line 1'\)"):
        w.add(A)
    for bad in ("12025550101", "+0202555", "+1202", "+1234567890123456", "+1 202 555 0101"):
        with pytest.raises(InvalidNumber):
            w.add(bad)
    with pytest.raises(UnknownNumber):
        w.remove(B)
    with pytest.raises(UnknownNumber):
        w.select(B)
    with pytest.raises(UnknownNumber):
        w.relabel(B, "x")
    with pytest.raises(UnknownNumber):
        w.move(B, 1)


def test_labels_are_cleaned() -> None:
    assert clean_label("a\x1b[31mred\x07\x00") == "a[31mred"
    assert clean_label("two\nlines\tand\r\n") == "two lines and"
    assert clean_label("c1\x85\x9bx\x7f") == "c1 x"
    assert clean_label("\u202eevil\u2066") == "evil"
    assert clean_label("émoji 📞 ok") == "émoji 📞 ok"
    assert len(clean_label("x" * 500)) == MAX_LABEL_LENGTH
    entry = Watchlist().add(A, "x\x1by", now=T0).relabel(A, "x\x1bz").get(A)
    assert entry == WatchEntry(A, "xz", T0)


def test_round_trip_including_selected(path: Path) -> None:
    store = WatchlistStore(path)
    assert store.load().watchlist == Watchlist()
    w = make(A, B, C, selected=B).relabel(C, "Ünïcode label")
    saved = store.save(w)
    assert saved == w
    result = WatchlistStore(path).load()
    assert result.watchlist == w
    assert result.notice is None and result.backup is None
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert doc["selected"] == B
    assert doc["entries"][0] == {
        "number": A,
        "label": "label 01",
        "added_at": "2026-01-02T03:04:05+00:00",
    }


def test_damaged_file_is_moved_aside_and_numbers_recovered(path: Path) -> None:
    path.parent.mkdir()
    original = f'{{"version": 1, "entries": [{{"number": "{A}", "label": "x"}}, {{"number": "{C}"'
    original += f"\x00\x00 garbage {B} and {A} again, not +1 (202) 555 nor 12025550199"
    path.write_text(original)
    result = WatchlistStore(path).load()
    assert result.watchlist.numbers() == (A, C, B)
    assert result.backup is not None
    assert result.backup.name.startswith("watchlist.json.broken-")
    assert result.backup.read_text() == original
    assert result.notice is not None
    assert str(result.backup) in result.notice
    assert "Recovered 3 number(s)" in result.notice
    assert "not valid JSON" in result.notice
    # The recovered list is already on disk, so nothing more is lost.
    assert WatchlistStore(path).load().watchlist.numbers() == (A, C, B)


@pytest.mark.parametrize(
    "text",
    ["[]", '{"entries": "none"}', '"just text"', '{"version": 7, "entries": []}', "\xff\xfe"],
)
def test_wrong_structure_is_damage_never_silently_empty(path: Path, text: str) -> None:
    path.parent.mkdir()
    path.write_text(text, encoding="latin-1")
    result = WatchlistStore(path).load()
    assert result.watchlist == Watchlist()
    assert result.backup is not None and result.backup.exists()
    assert result.notice is not None
    assert "No numbers could be recovered" in result.notice


def test_invalid_entries_skipped_valid_kept(path: Path) -> None:
    path.parent.mkdir()
    doc = {
        "version": 1,
        "selected": C,
        "entries": [
            {"number": A, "label": "good", "added_at": "2026-01-02T03:04:05Z"},
            {"number": "not a number"},
            "just a string",
            {"number": B, "label": 5, "added_at": "yesterday"},
            {"number": A, "label": "duplicate"},
        ],
    }
    path.write_text(json.dumps(doc))
    result = WatchlistStore(path).load()
    assert result.watchlist.numbers() == (A, B)
    assert result.watchlist.get(A).added_at == T0  # type: ignore[union-attr]
    assert result.watchlist.get(B).label == ""  # type: ignore[union-attr]
    assert result.watchlist.selected is None  # C is not on the list
    assert result.notice is not None
    assert "Skipped 3 invalid watchlist entries" in result.notice
    assert "entry 2" in result.notice and "entry 5 repeats" in result.notice
    assert result.backup is not None
    assert json.loads(result.backup.read_text()) == doc


def test_two_instances_both_adds_survive(path: Path) -> None:
    one, two = WatchlistStore(path), WatchlistStore(path)
    one.save(make(A))
    w1 = one.load().watchlist
    w2 = two.load().watchlist
    assert one.save(w1.add(B, "from one")).numbers() == (A, B)
    merged = two.save(w2.add(C, "from two"))
    assert merged.numbers() == (A, B, C)
    assert WatchlistStore(path).load().watchlist.numbers() == (A, B, C)


def test_two_instances_remove_relabel_and_reorder(path: Path) -> None:
    one, two = WatchlistStore(path), WatchlistStore(path)
    one.save(make(A, B, C))
    w1, w2 = one.load().watchlist, two.load().watchlist
    one.save(w1.remove(A).relabel(C, "renamed by one"))
    merged = two.save(w2.move(C, -2).add(D).relabel(B, "renamed by two"))
    assert merged.numbers() == (C, B, D)  # two's order, A stays removed
    assert merged.get(C).label == "renamed by one"  # type: ignore[union-attr]
    assert merged.get(B).label == "renamed by two"  # type: ignore[union-attr]
    # One has not reloaded; its next edit keeps two's order and two's new number.
    assert one.base.numbers() == (B, C)
    final = one.save(one.base.relabel(B, "again by one"))
    assert final.numbers() == (C, B, D)
    assert final.get(B).label == "again by one"  # type: ignore[union-attr]
    assert final == WatchlistStore(path).load().watchlist


def test_remove_wins_over_a_relabel_elsewhere(path: Path) -> None:
    one, two = WatchlistStore(path), WatchlistStore(path)
    one.save(make(A, B))
    w1, w2 = one.load().watchlist, two.load().watchlist
    one.save(w1.remove(B))
    assert two.save(w2.relabel(B, "too late")).numbers() == (A,)


def test_merge_selection_follows_the_last_change() -> None:
    base = make(A, B, C, selected=A)
    disk = base.select(B)
    assert merge_watchlists(base, base, disk).selected == B  # we did not touch it
    assert merge_watchlists(base, base.select(C), disk).selected == C
    assert merge_watchlists(base, base.select(C), disk.remove(C)).selected == B


def test_unreadable_file_is_reported_and_not_replaced(path: Path) -> None:
    path.mkdir(parents=True)  # something unreadable as a file sits where the file goes
    store = WatchlistStore(path)
    result = store.load()
    assert result.watchlist == Watchlist()
    assert result.notice is not None and "Could not read" in result.notice
    with pytest.raises(WatchlistSaveError):
        store.save(Watchlist().add(B))
    assert path.is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_file_without_read_permission_is_not_overwritten(path: Path) -> None:
    WatchlistStore(path).save(make(A))
    path.chmod(0)
    store = WatchlistStore(path)
    assert "Could not read" in (store.load().notice or "")
    with pytest.raises(WatchlistSaveError):
        store.save(Watchlist().add(B))
    path.chmod(0o600)
    assert WatchlistStore(path).load().watchlist.numbers() == (A,)


def test_concurrent_savers_lose_nothing(path: Path) -> None:
    everyone_loaded = threading.Barrier(3)

    def worker(first_digit: int) -> None:
        store = WatchlistStore(path, lock_timeout=30)
        current = store.load().watchlist
        everyone_loaded.wait()  # all three start from the same, empty, base
        for i in range(15):
            current = store.save(current.add(f"+1202555{first_digit}{i:03d}"))

    threads = [threading.Thread(target=worker, args=(digit,)) for digit in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = WatchlistStore(path).load().watchlist.numbers()
    assert len(numbers) == 45
    assert len(set(numbers)) == 45


def test_a_number_with_a_trailing_newline_is_not_a_number(path: Path) -> None:
    with pytest.raises(InvalidNumber):
        Watchlist().add(A + "\n")
    path.parent.mkdir()
    doc = {"version": 1, "entries": [{"number": A + "\n"}, {"number": B}]}
    path.write_text(json.dumps(doc))
    result = WatchlistStore(path).load()
    assert result.watchlist.numbers() == (B,)
    assert result.notice is not None and "invalid number" in result.notice


def test_recovery_drops_a_number_cut_off_by_the_truncation_and_says_so(path: Path) -> None:
    path.parent.mkdir()
    full = json.dumps({"version": 1, "entries": [{"number": A}, {"number": B}]})
    cut = full[: full.index(B) + 8]  # ... "+1202555
    assert cut.endswith(B[:8])
    path.write_text(cut + "\x00\x00")
    result = WatchlistStore(path).load()
    assert result.watchlist.numbers() == (A,)
    assert result.notice is not None
    assert f"Left out 1 incomplete number(s) ({B[:8]})" in result.notice


def test_a_deeply_nested_watchlist_is_damage_not_a_crash(path: Path) -> None:
    path.parent.mkdir()
    path.write_text('{"entries": ' + "[" * 100_000 + "]" * 100_000 + f', "x": "{A}"}}')
    result = WatchlistStore(path).load()
    assert result.backup is not None
    assert result.notice is not None and "nested too deeply" in result.notice
    assert result.watchlist.numbers() == (A,)


def test_a_sound_file_loads_without_the_lock_and_a_damaged_one_waits_for_it(path: Path) -> None:
    """Start-up reads a sound watchlist without taking the lock (nor loading filelock);
    a file that needs a repair is still repaired under the lock only."""
    WatchlistStore(path).save(Watchlist().add("+12025550101"))
    with FileLock(path):  # another instance saving
        loaded = WatchlistStore(path, lock_timeout=0.05).load()
        assert loaded.watchlist.numbers() == ("+12025550101",)
        assert loaded.notice is None
        path.write_text('{"version": 1, "entries": [{"number": "+1202555010', encoding="utf-8")
        with pytest.raises(LockTimeout):
            WatchlistStore(path, lock_timeout=0.05).load()
    repaired = WatchlistStore(path).load()
    assert repaired.notice is not None and "damaged" in repaired.notice
