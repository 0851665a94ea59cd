"""Desktop notifications through ``notify-send``, best effort and never blocking.

Only for a local graphical session: over SSH a notification would pop up on
the remote machine's screen (if anywhere), so it is not attempted there.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping

from leadping_tui.terminal.terminal_seq import clean_field

__all__ = ["APP_NAME", "can_notify_send", "notify_send"]

APP_NAME = "leadping-tui"
TITLE_MAX_CHARS = 100
BODY_MAX_CHARS = 300
# A notification daemon that hangs must not leave processes behind forever.
_REAP_TIMEOUT_SECONDS = 30.0

Which = Callable[[str], str | None]


def can_notify_send(env: Mapping[str, str], *, which: Which = shutil.which) -> bool:
    """True in a local graphical session where ``notify-send`` is installed."""
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"):
        return False
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return False
    return which("notify-send") is not None


def _escape_markup(text: str) -> str:
    # Most notification daemons read the body as a small HTML subset, so a
    # carrier's "<b>" or "&" would be interpreted rather than shown.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def notify_send(title: str, body: str, *, which: Which = shutil.which) -> bool:
    """Show a desktop notification; returns whether ``notify-send`` was started.

    Never raises and never waits: the child is started without a shell and
    reaped by a daemon thread.  Text is stripped of control characters and
    capped; the title cannot be taken for an option.
    """
    try:
        program = which("notify-send")
        if program is None:
            return False
        argv = [
            program,
            f"--app-name={APP_NAME}",
            "--",
            clean_field(title, limit=TITLE_MAX_CHARS) or APP_NAME,
            _escape_markup(clean_field(body, limit=BODY_MAX_CHARS)),
        ]
        child = subprocess.Popen(  # noqa: S603 - fixed program, no shell, cleaned arguments
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
        threading.Thread(target=_reap, args=(child,), name="notify-send", daemon=True).start()
        return True
    except Exception:  # A notification is best effort; the alert is already on screen.
        return False


def _reap(child: subprocess.Popen[bytes]) -> None:
    try:
        child.wait(timeout=_REAP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            child.kill()
        with contextlib.suppress(Exception):
            child.wait(timeout=5)
