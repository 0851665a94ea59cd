"""The benchmark suite still runs: ``python -m benchmarks --smoke`` end to end.

Smoke mode runs every benchmark in a tiny configuration (about 30 s in
all), so this checks the machinery and the report, not the figures. Each
benchmark runs on its own (``--only NAME``), so parallel workers share them.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: The figures each benchmark writes, by the name ``--only`` takes.
EXPECTED = {
    "startup": {
        "startup.first_status",
        "startup.first_status_cpu",
        "startup.first_frame",
        "watchlist.startup_1000",
        "startup.rss",
        "startup.cli_version",
        "startup.cli_help",
    },
    "idle": {
        "idle.cpu_default",
        "idle.cpu_fast",
        "idle.bytes_per_minute_unchanged",
        "idle.cpu_live",
        "idle.wakeups",
        "idle.bytes_per_minute_live",
    },
    "memory": {"memory.rss_growth", "memory.growth_per_1000", "memory.history_db"},
    "big_payload": {
        "big.parse_render",
        "big.parse",
        "big.parse_full_model",
        "big.body_to_frame",
        "big.render",
        "big.keypress",
        "big.stall",
    },
    "ssh_bytes": {
        "ssh.full_repaint",
        "ssh.unchanged_refresh",
        "ssh.changed_refresh",
        "ssh.idle_minute",
    },
    "large_watchlist": {
        "watchlist.sidebar_key",
        "watchlist.sidebar_key_with_data",
        "watchlist.request_budget",
        "watchlist.sort_filter_key",
    },
    "fleet": {"fleet.requests_per_round", "fleet.oldest_row", "fleet.import"},
    "mount_cost": {"mount.cpu_first", "mount.cpu_settled"},
}
WITH_BASELINE = {
    "startup.first_status",
    "startup.first_status_cpu",
    "startup.first_frame",
    "watchlist.startup_1000",
    "startup.rss",
    "startup.cli_version",
    "startup.cli_help",
    "idle.cpu_default",
    "idle.cpu_fast",
    "idle.bytes_per_minute_unchanged",
    "idle.cpu_live",
    "idle.wakeups",
    "idle.bytes_per_minute_live",
    "ssh.unchanged_refresh",
    "ssh.changed_refresh",
    "watchlist.sort_filter_key",
    "fleet.requests_per_round",
    "fleet.oldest_row",
    "fleet.import",
    "mount.cpu_first",
    "mount.cpu_settled",
}


def test_every_benchmark_is_smoke_tested() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    choices = re.search(r"--only \[\{([^}]*)\}", done.stdout)
    assert choices is not None, done.stdout
    assert set(choices.group(1).split(",")) == set(EXPECTED)


# One run per benchmark, so that parallel test workers share them out.
@pytest.mark.slow
@pytest.mark.parametrize("name", list(EXPECTED))
def test_smoke_run_writes_every_figure_and_prints_the_table(tmp_path: Path, name: str) -> None:
    out = tmp_path / "results.json"
    command = ["--smoke", "--quiet", "--only", name, "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["mode"] == "smoke"
    assert document["command"] == " ".join(["python -m benchmarks", *command])
    assert document["code"]["commit"]
    machine = document["machine"]
    assert machine["cores"] >= 1 and machine["python"] and machine["textual"] != "?"

    figures = {figure["key"]: figure for figure in document["figures"]}
    assert set(figures) == EXPECTED[name]
    for key, figure in figures.items():
        assert isinstance(figure["value"], int | float), key
        assert math.isfinite(figure["value"]), key
        assert figure["samples"], key
        spread = figure["spread"]
        assert spread["min"] <= figure["value"] <= spread["max"], key
        if key in WITH_BASELINE:
            assert figure["baseline"] is not None, key
            assert math.isfinite(figure["baseline"]["value"]), key
        if figure["met"] is not None:
            assert isinstance(figure["judged"], int | float), key
            assert figure["target"], key

    # Things that must hold even in a tiny run: a first status really was
    # painted after the first frame, and the big payload was fully shown.
    if name == "startup":
        first_status = figures["startup.first_status"]["value"]
        assert first_status >= figures["startup.first_frame"]["value"]
    if name == "ssh_bytes":
        assert figures["ssh.full_repaint"]["value"] > 0
    if name == "large_watchlist":
        assert figures["watchlist.request_budget"]["extra"]["served"] >= 1
    if name == "fleet":
        assert figures["fleet.requests_per_round"]["extra"]["listing"]["background_status"] == 0
    if name == "mount_cost":
        first, settled = figures["mount.cpu_first"], figures["mount.cpu_settled"]
        assert 0 < first["value"] <= settled["value"]
        applied = first["extra"]["style_applications"][0]
        assert 0 < applied <= settled["extra"]["style_applications"][0]
        assert first["extra"]["widgets"][0] > first["extra"]["bare_widgets"][0]

    table = done.stdout
    assert table.startswith("| Figure | Median | Min–max | Baseline")
    for figure in document["figures"]:
        assert figure["title"].replace("|", "/") in table
    assert f"{len(EXPECTED[name])} figures in" in table
