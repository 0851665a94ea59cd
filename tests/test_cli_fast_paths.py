"""``--version`` and ``--help`` answer from argparse alone (issue 12).

They are checked in a fresh interpreter, since this test process has long
since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "textual", "httpx", "phonenumbers", "logging", "sqlite3")

PROBE = """
import json, sys
from leadping_tui.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["status", "--help"]])
def test_fast_paths_import_nothing_heavy(argv: list[str]) -> None:
    heavy = HEAVY if argv[0] != "status" else ("textual", "sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=heavy)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "leadping-tui" in done.stdout
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert loaded == [], f"{argv} imported {loaded}"
