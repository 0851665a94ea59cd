"""Whether a file descriptor is (still) a terminal: the dashboard reads its keys from one."""

from __future__ import annotations

import os


def terminal_present(fd: int) -> bool:
    """Whether ``fd`` is an open terminal.

    When the far end of a pseudo-terminal closes (a terminal window, an SSH
    session or a test harness gone) without a SIGHUP reaching this process,
    the terminal device is removed and the fd stops being a terminal.
    """
    try:
        return os.isatty(fd)
    except (OSError, ValueError):
        return False
