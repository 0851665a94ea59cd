"""`leadping-tui config`: the path, the effective settings, and --edit."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

KEY = "sk_live_config_cmd_24680"


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "leadping_tui", "config", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def settings_path() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "leadping-tui" / "settings.toml"


def test_config_prints_path_and_masked_key() -> None:
    completed = run(env_extra={"LEADPING_API_KEY": KEY})
    assert completed.returncode == 0
    assert str(settings_path()) in completed.stdout
    assert "requests_per_minute = 30" in completed.stdout
    assert "sk_…4680" in completed.stdout
    assert KEY not in completed.stdout + completed.stderr


def test_config_names_the_line_of_a_mistake() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("refresh_seconds = 20\nrefersh = 5\n", encoding="utf-8")
    completed = run()
    assert completed.returncode == 0
    assert "settings.toml:2" in completed.stdout
    assert "refersh" in completed.stdout
    assert "refresh_seconds = 20" in completed.stdout


def test_edit_creates_a_private_file_and_runs_the_editor(tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "theme = \\"nord\\"" >> "$1"\n', encoding="utf-8")
    editor.chmod(0o755)
    completed = run("--edit", env_extra={"EDITOR": str(editor), "VISUAL": ""})
    assert completed.returncode == 0, completed.stderr
    path = settings_path()
    assert 'theme = "nord"' in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
