"""What the exporter runs, once its arguments are checked, and how start-up fails.

Apart from ``command`` (which starts the service) so that the service loop
can use them without importing the command that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


class StartupError(Exception):
    """Start-up cannot go on; the message is for the user."""


@dataclass(frozen=True)
class Plan:
    """What to run, once the arguments are checked."""

    host: str
    port: int
    labels: dict[str, str]
    given: tuple[str, ...]
    """Numbers typed on the command line (checked before serving)."""
    requests_per_minute: int
    interval: float
    window_days: int
    record: bool
    organisation: bool = False
    saved_labels: dict[str, str] | None = None
    """The watchlist's labels (``--organisation`` keeps them over listing names)."""
