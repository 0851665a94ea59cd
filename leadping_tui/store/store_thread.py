"""One thread for the history database: every read and write runs there, in order.

SQLite calls block: on a slow or busy disk a write can take seconds. The UI's
event loop hands them to this thread and awaits the answer, so a keypress is
handled while the disk catches up. One thread (not a pool) keeps the calls in
the order they were made (a status is recorded before the next one is read
back) and keeps the connection on one thread at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class StoreThread:
    """Runs callables one at a time, in submission order, on a single thread."""

    def __init__(self, name: str = "history") -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Queue ``call``; its result (or exception) arrives in the returned future."""
        if self._closed:
            raise RuntimeError("the store thread is closed")
        return self._executor.submit(call)

    def run(self, call: Callable[[], T]) -> asyncio.Future[T]:
        """Queue ``call`` now; await the returned future on the event loop for its result.

        Queued at once, not when the future is first awaited, so calls keep the
        order they were made in whatever order their awaiting tasks start.
        Once the thread is closed (the app is quitting) ``call`` is dropped and
        the future comes back cancelled: a status or a start-up step that
        lands during the quit ends its worker instead of crashing the app.
        """
        if self._closed:
            dropped: asyncio.Future[T] = asyncio.get_running_loop().create_future()
            dropped.cancel()
            return dropped
        return asyncio.wrap_future(self.submit(call))

    def close(self, *, wait: bool = True) -> None:
        """Stop taking calls; with ``wait``, let the queued ones (writes) finish first."""
        self._closed = True
        self._executor.shutdown(wait=wait)
