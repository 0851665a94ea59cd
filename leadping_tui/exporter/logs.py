"""One line per event on stderr, as a service manager's journal wants it.

``2026-12-02T07:31:02Z WARNING +12025550101: poll failed: ...``.  The level
is coloured only when stderr is a terminal (and ``NO_COLOR`` is unset); a
journal or a file gets plain text.  Third-party text (problem details from
the API) is neutralised, so it can carry no escape sequence or newline, and
every record passes the API-key redactor.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TextIO

from leadping_tui.logs.redact import RedactingFilter, default_redactor
from leadping_tui.terminal.safe_text import clean

LOGGER = "leadping_tui"

_COLOURS = {
    logging.DEBUG: "\x1b[2m",
    logging.INFO: "\x1b[36m",
    logging.WARNING: "\x1b[33m",
    logging.ERROR: "\x1b[31m",
    logging.CRITICAL: "\x1b[1;31m",
}
_RESET = "\x1b[0m"


class OneLineFormatter(logging.Formatter):
    """UTC timestamp, level, message; the whole record on one safe line."""

    converter = time.gmtime  # type: ignore[assignment]

    def __init__(self, *, colour: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%SZ")
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        # clean() turns newlines into a visible mark and ESC into a picture.
        line = clean(text)
        if self.colour:
            level = record.levelname
            colour = _COLOURS.get(record.levelno, "")
            line = line.replace(level, f"{colour}{level}{_RESET}", 1)
        return line


def wants_colour(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def setup_logging(stream: TextIO | None = None, *, level: int = logging.INFO) -> logging.Logger:
    """Send the ``leadping_tui`` logs (only) to ``stream`` (default stderr)."""
    stream = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter(colour=wants_colour(stream)))
    handler.addFilter(RedactingFilter(default_redactor))
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        if getattr(old, "_leadping_exporter", False):
            logger.removeHandler(old)
    handler._leadping_exporter = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    # httpx logs every request at INFO: far too chatty for a service.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return logger
