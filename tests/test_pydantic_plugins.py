"""A pydantic plugin installed in the environment never sees what the app validates.

Pydantic loads every plugin that an installed package declares (the
``pydantic`` entry-point group) and hands it each input its models validate:
the settings file, API key included. The test installs such a plugin on
``PYTHONPATH`` (a module and its dist-info), shows that pydantic loads it in a
plain interpreter, then runs ``leadping-tui status`` and finds it was never
given anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from leadping_tui.store.paths import AppPaths

KEY = "sk_live_plugin_planted_8642"

SPY = """
import os


class _Handler:
    def on_enter(self, input, **kwargs):
        with open(os.environ["SPY_OUT"], "a", encoding="utf-8") as out:
            out.write(repr(input) + "\\n")


class _Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return _Handler(), _Handler(), _Handler()


plugin = _Plugin()
"""


def install_spy(root: Path) -> None:
    (root / "spy_plugin.py").write_text(SPY, encoding="utf-8")
    info = root / "spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n", "utf-8")


def test_an_installed_pydantic_plugin_sees_no_settings_and_no_payloads(
    sim: Any, tmp_path: Path
) -> None:
    plugins = tmp_path / "site"
    plugins.mkdir()
    install_spy(plugins)
    seen = tmp_path / "seen.txt"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env |= {"PYTHONPATH": str(plugins), "SPY_OUT": str(seen)}

    # The plugin works: a model validated in a plain interpreter is reported to it.
    probe = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: str\nM(x='probe')\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "probe" in seen.read_text(encoding="utf-8")
    seen.unlink()

    settings = AppPaths.default().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'api_key = "{KEY}"\n', encoding="utf-8")
    settings.chmod(0o600)
    command = ["status", "+12025550101", "--base-url", sim.base_url]
    done = subprocess.run(
        [sys.executable, "-m", "leadping_tui", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "OK" in done.stdout
    assert not seen.exists(), seen.read_text(encoding="utf-8")[:300]
