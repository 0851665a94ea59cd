"""CLI messages that say what to do (issue 9, section 5): usage errors, an
unreachable server, the default window and CSV output.

Everything runs in-process through :func:`leadping_tui.cli.main`, what the
console script calls (``tests/test_cli_status.py`` also runs the real
command as a child process); fetches go to the simulator over loopback HTTP.
"""

from __future__ import annotations

import csv
import io
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cli_harness import run_in_process

from leadping_tui.cli import main

KEY = "sk_live_cli_messages_8765"


def run_cli(
    *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    completed = run_in_process(args, {"LEADPING_API_KEY": KEY} | (env_extra or {}))
    assert "Traceback" not in completed.stderr
    return completed


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    code = exited.value.code
    assert isinstance(code, int)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("value", ["inf", "nan", "1e20", "-5", "0", "4", "-inf", "ten"])
def test_refresh_out_of_range_names_the_flag_and_its_range(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, err = usage_error(capsys, f"--refresh={value}")
    assert code == 2
    assert "--refresh" in err
    assert "5 to 86400" in err
    assert "foreground_interval" not in err


def test_refresh_in_range_is_accepted() -> None:
    from leadping_tui.cli import refresh_seconds

    assert refresh_seconds("5") == 5.0
    assert refresh_seconds("86400") == 86400.0


@pytest.mark.parametrize("port", ["0", "65536", "70000", "99999999"])
def test_base_url_port_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], port: str
) -> None:
    url = f"http://127.0.0.1:{port}"
    code, err = usage_error(capsys, "--base-url", url)
    assert code == 2
    assert "--base-url" in err and "1 to 65535" in err
    # `status` reports usage errors as "unknown" (3), never as "critical" (2).
    code, err = usage_error(capsys, "status", "+12025550101", "--base-url", url)
    assert code == 3
    assert "--base-url" in err and "1 to 65535" in err


def test_base_url_port_from_settings_is_checked_too() -> None:
    from leadping_tui.api.errors import ConfigurationError
    from leadping_tui.api.urls import check_base_url

    with pytest.raises(ConfigurationError, match="1 to 65535"):
        check_base_url("https://api.example.com:70000")
    assert check_base_url("https://api.example.com:8443/") == "https://api.example.com:8443"


def test_json_with_format_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = usage_error(capsys, "status", "+12025550101", "--json", "--format", "csv")
    assert code == 3
    assert "--json" in err and "--format" in err


@pytest.mark.parametrize(
    ("word", "suggestion"),
    [("statsu", "did you mean status?"), ("sttaus", "did you mean status?"), ("confg", "config")],
)
def test_misspelt_subcommand_suggests_the_right_one(
    capsys: pytest.CaptureFixture[str], word: str, suggestion: str
) -> None:
    assert main([word, "+12025550101"]) == 2
    err = capsys.readouterr().err
    assert suggestion in err
    assert "contains letters" not in err


def test_help_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help"]) == 0
    out = capsys.readouterr().out
    assert "usage: leadping-tui" in out and "status" in out
    assert main(["help", "status"]) == 0
    assert "--window" in capsys.readouterr().out


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_status_against_a_down_server_says_unreachable_and_exits_3() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    completed = run_cli("status", "+12025550101", "--base-url", url)
    assert completed.returncode == 3
    assert "unreachable" in completed.stderr
    assert url in completed.stderr
    assert "retrying" not in completed.stderr.lower()
    assert len(completed.stderr.strip().splitlines()) == 1


def test_status_uses_the_dashboard_default_window(sim: Any, tmp_path: Path) -> None:
    settings = tmp_path / "config" / "leadping-tui" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("default_window_days = 14\n", encoding="utf-8")
    completed = run_cli(
        "status",
        "+12025550101",
        "--base-url",
        sim.base_url,
        env_extra={"XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert completed.returncode == 0, completed.stderr
    assert sim.requests[-1].query == {"windowDays": "14"}
    # Without a settings file: the settings' default (7 days), as the dashboard.
    completed = run_cli(
        "status",
        "+12025550101",
        "--base-url",
        sim.base_url,
        env_extra={"XDG_CONFIG_HOME": str(tmp_path / "empty")},
    )
    assert sim.requests[-1].query == {"windowDays": "7"}


def test_csv_is_one_table(sim: Any) -> None:
    sim.shape = "seed"
    completed = run_cli("status", "+12025550101", "--format", "csv", "--base-url", sim.base_url)
    assert completed.returncode == 0, completed.stderr
    rows = list(csv.reader(io.StringIO(completed.stdout)))
    assert rows[0][:2] == ["number", "condition"]
    # Every row has the header's columns: no second table, no blank separator.
    assert len(rows) == 2
    assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_with_out_writes_one_file_per_table(sim: Any, tmp_path: Path) -> None:
    sim.shape = "seed"
    out = tmp_path / "out"
    completed = run_cli(
        "status", "+12025550101", "--format", "csv", "--out", str(out), "--base-url", sim.base_url
    )
    assert completed.returncode == 0, completed.stderr
    written = [Path(line) for line in completed.stdout.splitlines()]
    names = sorted(path.name for path in written)
    assert any(name.endswith("-summary.csv") for name in names)
    assert any(name.endswith("-events.csv") for name in names)
    for path in written:
        assert path.parent == out and path.is_file()
    events = next(path for path in written if path.name.endswith("-events.csv"))
    table = list(csv.reader(io.StringIO(events.read_text(encoding="utf-8"))))
    assert table[0][0] == "created_at" and len(table) > 1
