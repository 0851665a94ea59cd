"""No terminal, or a terminal that goes away: the dashboard ends instead of spinning.

Textual's input thread reads keys from standard input. From a file, a pipe,
/dev/null or a pseudo-terminal whose far end has closed it reads end-of-file
in a loop that never sleeps: a whole core, for ever. A process left that way
(a harness killed mid-run, its pty closed without a SIGHUP) was found using
80 % of a core half an hour later, its output thread dead and SIGTERM ignored.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest

from leadping_tui.terminal.presence import terminal_present
from leadping_tui.ui.app_terminal import HANGUP_EXIT_CODE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")

#: Bounds a hang only; each wait ends as soon as its condition holds.
PATIENCE = 90.0
#: The healthy demo number's condition mark: drawn once its status is in.
FIRST_STATUS = "✓".encode()


def test_a_closed_pseudo_terminal_is_no_longer_present() -> None:
    master, slave = os.openpty()
    try:
        assert terminal_present(slave)
        os.close(master)
        assert not terminal_present(slave)
    finally:
        os.close(slave)
    assert not terminal_present(slave)  # closed: not a terminal either


def test_standard_input_that_is_not_a_terminal_is_refused_with_what_to_do() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "leadping_tui", "--demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "needs a terminal" in completed.stderr
    assert "leadping-tui status" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_terminal_that_vanishes_without_a_hangup_ends_the_app() -> None:
    master, slave = os.openpty()
    env = dict(os.environ, TERM="xterm-256color")
    # A new session, and the pty passed as plain fds: it is not the
    # controlling terminal, so closing it sends no SIGHUP.
    process = subprocess.Popen(
        [sys.executable, "-m", "leadping_tui", "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    try:
        output = bytearray()
        deadline = time.monotonic() + PATIENCE
        while FIRST_STATUS not in output:
            assert time.monotonic() < deadline, f"no first status; saw {bytes(output[-300:])!r}"
            assert process.poll() is None, f"exited early; saw {bytes(output[-300:])!r}"
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                output += os.read(master, 65536)
        os.close(master)
        master = -1
        assert process.wait(timeout=PATIENCE) == HANGUP_EXIT_CODE
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if master >= 0:
            os.close(master)
