"""The real program in a real pseudo-terminal under the TERMs our users have."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

#: What the demo draws once its first status is in: the healthy number's
#: condition mark. "LIVE" is drawn before any status arrives.
FIRST_STATUS = "✓".encode()


def run_in_pty(env_extra: dict[str, str], *, until: bytes, timeout: float = 90.0) -> bytes:
    """Start the demo in a 100x30 pty, read until ``until`` appears, quit with q.

    ``timeout`` only bounds a hang: a loaded machine can take many seconds to
    start Python, Textual and the simulator, and the wait ends as soon as
    ``until`` is seen.
    """
    env = dict(os.environ)
    env.pop("COLORTERM", None)
    env.update(env_extra)
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execve(sys.executable, [sys.executable, "-m", "leadping_tui", "--demo"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + timeout
    quit_sent = False
    finished, status = 0, 0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            if not quit_sent and until in output:
                os.write(fd, b"q")
                quit_sent = True
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
        else:
            raise AssertionError(f"no exit in {timeout} s; saw {until!r}: {until in output}")
        if not finished:  # the pty closed first: the child is exiting
            finished, status = os.waitpid(pid, 0)
        assert quit_sent, output[-2000:]
        assert os.waitstatus_to_exitcode(status) == 0, output[-3000:]
        return bytes(output)
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "tmux-256color", "linux"])
def test_dashboard_paints_and_quits_cleanly(term: str, tmp_path: Path) -> None:
    output = run_in_pty({"TERM": term, "TMPDIR": str(tmp_path)}, until=FIRST_STATUS)
    assert b"Watchlist" in output
    assert b"Traceback" not in output
    # The demo's throwaway watchlist went with it.
    assert list(tmp_path.glob("leadping-tui-demo-*")) == []
    if term == "linux":
        # The Linux console has 16 colours: no 24-bit or 256-colour codes.
        assert b"38;2;" not in output and b"38;5;" not in output


GREYS = {16, 231, *range(232, 256)}


def colour_indexes(output: bytes) -> list[int]:
    return [int(index) for index in re.findall(rb"[34]8;5;(\d+)", output)]


def test_no_color_is_honoured() -> None:
    # Textual honours NO_COLOR by drawing in greys only.
    output = run_in_pty({"TERM": "xterm-256color", "NO_COLOR": "1"}, until=FIRST_STATUS)
    indexes = colour_indexes(output)
    assert indexes and set(indexes) <= GREYS
    # The condition still reads without colour.
    assert FIRST_STATUS in output
    # Without NO_COLOR the same screen does use colours.
    coloured = run_in_pty({"TERM": "xterm-256color"}, until=FIRST_STATUS)
    assert set(colour_indexes(coloured)) - GREYS


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_quit_like_q_and_restore_the_terminal(
    signame: str, tmp_path: Path
) -> None:
    import signal

    signum = getattr(signal, signame)
    env = dict(os.environ, TERM="xterm-256color", TMPDIR=str(tmp_path))
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execve(sys.executable, [sys.executable, "-m", "leadping_tui", "--demo"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + 90
    sent_at = None
    status = 0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                output += chunk
                if not chunk:
                    break
            if sent_at is None and FIRST_STATUS in output:
                sent_at = len(output)
                os.kill(pid, signum)
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
        else:
            raise AssertionError(f"no exit in 90 s after {signame}")
        if not finished:
            _, status = os.waitpid(pid, 0)
        assert sent_at is not None, output[-2000:]
        assert os.waitstatus_to_exitcode(status) == 128 + signum
        after = bytes(output[sent_at:])
        assert b"Traceback" not in output
        # The alternate screen is left and mouse tracking is off again.
        assert b"\x1b[?1049l" in after
        assert b"\x1b[?1000l" in after
        assert list(tmp_path.glob("leadping-tui-demo-*")) == []
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
