"""The opt-in debug log: redacted, rotated, under the platform log dir.

Off by default.  ``--log-file`` or ``log_file = true`` in the settings turns
it on.  Every record passes through the redactor, so the API key cannot reach
the file even from an exception message.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
from pathlib import Path

from leadping_tui.logs.redact import RedactingFilter, Redactor
from leadping_tui.store.atomic import open_private_append

LOGGER_NAME = "leadping_tui"
MAX_BYTES = 1_000_000
BACKUPS = 3


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (after each rotation too) is 0600 and no symlink."""

    def _open(self) -> io.TextIOWrapper:  # type: ignore[type-arg,unused-ignore]
        fd = open_private_append(Path(self.baseFilename))
        return io.TextIOWrapper(
            io.FileIO(fd, "a"), encoding=self.encoding, errors=self.errors, write_through=True
        )


def enable_file_log(path: Path, redactor: Redactor, *, level: int = logging.DEBUG) -> Path:
    """Send ``leadping_tui`` and ``httpx`` logs to a rotating file at ``path``.

    Raises OSError when the file cannot be opened (a symlink planted there
    is refused, not followed).
    """
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redactor))
    for name in (LOGGER_NAME, "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level if name == LOGGER_NAME else logging.INFO)
    return path
