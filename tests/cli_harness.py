"""Run the command line in the test's own process, as a child process would see it."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Sequence
from unittest import mock

from leadping_tui.cli import main


def run_in_process(
    argv: Sequence[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``leadping-tui ARGV`` through ``cli.main``: its exit code and what it printed.

    ``env`` is added to the environment (``LEADPING_API_KEY`` is dropped
    unless given), and stdout/stderr are plain text buffers, as a pipe is to a
    child process (not a terminal). A ``SystemExit`` (argparse) gives its code.
    """
    out, err = io.StringIO(), io.StringIO()
    environ = {k: v for k, v in os.environ.items() if k != "LEADPING_API_KEY"} | (env or {})
    with (
        mock.patch.dict(os.environ, environ, clear=True),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
            if isinstance(exited.code, str):
                print(exited.code, file=err)
    return subprocess.CompletedProcess(list(argv), code, out.getvalue(), err.getvalue())
