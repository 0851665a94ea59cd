"""Run a program in a real pseudo-terminal and record every byte it writes.

The program gets the pty as stdin, stdout and stderr (Textual draws on
stderr), in its own session, with a fixed window size.  A reader thread
drains the master side continuously, so the program never blocks on a full
pty buffer, and keeps each chunk with the ``time.perf_counter()`` it arrived
at; the benchmarks then ask "when did this text first appear?" or "how many
bytes were written between these two times?".

The pty is not made the program's controlling terminal (that needs code in
the child between fork and exec, which is unsafe while this process runs
simulator threads), so a resize is delivered by sending ``SIGWINCH`` by hand.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def set_window_size(fd: int, cols: int, rows: int) -> None:
    """Set the pty's window size (what the program reads with TIOCGWINSZ)."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` (all its threads), from ``/proc``."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        text = handle.read()
    # The command name (field 2) may hold spaces; count fields after its ")".
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident set size of ``pid``."""
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        resident = int(handle.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE")


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a program under test: a colour xterm, no size overrides.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: an installed package has its
    bytecode, and the warm-up runs are there to write it.  With the variable
    set (as in some shells and CI images) every measured start-up compiled
    the whole app from source again, which the bare baseline barely pays.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"COLUMNS", "LINES", "TMUX", "NO_COLOR", "TEXTUAL", "PYTHONDONTWRITEBYTECODE"}
    }
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
    env.update(extra or {})
    return env


@dataclass
class Chunk:
    """Bytes read from the pty and when they arrived."""

    at: float
    data: bytes


@dataclass
class PtyProcess:
    """A running program on a pty; use as a context manager so it is always stopped."""

    argv: Sequence[str]
    env: Mapping[str, str]
    cols: int = 120
    rows: int = 40
    cwd: str | None = None
    started: float = 0.0
    chunks: list[Chunk] = field(default_factory=list)
    _proc: subprocess.Popen[bytes] | None = None
    _master: int = -1
    _reader: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrived: threading.Condition = field(init=False)
    _closed: bool = False

    def __post_init__(self) -> None:
        self._arrived = threading.Condition(self._lock)

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> PtyProcess:
        master, slave = os.openpty()
        set_window_size(slave, self.cols, self.rows)
        self._master = master
        self.started = time.perf_counter()
        try:
            self._proc = subprocess.Popen(
                list(self.argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(self.env),
                cwd=self.cwd,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()
        return self

    def __enter__(self) -> PtyProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise RuntimeError("not started")
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Ask politely (SIGTERM), then insist (SIGKILL); close the pty."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
        with self._lock:
            self._closed = True
            self._arrived.notify_all()
        if self._reader is not None:
            self._reader.join(timeout=2)
        if self._master >= 0:
            with contextlib.suppress(OSError):
                os.close(self._master)
            self._master = -1

    def _read_loop(self) -> None:
        while True:
            with self._lock:
                if self._closed:
                    return
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                # EIO: every slave end is closed (the program exited).
                data = b""
            now = time.perf_counter()
            with self._lock:
                if not data:
                    self._closed = True
                    self._arrived.notify_all()
                    return
                self.chunks.append(Chunk(now, data))
                self._arrived.notify_all()

    # -- input ----------------------------------------------------------------

    def send(self, data: bytes) -> None:
        """Type ``data`` into the program."""
        os.write(self._master, data)

    def resize(self, cols: int, rows: int) -> None:
        """Change the window size and tell the program, as a terminal would."""
        self.cols, self.rows = cols, rows
        set_window_size(self._master, cols, rows)
        os.kill(self.pid, signal.SIGWINCH)

    # -- output ---------------------------------------------------------------

    def output(self) -> bytes:
        with self._lock:
            return b"".join(chunk.data for chunk in self.chunks)

    def wait_for(self, marker: bytes, timeout: float, since: float = 0.0) -> float:
        """When ``marker`` first appeared in output after ``since``; raise TimeoutError.

        The time is that of the chunk that completed the marker.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = self._find(marker, since)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    tail = b"".join(c.data for c in self.chunks)[-400:]
                    why = "exited" if self._closed else f"not seen within {timeout:g} s"
                    raise TimeoutError(f"{marker!r} {why}; last output: {tail!r}")
                self._arrived.wait(min(left, 0.1))

    def _find(self, marker: bytes, since: float) -> float | None:
        buffer = b""
        for chunk in self.chunks:
            if chunk.at < since:
                continue
            # Keep only enough of the past to catch a marker split across reads.
            buffer = buffer[-(len(marker) - 1) :] + chunk.data if len(marker) > 1 else chunk.data
            if marker in buffer:
                return chunk.at
        return None

    def bytes_between(self, start: float, end: float) -> int:
        """How many bytes arrived in ``[start, end)``."""
        with self._lock:
            return sum(len(c.data) for c in self.chunks if start <= c.at < end)

    def chunks_between(self, start: float, end: float) -> list[Chunk]:
        with self._lock:
            return [c for c in self.chunks if start <= c.at < end]

    def quiet_for(self, seconds: float, timeout: float) -> float:
        """Wait until nothing has been written for ``seconds`` (counted from now at the
        earliest); return that moment."""
        deadline = time.monotonic() + timeout
        began = time.perf_counter()
        while time.monotonic() < deadline:
            with self._lock:
                last = max(self.chunks[-1].at if self.chunks else self.started, began)
            now = time.perf_counter()
            if now - last >= seconds:
                return now
            time.sleep(min(0.05, seconds))
        raise TimeoutError(f"output never went quiet for {seconds:g} s")
