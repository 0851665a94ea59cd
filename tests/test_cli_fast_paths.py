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


def test_version_answers_before_argparse_with_argparses_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    probe = (
        "import sys\nfrom leadping_tui.cli import main\nmain(['--version'])\n"
        "print('argparse' in sys.modules, 'typing' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stderr.split() == ["False", "False"]
    # The same line argparse's version action prints (--version among other arguments).
    from leadping_tui.cli import main

    with pytest.raises(SystemExit):
        main(["--refresh", "30", "--version"])
    assert done.stdout == capsys.readouterr().out
