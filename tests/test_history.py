"""The local status history: storage policy, bounds, restarts, trends and export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from leadping_tui.api.condition import Condition
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.store.history import (
    History,
    HistoryError,
    Snapshot,
    parse_since,
    snapshots_to_csv,
    snapshots_to_json,
)
from leadping_tui.store.history_schema import INSERT_SNAPSHOT
from leadping_tui.store.history_trends import score_baseline, score_change, sparkline_series

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
NUMBER = "+12025550101"


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def status(
    score: float | None = 82,
    *,
    state: str = "In Progress",
    health: str = "Healthy",
    pause: str | None = None,
    block: str | None = None,
    sent: int = 120,
    opt_out_rate: float = 0.5,
) -> PhoneNumberStatus:
    warmup: dict[str, Any] = {
        "healthScore": score,
        "progressPercent": 40,
        "status": state,
        "healthStatus": health,
        "sentCount": sent,
        "deliveredCount": sent - 4,
        "failureCount": 4,
        "deliverySuccessRate": "96.7",
        "pauseReason": pause,
        "blockReason": block,
    }
    return PhoneNumberStatus.model_validate(
        {
            "smsWarmup": warmup,
            "optOutMetrics": {"optOutCount": 1, "optOutRatePercent": opt_out_rate},
        }
    )


def stored_rows(history: History, table: str = "snapshots") -> int:
    return int(history.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def history(tmp_path: Path, clock: Clock) -> History:
    return History(tmp_path / "history.sqlite3", clock=clock)


def test_round_trip_keeps_every_field(history: History) -> None:
    history.record(NUMBER, status(pause="carrier review"), window="last 7 d", at=T0)
    snap = history.latest(NUMBER)
    assert snap == Snapshot(
        number=NUMBER,
        at=T0,
        window="last 7 d",
        condition=Condition.WARNING,
        score=82.0,
        progress=40.0,
        sent=120,
        delivered=116,
        failures=4,
        opt_outs=1,
        delivery_rate=96.7,
        opt_out_rate=0.5,
        state="In Progress",
        health_status="Healthy",
        pause_reason="carrier review",
        block_reason=None,
    )
    assert history.export(NUMBER) == [snap]
    assert history.latest("+12025550199") is None
    assert history.numbers() == [NUMBER]


def test_quiet_number_is_stored_every_five_minutes(history: History) -> None:
    for i in range(1000):
        assert history.record(NUMBER, status(), window="w", at=T0 + timedelta(seconds=30 * i)) == []
    assert stored_rows(history) == 100
    # The newest fetch is still visible although it was not written yet.
    latest = history.latest(NUMBER)
    assert latest is not None and latest.at == T0 + timedelta(seconds=30 * 999)


def test_state_change_is_stored_at_once_with_transitions(history: History) -> None:
    history.record(NUMBER, status(), window="w", at=T0)
    history.record(NUMBER, status(), window="w", at=T0 + timedelta(seconds=30))
    at = T0 + timedelta(seconds=60)
    changes = history.record(NUMBER, status(state="Paused", pause="Opt-outs"), window="w", at=at)
    assert stored_rows(history) == 2
    assert {(t.field, t.old, t.new) for t in changes} == {
        ("condition", "ok", "warning"),
        ("state", "In Progress", "Paused"),
        ("pause_reason", None, "Opt-outs"),
    }
    assert all(t.at == at for t in changes)
    assert [t.field for t in history.transitions(NUMBER)] == [t.field for t in changes]
    assert history.transitions(NUMBER, limit=1)[0].field == "pause_reason"


def test_score_change_is_stored_after_a_minute_not_before(history: History) -> None:
    history.record(NUMBER, status(80), window="w", at=T0)
    history.record(NUMBER, status(79), window="w", at=T0 + timedelta(seconds=30))
    assert stored_rows(history) == 1
    history.record(NUMBER, status(79), window="w", at=T0 + timedelta(seconds=60))
    assert stored_rows(history) == 2


def test_previous_is_what_the_number_looked_like_before_the_last_record(
    history: History,
) -> None:
    history.record(NUMBER, status(80), window="w", at=T0)
    assert history.previous(NUMBER) is None
    history.record(NUMBER, status(75), window="w", at=T0 + timedelta(seconds=30))
    before = history.previous(NUMBER)
    assert before is not None and before.score == 80
    latest = history.latest(NUMBER)
    assert latest is not None and latest.score == 75


def test_survives_close_and_reopen(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path, clock=clock) as first:
        first.record(NUMBER, status(80), window="w", at=T0)
        first.record(
            NUMBER, status(state="Blocked", block="spam"), window="w", at=T0 + timedelta(minutes=1)
        )
        # Pending, not yet written: close() must keep it.
        first.record(
            NUMBER,
            status(state="Blocked", block="spam", sent=130),
            window="w",
            at=T0 + timedelta(minutes=2),
        )
    second, notice = History.open(path, clock=clock)
    assert notice is None
    latest = second.latest(NUMBER)
    assert latest is not None and latest.sent == 130 and latest.block_reason == "spam"
    previous = second.previous(NUMBER)
    assert previous is not None and previous.at == T0 + timedelta(minutes=1)
    assert {t.field for t in second.transitions(NUMBER)} == {"condition", "state", "block_reason"}
    # A change that happened while the app was closed is a transition when first seen.
    changes = second.record(NUMBER, status(), window="w", at=T0 + timedelta(hours=1))
    assert ("block_reason", "spam", None) in {(t.field, t.old, t.new) for t in changes}
    second.close()
    second.close()


def test_retention_prune_drops_only_old_rows(tmp_path: Path, clock: Clock) -> None:
    history = History(tmp_path / "h.sqlite3", retention_days=2, clock=clock)
    for day in range(5):
        at = T0 + timedelta(days=day)
        history.record(
            NUMBER,
            status(score=50 + day, state="Paused" if day % 2 else "In Progress"),
            window="w",
            at=at,
        )
    clock.now = T0 + timedelta(days=4, hours=1)
    deleted = history.prune()
    kept = history.export(NUMBER)
    assert [snap.at for snap in kept] == [T0 + timedelta(days=d) for d in (3, 4)]
    assert deleted == 3 + 2  # the snapshots of days 0-2, the state transitions of days 1-2
    assert [t.at for t in history.transitions(NUMBER)] == [T0 + timedelta(days=d) for d in (3, 4)]


def _fill(history: History, numbers: int, days: int, now: datetime) -> None:
    start = round(now.timestamp() * 1000) - days * 86_400_000
    with history.conn:
        for n in range(numbers):
            history.conn.execute(
                "INSERT INTO numbers (id, number) VALUES (?, ?)", (n + 1, f"+1202555{n:04d}")
            )
        rows = [
            (
                n + 1,
                start + i * 300_000,
                0,
                "last 7 d",
                1,
                80.0 + i % 5,
                40.0,
                i,
                i,
                0,
                0,
                99.0,
                0.5,
                "In Progress",
                "Healthy",
                None,
                None,
            )
            for n in range(numbers)
            for i in range(days * 288)
        ]
        history.conn.executemany(INSERT_SNAPSHOT, rows)
        history.conn.executemany(
            "INSERT INTO transitions VALUES (?, ?, 1, 'In Progress', 'Paused')",
            [(n + 1, start + d * 86_400_000) for n in range(numbers) for d in range(days)],
        )


def test_size_bound_thins_old_rows_and_keeps_recent_ones(tmp_path: Path, clock: Clock) -> None:
    history = History(tmp_path / "h.sqlite3", max_bytes=2**40, clock=clock)
    _fill(history, numbers=4, days=20, now=T0)
    before = stored_rows(history)
    history.max_bytes = history.used_bytes() // 3
    deleted = history.prune()
    assert deleted > 0
    assert history.used_bytes() <= history.max_bytes
    assert (tmp_path / "h.sqlite3").stat().st_size <= history.max_bytes
    assert stored_rows(history) == before - deleted
    # The last day is untouched: one row per 5 min.
    last_day = history.series("+12025550000", T0 - timedelta(days=1))
    assert len(last_day) == 288
    # Older days are thinned to one row per 30 min, not dropped.
    old_day = history.series("+12025550000", T0 - timedelta(days=20))
    assert len([s for s in old_day if s.at < T0 - timedelta(days=19)]) == 48
    assert stored_rows(history, "transitions") == 4 * 20


def test_record_is_fast(history: History) -> None:
    states = ("In Progress", "Paused")
    batches = []
    for batch in range(3):
        started = time.perf_counter()
        for i in range(batch * 100, batch * 100 + 100):
            history.record(
                NUMBER, status(state=states[i % 2]), window="w", at=T0 + timedelta(seconds=i)
            )
        batches.append((time.perf_counter() - started) / 100)
    assert stored_rows(history) == 300
    # The best batch: a busy machine slows some batches down, not the code.
    assert min(batches) < 0.002


def test_damaged_file_is_moved_aside_with_a_notice(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    history, notice = History.open(path, clock=clock)
    backup = tmp_path / "history.sqlite3.broken-20261101-120000"
    assert notice is not None and str(backup) in notice
    assert backup.read_bytes().startswith(b"this is not a database")
    history.record(NUMBER, status(), window="w", at=T0)
    assert history.latest(NUMBER) is not None
    history.close()


def test_corrupted_pages_are_detected_and_moved_aside(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path, clock=clock) as history:
        for i in range(400):
            state = ("In Progress", "Paused")[i % 2]
            history.record(NUMBER, status(state=state), window="w", at=T0 + timedelta(seconds=i))
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096 : 4 * 4096] = b"\xa5" * (2 * 4096)
    path.write_bytes(bytes(data))
    history, notice = History.open(path, clock=clock)
    assert notice is not None and "moved to" in notice
    assert history.latest(NUMBER) is None
    history.close()


def test_an_unopenable_path_is_an_error_and_is_left_alone(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    path.mkdir()
    with pytest.raises(HistoryError, match="Cannot open the history database"):
        History(path, clock=clock)
    assert path.is_dir() and [p.name for p in tmp_path.iterdir()] == ["history.sqlite3"]


def test_newer_schema_is_moved_aside_not_overwritten(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    _history, notice = History.open(path, clock=clock)
    assert notice is not None and "newer" in notice
    assert any(p.name.startswith("history.sqlite3.broken-") for p in tmp_path.iterdir())


def test_score_change_since_yesterday(history: History, clock: Clock) -> None:
    history.record(NUMBER, status(70), window="w", at=T0 - timedelta(hours=30))
    history.record(NUMBER, status(88), window="w", at=T0 - timedelta(hours=20))
    history.record(NUMBER, status(82), window="w", at=T0)
    assert score_change(history, NUMBER, hours=24) == pytest.approx(12.0)
    assert score_change(history, NUMBER, hours=48) is None
    baseline = score_baseline(history, NUMBER, hours=24)
    assert baseline is not None and baseline.score == 88


def _snap(minutes: float, score: float | None) -> Snapshot:
    return Snapshot(NUMBER, T0 + timedelta(minutes=minutes), "w", Condition.OK, score=score)


def test_sparkline_buckets_keep_the_last_value_and_show_gaps() -> None:
    snaps = [_snap(59, 4), _snap(1, 1), _snap(10, 2), _snap(130, 3), _snap(240, 9), _snap(-5, 7)]
    values = sparkline_series(snaps, "score", buckets=4, since=T0, until=T0 + timedelta(hours=4))
    assert values == [4.0, None, 3.0, 9.0]
    assert sparkline_series(snaps, "score", buckets=0, since=T0, until=T0) == []
    with pytest.raises(ValueError, match="numeric"):
        sparkline_series(snaps, "state", buckets=4, since=T0, until=T0 + timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", T0 - timedelta(hours=24)),
        ("7d", T0 - timedelta(days=7)),
        (" 90m ", T0 - timedelta(minutes=90)),
        ("2w", T0 - timedelta(weeks=2)),
        ("2026-10-30", datetime(2026, 10, 30, tzinfo=UTC)),
        ("2026-10-30T08:15:00Z", datetime(2026, 10, 30, 8, 15, tzinfo=UTC)),
        ("2026-10-30T08:15:00+02:00", datetime(2026, 10, 30, 6, 15, tzinfo=UTC)),
        ("2026-10-30 08:15", datetime(2026, 10, 30, 8, 15, tzinfo=UTC)),
    ],
)
def test_parse_since_accepts(text: str, expected: datetime) -> None:
    assert parse_since(text, T0) == expected


@pytest.mark.parametrize(
    "text", ["", "yesterday", "24x", "2026-13-01", "2027-01-01", "-3d", "99999999999d"]
)
def test_parse_since_rejects_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match=r"24h|future"):
        parse_since(text, T0)


def test_export_csv_and_json_are_safe_and_complete() -> None:
    hostile = '=HYPERLINK("x")\x1b]0;pwned\x07\x9b31m'
    snaps = [
        Snapshot(
            NUMBER, T0, "last 7 d", Condition.CRITICAL, score=12.5, sent=3, block_reason=hostile
        ),
        _snap(5, None),
    ]
    text = snapshots_to_csv(snaps)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["number"] == NUMBER
    assert rows[0]["at"] == "2026-11-01T12:00:00Z"
    assert rows[0]["condition"] == "critical" and rows[0]["score"] == "12.5"
    assert rows[0]["block_reason"].startswith("'=HYPERLINK")
    assert "\\u001b]0;pwned\\u0007" in rows[0]["block_reason"]
    assert rows[1]["score"] == "" and rows[1]["block_reason"] == ""

    exported = snapshots_to_json(snaps)
    assert "\x1b" not in exported and "\x9b" not in exported
    data = json.loads(exported)
    assert data[0]["block_reason"] == hostile
    assert data[0]["at"] == "2026-11-01T12:00:00Z" and data[1]["score"] is None


def test_rows_are_compact_and_pruned_pages_are_returned(tmp_path: Path, clock: Clock) -> None:
    history = History(tmp_path / "h.sqlite3", retention_days=10, clock=clock)
    for i in range(2000):
        at = clock.now = T0 - timedelta(days=20) + timedelta(minutes=5 * i)
        history.record(NUMBER, status(score=60 + i % 30, sent=100 + i), window="last 7 d", at=at)
    history.conn.execute("VACUUM")
    assert stored_rows(history) == 2000
    assert history.used_bytes() / 2000 < 120
    pages = history.conn.execute("PRAGMA page_count").fetchone()[0]
    clock.now = T0 - timedelta(days=20) + timedelta(minutes=5 * 2000) + timedelta(days=6)
    assert history.prune() > 0
    assert history.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert history.conn.execute("PRAGMA page_count").fetchone()[0] < pages


def test_integer_scores_stay_integers_in_history_exports(history: History) -> None:
    history.record(NUMBER, status(score=73), window="last 7 d", at=T0)
    history.record(NUMBER, status(score=91.5), window="last 7 d", at=T0 + timedelta(hours=1))
    data = json.loads(snapshots_to_json(history.export(NUMBER)))
    # The score and progress are integers in the API; the JSON says 73, not 73.0.
    assert '"score": 73,' in snapshots_to_json(history.export(NUMBER))
    assert type(data[0]["score"]) is int and type(data[0]["progress"]) is int
    assert data[1]["score"] == 91.5
    rows = list(csv.DictReader(io.StringIO(snapshots_to_csv(history.export(NUMBER)))))
    assert rows[0]["score"] == "73" and rows[0]["progress"] == "40"
