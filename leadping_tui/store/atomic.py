"""Crash-safe file writes, moving damaged files aside, and an advisory lock.

Only the standard library is imported at module level so a child process can
import this module quickly (the crash test does, many times); the lock loads
``filelock`` when first taken. Nothing here needs a POSIX-only module (``fcntl``
is absent on Windows, which the README supports): ``filelock`` picks the
platform's locking call.

Temporary files are named ``.<target>.<pid>.<random>.tmp`` next to the
target. A process killed mid-write leaves one behind; the next successful
write of the same target removes those whose writer process no longer exists
(or that are older than an hour), so leftovers never accumulate beyond one per
killed writer between two writes.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import stat
import tempfile
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import BaseFileLock

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
    make_private_dirs(parent)
    fd, tmp_name = tempfile.mkstemp(
        dir=parent, prefix=f"{temp_prefix(path)}{os.getpid()}.", suffix=".tmp"
    )
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows before 3.13: only the read-only bit can be set anyway
            os.chmod(tmp_name, mode)
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


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and its missing parents with mode 0700, whatever the umask.

    ``mkdir(parents=True)`` gives the parents the default mode (0777 under
    umask 000); folders that already exist are left as the user made them.
    """
    missing: list[Path] = []
    current = path
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=_DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, _DIR_MODE)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def open_private_append(path: Path) -> int:
    """An fd appending to ``path``, created 0600; a symlink there is refused, never followed.

    A file the user left readable by others is tightened to 0600 (it holds
    what the app writes: logs, alerts). Raises OSError (ELOOP for a symlink,
    or when ``path`` is not a regular file).
    """
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a regular file")
        if info.st_mode & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse, which only
    # weakens durability after a power cut, never atomicity.
    o_directory = getattr(os, "O_DIRECTORY", None)
    if o_directory is None:  # Windows cannot open a directory to fsync it
        return
    try:
        dir_fd = os.open(directory, os.O_RDONLY | o_directory)
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
    other's edits. Each object opens the sidecar file itself, so two threads or
    two processes exclude each other alike (``filelock`` uses ``flock`` on
    POSIX and ``msvcrt.locking`` on Windows). Not re-entrant.
    """

    def __init__(self, path: Path, *, timeout: float = 5.0, poll: float = 0.02) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.timeout = timeout
        self.poll = poll
        self._lock: BaseFileLock | None = None

    def acquire(self) -> None:
        """Wait up to ``timeout`` seconds for the lock; raise :class:`LockTimeout` otherwise."""
        if self._lock is not None:
            raise RuntimeError(f"lock on {self.path} is already held by this object")
        import filelock  # ~0.1 s to import; only paid when a lock is first taken

        self.lock_path.parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
        lock = filelock.FileLock(
            self.lock_path,
            timeout=self.timeout,
            mode=0o600,
            thread_local=False,
            poll_interval=self.poll,
            # Deleting the sidecar on release would race with a waiter; only a
            # soft lock (no OS locking call at all) releases by deleting it.
            preserve_lock_file=filelock.FileLock is not filelock.SoftFileLock,
        )
        try:
            lock.acquire()
        except filelock.Timeout:
            raise LockTimeout(self.path, self.timeout) from None
        self._lock = lock

    def release(self) -> None:
        """Release the lock (the sidecar file stays; deleting it would race)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release(force=True)

    @property
    def held(self) -> bool:
        """Whether this object currently holds the lock."""
        return self._lock is not None

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
