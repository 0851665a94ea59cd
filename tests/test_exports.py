"""Saving one status as JSON plus summary and events CSVs."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from leadping_tui import __version__
from leadping_tui.api.client import FetchResult
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.reports.exports import ExportError, export_status, safe_json_dumps
from leadping_tui.reports.status_report import EVENT_COLUMNS

NUMBER = "+12025550101"
RECEIVED = datetime(2026, 11, 3, 14, 5, 9, tzinfo=UTC)
NOW = datetime(2026, 11, 3, 15, 6, 7, tzinfo=timezone(timedelta(hours=1)))
HOSTILE = "[bold]hi[/bold] \x1b[2J\x1b]8;;http://x\x07link \x9b31m \u202eevil\u202c \x7f"


def event(index: int, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"evt-{index}",
        "createdAt": f"2026-11-03T1{index}:00:00Z",
        "label": "Delivered",
        "eventType": "sms",
        "direction": "outbound",
        "fromPhoneNumber": NUMBER,
        "toPhoneNumber": "+12025550999",
        "textPreview": text,
        "providerStatus": "delivered",
        "isOptOut": False,
        **extra,
    }


def make_result(raw: dict[str, Any] | None = None) -> FetchResult:
    body = raw or {
        "number": NUMBER,
        "messagesPossible": 120,
        "callsPossible": 30,
        "smsWarmup": {
            "phoneNumber": NUMBER,
            "healthScore": 92,
            "progressPercent": 40,
            "status": "In Progress",
            "healthStatus": "Healthy",
            "pauseReason": '=HYPERLINK("http://evil","x")',
        },
        "optOutMetrics": {"optOutCount": 1, "optOutRatePercent": 0.5, "windowDays": 7},
        "recentEvents": [
            event(1, "Hello there"),
            event(2, "@SUM(A1:A2)"),
            event(3, HOSTILE, label="+cmd|' /C calc'!A0"),
        ],
        "futureField": {"nested": [1, 2, 3]},
    }
    return FetchResult(
        number=NUMBER,
        query=StatusQuery.window(7),
        status=PhoneNumberStatus.model_validate(body),
        raw=body,
        received_at=RECEIVED,
        elapsed=0.1,
        size=1000,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_writes_three_files_named_after_number_and_time(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "exports"
    paths = export_status(make_result(), folder, now=NOW)
    stem = "leadping-12025550101-20261103-150607"
    assert paths.json == folder / f"{stem}.json"
    assert paths.summary_csv == folder / f"{stem}-summary.csv"
    assert paths.events_csv == folder / f"{stem}-events.csv"
    assert all(path.is_file() for path in paths.all())
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths.all())
    assert paths.json.stat().st_mode & 0o777 == 0o600


def test_json_round_trips_the_raw_response_with_a_header(tmp_path: Path) -> None:
    result = make_result()
    paths = export_status(result, tmp_path, now=NOW)
    text = paths.json.read_text(encoding="utf-8")
    assert text.startswith('{\n  "_export": {')
    document = json.loads(text)
    header = document.pop("_export")
    assert document == result.raw
    assert header == {
        "number": NUMBER,
        "window": "last 7 d",
        "query": {"windowDays": "7"},
        "received_at": "2026-11-03T14:05:09Z",
        "exported_at": "2026-11-03T14:06:07Z",
        "tool": f"leadping-tui {__version__}",
    }


def test_json_never_holds_the_api_key(tmp_path: Path) -> None:
    paths = export_status(make_result(), tmp_path, now=NOW)
    text = paths.json.read_text(encoding="utf-8")
    assert "sk_" not in text
    assert "authorization" not in text.lower()


def test_summary_csv_has_header_and_one_row(tmp_path: Path) -> None:
    paths = export_status(make_result(), tmp_path, now=NOW)
    rows = read_csv(paths.summary_csv)
    assert len(rows) == 1
    row = rows[0]
    assert row["number"] == NUMBER
    assert float(row["health_score"]) == 92
    assert row["state"] == "In Progress"
    assert row["opt_out_count"] == "1"
    assert row["condition"] in {"ok", "warning", "critical", "unknown"}
    # A formula in third-party text is neutralised by status_report.
    assert row["pause_reason"].startswith("'=HYPERLINK(")


def test_events_csv_has_one_row_per_event(tmp_path: Path) -> None:
    paths = export_status(make_result(), tmp_path, now=NOW)
    rows = read_csv(paths.events_csv)
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert [row["id"] for row in rows] == ["evt-1", "evt-2", "evt-3"]
    assert rows[0]["text_preview"] == "Hello there"
    assert rows[1]["text_preview"] == "'@SUM(A1:A2)"
    assert rows[2]["label"].startswith("'+cmd")


def test_events_csv_without_events_is_just_the_header(tmp_path: Path) -> None:
    paths = export_status(make_result({"number": NUMBER, "recentEvents": []}), tmp_path, now=NOW)
    assert paths.events_csv.read_text(encoding="utf-8") == ",".join(EVENT_COLUMNS) + "\n"
    assert len(read_csv(paths.summary_csv)) == 1


RAW_DANGER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def test_hostile_text_stays_literal_without_raw_control_characters(tmp_path: Path) -> None:
    paths = export_status(make_result(), tmp_path, now=NOW)
    for path in paths.all():
        text = path.read_text(encoding="utf-8")
        assert not RAW_DANGER.search(text), path.name
    # CSV: the markup look-alike is kept as text, ESC is made visible.
    preview = read_csv(paths.events_csv)[2]["text_preview"]
    assert preview.startswith("[bold]hi[/bold] ␛[2J")
    assert "evil" in preview
    # JSON: escapes in the file, the exact original value once parsed.
    document = json.loads(paths.json.read_text(encoding="utf-8"))
    assert document["recentEvents"][2]["textPreview"] == HOSTILE
    assert "\\u001b[2J" in paths.json.read_text(encoding="utf-8")
    assert "\\u202e" in paths.json.read_text(encoding="utf-8")


def test_safe_json_keeps_readable_text_and_escapes_the_rest() -> None:
    value = {"name": "Zoë 👩‍💻 日本", "bad": "a\u2028b\x85c\ud800d\U000e0041"}
    text = safe_json_dumps(value)
    assert "Zoë 👩‍💻 日本" in text
    for escape in ("\\u2028", "\\u0085", "\\ud800", "\\udb40\\udc41"):
        assert escape in text
    text.encode("utf-8")  # a lone surrogate would make this raise
    assert json.loads(text) == value


def test_a_second_export_in_the_same_second_does_not_overwrite(tmp_path: Path) -> None:
    first = export_status(make_result(), tmp_path, now=NOW)
    second = export_status(make_result(), tmp_path, now=NOW)
    assert second.json.name == "leadping-12025550101-20261103-150607-2.json"
    assert second.summary_csv.name.endswith("-2-summary.csv")
    assert first.json.is_file() and second.json.is_file()


def test_default_time_is_local_now(tmp_path: Path) -> None:
    before = datetime.now().replace(microsecond=0)
    paths = export_status(make_result(), tmp_path)
    after = datetime.now()
    stamp = paths.json.name.removeprefix("leadping-12025550101-").removesuffix(".json")
    assert before <= datetime.strptime(stamp, "%Y%m%d-%H%M%S") <= after


def test_unwritable_folder_raises_export_error_naming_it(tmp_path: Path) -> None:
    # A regular file in the way fails for root too, unlike a chmod.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "exports"
    with pytest.raises(ExportError) as caught:
        export_status(make_result(), target, now=NOW)
    assert str(target) in str(caught.value)
    with pytest.raises(ExportError, match="not a folder"):
        export_status(make_result(), blocker, now=NOW)


def test_failure_part_way_leaves_no_partial_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leadping_tui.reports.exports as exports
    from leadping_tui.store.atomic import atomic_write_text as real

    def failing(path: Path, text: str, *, mode: int = 0o600) -> None:
        if path.name.endswith("-events.csv"):
            raise OSError(28, "No space left on device")
        real(path, text, mode=mode)

    monkeypatch.setattr(exports, "atomic_write_text", failing)
    with pytest.raises(ExportError, match="No space left on device") as caught:
        export_status(make_result(), tmp_path, now=NOW)
    assert "-events.csv" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
