"""leadping-tui: watch LeadPing phone-number warmup from a terminal."""

from __future__ import annotations

__version__ = "0.1.0"
