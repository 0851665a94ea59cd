"""The benchmark suite still runs: ``python -m benchmarks --smoke`` end to end.

Smoke mode runs every benchmark in a tiny configuration (about 30 s in
all), so this checks the machinery and the report, not the figures.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

EXPECTED = {
    "startup.first_status",
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
    "memory.rss_growth",
    "memory.growth_per_1000",
    "memory.history_db",
    "big.parse_render",
    "big.parse",
    "big.render",
    "big.keypress",
    "big.stall",
    "ssh.full_repaint",
    "ssh.unchanged_refresh",
    "ssh.changed_refresh",
    "ssh.idle_minute",
    "watchlist.sidebar_key",
    "watchlist.request_budget",
}
WITH_BASELINE = {
    "startup.first_status",
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
}


@pytest.mark.slow
def test_smoke_run_writes_every_figure_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--quiet", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["mode"] == "smoke"
    assert document["command"].startswith("python -m benchmarks --smoke")
    assert document["code"]["commit"]
    machine = document["machine"]
    assert machine["cores"] >= 1 and machine["python"] and machine["textual"] != "?"

    figures = {figure["key"]: figure for figure in document["figures"]}
    assert set(figures) == EXPECTED
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
    assert figures["startup.first_status"]["value"] >= figures["startup.first_frame"]["value"]
    assert figures["ssh.full_repaint"]["value"] > 0
    assert figures["watchlist.request_budget"]["extra"]["served"] >= 1

    table = done.stdout
    assert table.startswith("| Figure | Median | Min–max | Baseline")
    for figure in document["figures"]:
        assert figure["title"].replace("|", "/") in table
    assert f"{len(EXPECTED)} figures in" in table
