"""Crash-safe file writes, moving damaged files aside, and an advisory lock.

Only the standard library is imported here so a child process can import this
module quickly (the crash test does, many times).

Temporary files are named ``.<target>.<pid>.<random>.tmp`` next to the
target. A process killed mid-write leaves one behind; the next successful
write of the same target removes those whose writer process no longer exists
(or that are older than an hour), so leftovers never accumulate beyond one per
killed writer between two writes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import tempfile
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

_DIR_MODE = 0o700
_STALE_TEMP_SECONDS = 3600.0


def temp_prefix(path: Path) -> str:
    """The name prefix of the temporary files written for ``path``."""
    return f".{path.name}."


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    The temporary file gets ``mode`` before any data is written and before it
    is renamed into place, so a file holding a secret is never readable by
    others, not even briefly. Parent directories are created with mode 0700.
    """
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
    fd, tmp_name = tempfile.mkstemp(
        dir=parent, prefix=f"{temp_prefix(path)}{os.getpid()}.", suffix=".tmp"
    )
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(parent)
    _remove_stale_temps(path)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse, which only
    # weakens durability after a power cut, never atomicity.
    try:
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


_TEMP_PID = re.compile(r"^(\d+)\.[^.]+\.tmp$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


def _remove_stale_temps(path: Path) -> None:
    prefix = temp_prefix(path)
    me = os.getpid()
    now = time.time()
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(prefix):
            continue
        match = _TEMP_PID.match(name[len(prefix) :])
        if match is None:
            continue
        candidate = path.parent / name
        pid = int(match.group(1))
        try:
            old = now - candidate.stat().st_mtime > _STALE_TEMP_SECONDS
        except OSError:
            continue
        # Our own pid may be another thread mid-write; other live pids may be
        # another instance mid-write. Only dead writers' files are garbage.
        if old or (pid != me and not _pid_alive(pid)):
            with contextlib.suppress(OSError):
                candidate.unlink()


def move_aside(path: Path, *, reason: str) -> Path:
    """Rename a damaged file to ``<name>.broken-YYYYmmdd-HHMMSS[-N]`` and return the new path.

    An existing backup is never overwritten: a numeric suffix is added until
    the name is free. ``reason`` is logged.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{path.name}.broken-{stamp}"
    for attempt in range(1000):
        name = base if attempt == 0 else f"{base}-{attempt}"
        target = path.with_name(name)
        if _rename_no_replace(path, target):
            log.warning("moved damaged %s to %s: %s", path, target, reason)
            return target
    raise FileExistsError(f"Could not find a free backup name for {path}")


def _rename_no_replace(source: Path, target: Path) -> bool:
    # os.rename silently overwrites on POSIX; a hard link fails instead when
    # the name is taken, which makes "never overwrite a backup" race-free.
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:
        if target.exists():
            return False
        os.rename(source, target)
        return True
    os.unlink(source)
    return True


class LockTimeout(TimeoutError):
    """Another process (usually a second leadping-tui) held a file lock too long."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        super().__init__(
            f"{path} is being changed by another leadping-tui (still locked after "
            f"{timeout:g}s). Close the other instance or try again."
        )


class FileLock:
    """An exclusive advisory lock on the sidecar file ``<path>.lock``.

    Guards read-modify-write cycles so two app instances do not lose each
    other's edits. ``flock`` locks belong to an open file, so two threads or
    two processes exclude each other alike. Not re-entrant.
    """

    def __init__(self, path: Path, *, timeout: float = 5.0, poll: float = 0.02) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.timeout = timeout
        self.poll = poll
        self._fd: int | None = None

    def acquire(self) -> None:
        """Wait up to ``timeout`` seconds for the lock; raise :class:`LockTimeout` otherwise."""
        if self._fd is not None:
            raise RuntimeError(f"lock on {self.path} is already held by this object")
        self.lock_path.parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(self.path, self.timeout) from None
                time.sleep(self.poll)
            except BaseException:
                os.close(fd)
                raise
            else:
                self._fd = fd
                return

    def release(self) -> None:
        """Release the lock (the sidecar file stays; deleting it would race)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    @property
    def held(self) -> bool:
        """Whether this object currently holds the lock."""
        return self._fd is not None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
