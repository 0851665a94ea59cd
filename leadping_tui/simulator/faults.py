"""Fault injection: what should go wrong, for which number, and how many times."""

from __future__ import annotations

import math
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

FAULT_KINDS = (
    "latency",
    "status",
    "rate_limit",
    "not_json",
    "truncated",
    "drop",
    "reset",
    "slow_body",
    "huge",
    "wrong_shape",
)


@dataclass(frozen=True)
class Fault:
    """Something to go wrong with matching requests.

    ``latency`` sleeps ``delay`` s before answering normally; ``status`` answers
    ``status`` with a problem body; ``rate_limit`` answers 429, with
    ``Retry-After`` only when ``retry_after`` is set; ``not_json`` answers 200
    with an HTML page; ``wrong_shape`` answers 200 with JSON that is not a
    status; ``truncated`` promises more bytes than it sends, then closes;
    ``drop`` closes without answering; ``reset`` sends part of a response and
    aborts with a TCP RST; ``slow_body`` spreads the body over ``delay`` s;
    ``huge`` answers normally with ``events`` events and ``actions`` actions
    (actions exist only in the seed shape).
    ``times`` limits the fault to the next N matching requests (None: until cleared).
    """

    kind: str
    status: int | None = None
    retry_after: float | None = None
    delay: float = 0.0
    events: int = 20_000
    actions: int = 500
    times: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        if self.kind == "status" and (self.status is None or not 100 <= self.status <= 599):
            raise ValueError("a 'status' fault needs an HTTP status between 100 and 599")
        if self.delay < 0 or not math.isfinite(self.delay):
            raise ValueError("delay must be a finite number of seconds >= 0")
        if self.retry_after is not None and (
            self.retry_after < 0 or not math.isfinite(self.retry_after)
        ):
            raise ValueError("retry_after must be a finite number of seconds >= 0")
        if self.events < 0 or self.actions < 0:
            raise ValueError("events and actions must be >= 0")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be None or >= 1")

    def to_dict(self) -> dict[str, Any]:
        """The fault as JSON-ready data (the control endpoint's format)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Fault:
        """Build a fault from JSON data; raises ValueError (or TypeError) when invalid."""
        if not isinstance(data, dict):
            raise ValueError("a fault must be a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        if not isinstance(data.get("kind"), str):
            raise ValueError("a fault needs a 'kind' string")
        checks: dict[str, tuple[type, ...]] = {
            "status": (int,),
            "retry_after": (int, float),
            "delay": (int, float),
            "events": (int,),
            "actions": (int,),
            "times": (int,),
        }
        for name, types in checks.items():
            value = data.get(name)
            optional = name in ("status", "retry_after", "times")
            if value is None and (optional or name not in data):
                continue
            if isinstance(value, bool) or not isinstance(value, types):
                raise ValueError(f"fault field {name!r} has the wrong type")
        return cls(**data)


class FaultRegistry:
    """Active faults, per number and for every number. Thread-safe.

    A fault set for a number takes precedence over the one for every number.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str | None, Fault] = {}
        self._left: dict[str | None, int | None] = {}

    def set(self, fault: Fault, number: str | None = None) -> None:
        """Apply ``fault`` to ``number`` (None: to every number), replacing any before."""
        with self._lock:
            self._faults[number] = fault
            self._left[number] = fault.times

    def clear(self, number: str | None = None) -> None:
        """Remove the fault for ``number``; None removes every fault."""
        with self._lock:
            if number is None:
                self._faults.clear()
                self._left.clear()
            else:
                self._faults.pop(number, None)
                self._left.pop(number, None)

    def active(self, number: str) -> Fault | None:
        """The fault that would apply to the next request for ``number`` (not used up)."""
        with self._lock:
            return self._faults.get(number) or self._faults.get(None)

    def take(self, number: str | None, *, exact: bool = False) -> Fault | None:
        """The fault for a request about to be served, counting it against ``times``.

        With ``exact`` only a fault set for ``number`` itself applies, not the one
        for every number (the listing has its own faults).
        """
        with self._lock:
            key: str | None = number if number in self._faults or exact else None
            fault = self._faults.get(key)
            if fault is None:
                return None
            left = self._left.get(key)
            if left is not None:
                if left <= 1:
                    del self._faults[key]
                    del self._left[key]
                else:
                    self._left[key] = left - 1
            return fault

    def snapshot(self) -> list[dict[str, Any]]:
        """Active faults as JSON-ready data, with the uses left."""
        with self._lock:
            return [
                {"number": number, "fault": fault.to_dict(), "remaining": self._left.get(number)}
                for number, fault in self._faults.items()
            ]
