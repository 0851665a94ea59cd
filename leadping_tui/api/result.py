"""What a successful fetch returns.  No httpx here, so the UI can import it cheaply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery


@dataclass(frozen=True)
class FetchResult:
    """A parsed status and facts about how it arrived."""

    number: str
    query: StatusQuery
    status: PhoneNumberStatus
    raw: dict[str, Any]
    received_at: datetime
    elapsed: float
    size: int
    unchanged: bool = False
    """The body was byte-identical to the last one for this number and query:
    ``status`` and ``raw`` are that answer's, not parsed again."""
