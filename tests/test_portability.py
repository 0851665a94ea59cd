"""The app imports and writes its files where ``fcntl`` and ``termios`` do not exist (Windows)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("import_without_posix.py")


def test_every_module_imports_without_fcntl_and_termios() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "FAILED" not in done.stderr
    imported, total = done.stdout.split()[1::2][:2]
    assert imported == total and int(total) > 50, done.stdout
