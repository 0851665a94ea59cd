"""``leadping-tui history NUMBER``: table, CSV and JSON views of recorded snapshots."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from leadping_tui import cli
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.commands import history as command
from leadping_tui.runtime import Runtime, load_runtime
from leadping_tui.store.history import History, HistoryError
from leadping_tui.store.paths import AppPaths

NUMBER = "+12025550101"
HOSTILE_REASON = "Carrier [bold]flag[/bold] \x1b[31mred\x1b[0m \u202eevil\x07"


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    return load_runtime(paths=AppPaths.under(tmp_path))


def status(score: float, state: str, reason: str | None = None) -> PhoneNumberStatus:
    return PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {
                "healthScore": score,
                "progressPercent": 40,
                "status": state,
                "healthStatus": "Healthy",
                "pauseReason": reason,
                "sentCount": 1234,
            }
        }
    )


def fill(path: Path, *, hours_ago: tuple[float, ...] = (30, 3, 2, 1)) -> datetime:
    """Record four distinct statuses for NUMBER; returns the clock's 'now'."""
    now = datetime.now(UTC)
    states = [
        status(70, "In Progress"),
        status(80, "In Progress"),
        status(55, "Paused", HOSTILE_REASON),
        status(91.5, "In Progress"),
    ]
    with History(path, clock=lambda: now) as history:
        for ago, snap in zip(hours_ago, states, strict=True):
            history.record(NUMBER, snap, window="last 7 d", at=now - timedelta(hours=ago))
    return now


def args(number: str = "(202) 555-0101", **overrides: Any) -> argparse.Namespace:
    values: dict[str, Any] = {"number": number, "since": "7d", "csv": False, "json": False}
    values.update(overrides)
    return argparse.Namespace(**values)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(argv)


def test_arguments_default_and_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    parsed = parse(["+12025550101"])
    assert (parsed.number, parsed.since, parsed.csv, parsed.json) == (NUMBER, "7d", False, False)
    assert parse(["x", "--since", "24h", "--json"]).json
    with pytest.raises(SystemExit):
        parse(["x", "--csv", "--json"])
    assert "not allowed with" in capsys.readouterr().err


def test_no_database_says_so_and_creates_nothing(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command.run(args(), runtime) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "No history recorded yet for +1 202-555-0101; history is kept while the dashboard runs."
    )
    assert not runtime.paths.history_db.exists()
    assert not runtime.paths.data_dir.exists()


def test_no_database_machine_output_is_an_empty_document(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command.run(args(json=True), runtime) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "No history recorded yet" in captured.err
    assert command.run(args(csv=True), runtime) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("number,at,window,condition,")
    assert len(captured.out.splitlines()) == 1
    assert not runtime.paths.history_db.exists()


def test_table_lists_snapshots_since_and_neutralises_text(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(runtime.paths.history_db)
    assert command.run(args(), runtime) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("+1 202-555-0101: 4 snapshots since ")
    assert lines[1].split()[:4] == ["time", "condition", "score", "progress"]
    body = lines[3:]
    assert len(body) == 4
    assert "91.5" in body[-1] and "In Progress" in body[-1]
    assert "1,234" in body[0]
    paused = body[2]
    assert "Paused" in paused
    assert "paused: Carrier [bold]flag[/bold] ␛[31mred␛[0m evil␇" in paused
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


def test_since_limits_the_rows(runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    fill(runtime.paths.history_db)
    assert command.run(args(since="150m"), runtime) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("+1 202-555-0101: 2 snapshots since ")


def test_csv_output(runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    fill(runtime.paths.history_db)
    assert command.run(args(csv=True), runtime) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [float(row["score"]) for row in rows] == [70, 80, 55, 91.5]
    assert {row["number"] for row in rows} == {NUMBER}
    assert rows[2]["state"] == "Paused"
    assert "\x1b" not in captured.out
    assert captured.err == ""


def test_json_output(runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    fill(runtime.paths.history_db)
    assert command.run(args(json=True, since="2d"), runtime) == 0
    data = json.loads(capsys.readouterr().out)
    assert [item["score"] for item in data] == [70, 80, 55, 91.5]
    assert data[2]["pause_reason"] == HOSTILE_REASON
    assert all(item["at"].endswith("Z") for item in data)


def test_nothing_in_range_points_at_the_newest(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(runtime.paths.history_db, hours_ago=(60, 59, 58, 57))
    assert command.run(args(since="1d"), runtime) == 0
    out = capsys.readouterr().out
    assert out.startswith("No snapshots of +1 202-555-0101 since ")
    assert "try a longer --since" in out


def test_unknown_number_in_existing_database(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(runtime.paths.history_db)
    assert command.run(args(number="+12025550102"), runtime) == 0
    assert capsys.readouterr().out.startswith("No history recorded yet for +1 202-555-0102;")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"number": "call me"}, "contains letters"),
        ({"number": "123"}, "too short"),
        ({"since": "tomorrow"}, "Cannot read the time 'tomorrow'"),
        ({"since": "2999-01-01"}, "in the future"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2(
    runtime: Runtime,
    capsys: pytest.CaptureFixture[str],
    overrides: dict[str, str],
    expected: str,
) -> None:
    assert command.run(args(**overrides), runtime) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("leadping-tui: ")
    assert expected in captured.err
    assert captured.err.count("\n") == 1


def test_damaged_database_is_moved_aside_and_reported(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    db = runtime.paths.history_db
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not an SQLite database" * 100)
    assert command.run(args(), runtime) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("leadping-tui: The history database ")
    assert "moved to" in captured.err
    assert captured.out.startswith("No history recorded yet for +1 202-555-0101")
    assert list(db.parent.glob("history.sqlite3.broken-*"))


def test_history_error_is_one_line_exit_2(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(runtime.paths.history_db)

    def refuse(path: Path, **_: object) -> tuple[History, str | None]:
        raise HistoryError(f"Cannot open the history database {path}: database is locked")

    monkeypatch.setattr(History, "open", refuse)
    assert command.run(args(), runtime) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"leadping-tui: Cannot open the history database {runtime.paths.history_db}: "
        "database is locked\n"
    )


def test_through_the_cli_dispatcher(capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.default()  # below the test's XDG directories
    fill(paths.history_db)
    assert cli.main(["history", "202-555-0101", "--since", "2d", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4
