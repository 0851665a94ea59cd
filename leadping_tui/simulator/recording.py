"""The log of requests the simulator received (for tests and benchmarks)."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadping_tui.simulator.clock import iso

MAX_RECORDED = 10_000


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the simulator saw it (the path still percent-encoded)."""

    method: str
    path: str
    number: str | None  # decoded, for status/warmup paths
    endpoint: str | None  # "status" or "warmup"
    query: dict[str, str]
    authorization: str | None
    user_agent: str | None
    at: datetime
    body: Any = None  # the JSON body of a listing request
    peer: str | None = None  # the client's "host:port": one per connection, so reuse shows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``at`` as ISO 8601 UTC)."""
        return {
            "method": self.method,
            "path": self.path,
            "number": self.number,
            "endpoint": self.endpoint,
            "query": dict(self.query),
            "authorization": self.authorization,
            "user_agent": self.user_agent,
            "at": iso(self.at),
            "body": self.body,
            "peer": self.peer,
        }


class RequestLog:
    """A bounded, thread-safe list of recent requests."""

    def __init__(self, limit: int = MAX_RECORDED) -> None:
        self._items: deque[RecordedRequest] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def append(self, request: RecordedRequest) -> None:
        """Record ``request`` (dropping the oldest when full)."""
        with self._changed:
            self._items.append(request)
            self._changed.notify_all()

    def items(self) -> list[RecordedRequest]:
        """A copy of the log, oldest first."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._items.clear()

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` requests are logged; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._items) >= count, timeout)
