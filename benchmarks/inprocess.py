"""A real ``LeadPingApp`` in this process, headless, plus instruments around it.

Headless Textual still lays out and renders every frame (the compositor
builds the strips); only the final escape-sequence encoding and the write to
a terminal are skipped.  The instruments here hook a few names on the app
and screen *instances* (never the classes or the app's code):

* :class:`FrameClock` records when each frame was handed to the driver;
* :class:`Heartbeat` is a task that wakes every few ms and records how late
  it woke, i.e. how long the event loop was blocked;
* :class:`KeyProbe` presses a key from another thread, as the terminal
  input thread does, and records how long until its action ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events

from benchmarks.common import API_KEY, write_watchlist
from leadping_tui.runtime import load_runtime
from leadping_tui.store.paths import AppPaths
from leadping_tui.ui.app import AppConfig, LeadPingApp
from leadping_tui.ui.textual_compat import on_frame

SIZE = (120, 40)
#: The collector's thresholds before a ``launch_gc`` app set its own.
_launch_thresholds: list[tuple[int, int, int]] = []


def build_app(
    base_url: str,
    root: Path,
    watch: Sequence[str],
    *,
    refresh: float = 30.0,
    settings_toml: str = "",
    launch_gc: bool = False,
) -> LeadPingApp:
    """An app on its own files under ``root``, watching ``watch`` (first one selected).

    ``launch_gc`` treats the garbage collector as ``leadping-tui`` does when
    launched (``commands/dashboard.py``): off during start-up, then on again
    with the start-up objects frozen once the first status is painted.
    Without it every full collection in this process scans the ~130,000
    objects of start-up (~100 ms on the benchmark machine, one in every few
    keys), which the launched app never scans again.
    """
    paths = AppPaths.under(root)
    if settings_toml:
        paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
        paths.settings_file.write_text(settings_toml, encoding="utf-8")
    write_watchlist(paths.watchlist_file, watch)
    runtime = replace(
        load_runtime(paths=paths, env={}),
        base_url=base_url,
        api_key=API_KEY,
        refresh_seconds=refresh,
    )
    if launch_gc:
        _launch_thresholds[:] = [gc.get_threshold()]
        gc.disable()
    return LeadPingApp(AppConfig(runtime=runtime, startup_gc_paused=launch_gc))


def release_launch_gc() -> None:
    """Unfreeze what a ``launch_gc`` app froze and restore the collector's thresholds
    it set: the next benchmark here starts clean."""
    gc.unfreeze()
    if _launch_thresholds:
        gc.set_threshold(*_launch_thresholds.pop())


async def wait_for(predicate: Callable[[], bool], limit: float, step: float = 0.005) -> None:
    """Poll ``predicate`` on the event loop until true; TimeoutError after ``limit`` s."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(step)


class FrameClock:
    """Times at which the app handed a rendered frame to its driver."""

    def __init__(self, app: Any) -> None:
        self.frames: list[float] = []
        on_frame(app, lambda: self.frames.append(time.perf_counter()))

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.frames if t >= moment), None)


class Calls:
    """Wraps a bound method of an instance and records when each call ended."""

    def __init__(self, owner: Any, name: str) -> None:
        self.ended: list[float] = []
        self.started: list[float] = []
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.started.append(time.perf_counter())
            try:
                return original(*args, **kwargs)
            finally:
                self.ended.append(time.perf_counter())

        setattr(owner, name, wrapper)

    @property
    def count(self) -> int:
        return len(self.ended)


class AsyncCalls:
    """Like :class:`Calls` for a coroutine method (e.g. ``client.fetch``)."""

    def __init__(self, owner: Any, name: str) -> None:
        self.started: list[float] = []
        self.ended: list[float] = []
        original = getattr(owner, name)

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.started.append(time.perf_counter())
            try:
                return await original(*args, **kwargs)
            finally:
                self.ended.append(time.perf_counter())

        setattr(owner, name, wrapper)


class Heartbeat:
    """An asyncio task that sleeps ``period`` s and records each wake-up's lateness.

    Besides the wall-clock lateness it records how much CPU the loop's
    thread used meanwhile: on a busy machine a late wake-up can be the OS
    running someone else, not the app blocking its own loop.
    """

    def __init__(self, period: float = 0.005) -> None:
        self.period = period
        self.lateness: list[tuple[float, float]] = []
        self.busy: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> Heartbeat:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    async def _beat(self) -> None:
        while True:
            before = time.perf_counter()
            cpu_before = time.thread_time()
            await asyncio.sleep(self.period)
            now = time.perf_counter()
            self.lateness.append((now, now - before - self.period))
            self.busy.append((now, time.thread_time() - cpu_before))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def worst(self, start: float, end: float) -> float:
        """The longest stall (s, wall clock) seen by a wake-up in ``[start, end]``."""
        return max((late for at, late in self.lateness if start <= at <= end), default=0.0)

    def worst_busy(self, start: float, end: float) -> float:
        """The most loop-thread CPU (s) spent between two wake-ups in ``[start, end]``."""
        return max((cpu for at, cpu in self.busy if start <= at <= end), default=0.0)


class KeyProbe:
    """Presses ``key`` from a thread every ``every`` s; times until ``action`` ran.

    ``action`` names a method of ``target`` (e.g. the screen's
    ``action_toggle_pause`` for ``p``); keys are pressed in pairs so a toggle
    ends where it started.
    """

    def __init__(self, app: Any, target: Any, key: str, action: str) -> None:
        self.app = app
        self.key = key
        self.sent: list[float] = []
        self.handled: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        original = getattr(target, action)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.handled.append(time.perf_counter())
            return original(*args, **kwargs)

        setattr(target, action, wrapper)

    def press(self) -> None:
        """One key press as the terminal input thread would deliver it."""
        self.sent.append(time.perf_counter())
        self.app.post_message(events.Key(self.key, self.key))

    def start(self, every: float) -> KeyProbe:
        def loop() -> None:
            while not self._stop.wait(every):
                self.press()

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="key-probe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if len(self.sent) % 2:
            self.press()

    def latencies(self) -> list[float]:
        """Seconds from each press to its action (pairs in order)."""
        return [done - sent for sent, done in zip(self.sent, self.handled, strict=False)]
