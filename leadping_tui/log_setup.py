"""The opt-in debug log: redacted, rotated, under the platform log dir.

Off by default.  ``--log-file`` or ``log_file = true`` in the settings turns
it on.  Every record passes through the redactor, so the API key cannot reach
the file even from an exception message.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from leadping_tui.redact import RedactingFilter, Redactor

LOGGER_NAME = "leadping_tui"
MAX_BYTES = 1_000_000
BACKUPS = 3


def enable_file_log(path: Path, redactor: Redactor, *, level: int = logging.DEBUG) -> Path:
    """Send ``leadping_tui`` and ``httpx`` logs to a rotating file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redactor))
    for name in (LOGGER_NAME, "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level if name == LOGGER_NAME else logging.INFO)
    path.chmod(0o600)
    return path
