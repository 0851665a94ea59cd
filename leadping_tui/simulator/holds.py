"""Holding answers back until a test says so.

A latency fault answers after a fixed time, which a loaded machine can
outrun or fall behind; a hold answers exactly when it is released, so a
test can look at the app while a request is certainly in flight.
"""

from __future__ import annotations

import threading


class Hold:
    """Answers for one number wait until :meth:`release` (or the simulator stops)."""

    def __init__(self, registry: Holds, number: str) -> None:
        self._registry = registry
        self.number = number
        self.released = threading.Event()

    def release(self) -> None:
        """Let every waiting and future answer for the number go."""
        self._registry.release(self)

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Holds:
    """The numbers whose answers are held. Thread-safe."""

    def __init__(self, stopping: threading.Event) -> None:
        self._stopping = stopping
        self._lock = threading.Lock()
        self._held: dict[str, Hold] = {}

    def hold(self, number: str) -> Hold:
        """Hold answers for ``number`` until the returned hold is released."""
        with self._lock:
            hold = self._held.get(number)
            if hold is None:
                hold = self._held[number] = Hold(self, number)
            return hold

    def release(self, hold: Hold) -> None:
        with self._lock:
            if self._held.get(hold.number) is hold:
                del self._held[hold.number]
        hold.released.set()

    def release_all(self) -> None:
        """Release every hold (a test's clean-up)."""
        with self._lock:
            holds = list(self._held.values())
        for hold in holds:
            hold.release()

    def wait(self, number: str | None) -> bool:
        """Block while ``number`` is held; True if the simulator is stopping meanwhile."""
        with self._lock:
            hold = self._held.get(number) if number is not None else None
        if hold is None:
            return False
        while not hold.released.wait(0.05):
            if self._stopping.is_set():
                return True
        return self._stopping.is_set()
