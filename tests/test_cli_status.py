"""`leadping-tui status` as a user runs it, against the simulator.

Most tests call the CLI's ``main`` in this process; the exit code and the
output are checked in a real child process too (``as_process=True``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from cli_harness import run_in_process

from leadping_tui.simulator import Fault

KEY = "sk_live_cli_planted_4321"


def run_status(
    sim: Any, *args: str, key: str | None = KEY, as_process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``leadping-tui status ARGS``: in this process (``cli.main``, what the
    console script calls), or as a child process when ``as_process``.

    In this process it costs ~20 ms instead of ~500 ms of interpreter start
    and imports; the tests marked below still run the real command.
    """
    argv = ["status", *args, "--base-url", sim.base_url]
    env = {"LEADPING_API_KEY": key} if key is not None else {}
    if as_process:
        child_env = {k: v for k, v in os.environ.items() if k != "LEADPING_API_KEY"}
        completed = subprocess.run(
            [sys.executable, "-m", "leadping_tui", *argv],
            capture_output=True,
            text=True,
            env=child_env | env,
            timeout=60,
        )
    else:
        completed = run_in_process(argv, env)
    assert KEY not in completed.stdout and KEY not in completed.stderr
    assert "Traceback" not in completed.stderr
    return completed


@pytest.mark.parametrize(
    ("number", "code", "word"),
    [
        ("+12025550101", 0, "OK"),
        ("(202) 555-0102", 1, "WARN"),
        ("202.555.0103", 1, "WARN"),
        ("+1 202 555 0104", 2, "CRIT"),
        ("+12025550105", 0, "OK"),
        ("+12025550106", 3, "UNKN"),
    ],
)
def test_exit_code_follows_the_condition(sim: Any, number: str, code: int, word: str) -> None:
    completed = run_status(sim, number)
    assert completed.returncode == code, completed.stderr
    assert word in completed.stdout
    assert "+1 202-555-01" in completed.stdout


@pytest.mark.parametrize(("number", "code", "word"), [("(202) 555-0102", 1, "WARN")])
def test_the_real_command_exits_with_the_condition(
    sim: Any, number: str, code: int, word: str
) -> None:
    # The same as above through `python -m leadping_tui`: a child process's
    # exit code and its stdout, as cron or a monitoring check reads them.
    completed = run_status(sim, number, as_process=True)
    assert completed.returncode == code, completed.stderr
    assert word in completed.stdout and "+1 202-555-0102" in completed.stdout


def test_summary_shows_reasons_and_events(sim: Any) -> None:
    # The seed shape carries the block reason; the SDK shape only the state.
    sim.shape = "seed"
    out = run_status(sim, "+12025550104").stdout
    assert "BLOCKED" in out
    assert "recent events" in out
    assert "health score" in out


def test_json_output_is_camel_case_with_numbers(sim: Any) -> None:
    sim.shape = "seed"
    completed = run_status(sim, "+12025550101", "--json", "--window", "30")
    data = json.loads(completed.stdout)
    assert isinstance(data["messagesPossible"], int)
    assert data["optOutMetrics"]["windowDays"] == 30
    assert sim.requests[-1].query == {"windowDays": "30"}


@pytest.mark.parametrize("shape", ["seed", "sdk"])
def test_integers_stay_integers_in_json_and_csv(sim: Any, shape: str) -> None:
    sim.shape = shape
    data = json.loads(run_status(sim, "+12025550101", "--json").stdout)
    # "73", not "73.0": the official SDK reads 73.0 as None for these integer fields.
    for field in ("healthScore", "progressPercent"):
        assert type(data["smsWarmup"][field]) is int, (field, data["smsWarmup"][field])
    row = next(
        csv.DictReader(io.StringIO(run_status(sim, "+12025550101", "--format", "csv").stdout))
    )
    assert row["health_score"].isdigit() and row["progress_percent"].isdigit()


def test_csv_output(sim: Any) -> None:
    completed = run_status(sim, "+12025550101", "--format", "csv")
    header = completed.stdout.splitlines()[0]
    assert header.startswith("number,condition,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("12345",), "too short"),
        (("+12025550101", "--from", "2026-11-10", "--to", "2026-11-01"), "before the start"),
        (("+12025550101", "--from", "2026-02-30", "--to", "2026-03-01"), "not a real calendar"),
        (("+12025550199",), "not found"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_3(
    sim: Any, args: tuple[str, ...], message: str
) -> None:
    completed = run_status(sim, *args)
    assert completed.returncode == 3
    assert message.lower() in completed.stderr.lower()
    assert len(completed.stderr.strip().splitlines()) == 1


def test_no_key_explains_how_to_set_it(sim: Any) -> None:
    completed = run_status(sim, "+12025550101", key=None)
    assert completed.returncode == 3
    assert "LEADPING_API_KEY" in completed.stderr
    assert "settings.toml" in completed.stderr


def test_rate_limited_says_so(sim: Any) -> None:
    sim.faults.set(Fault(kind="rate_limit", retry_after=30))
    completed = run_status(sim, "+12025550101")
    assert completed.returncode == 3
    assert "429" in completed.stderr
