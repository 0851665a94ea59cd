"""Atomic writes, moving damaged files aside, and the advisory file lock."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from leadping_tui.store import atomic
from leadping_tui.store.atomic import (
    FileLock,
    LockTimeout,
    atomic_write_bytes,
    atomic_write_text,
    move_aside,
    temp_prefix,
)
from leadping_tui.store.paths import AppPaths

REPO = Path(__file__).resolve().parent.parent


def test_text_round_trip_creates_private_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "settings.toml"
    atomic_write_text(target, "héllo = 1\n")
    assert target.read_text(encoding="utf-8") == "héllo = 1\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_bytes_overwrite_and_custom_mode(tmp_path: Path) -> None:
    target = tmp_path / "f.bin"
    atomic_write_bytes(target, b"\x00old")
    atomic_write_bytes(target, b"\x00new\xff", mode=0o644)
    assert target.read_bytes() == b"\x00new\xff"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_existing_world_readable_file_becomes_private(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_text("x = 1\n")
    target.chmod(0o644)
    atomic_write_text(target, 'api_key = "sk_live_secret123456"\n')
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_no_temp_files_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "w.json"
    for i in range(5):
        atomic_write_text(target, f"{i}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.json"]


def test_failed_write_leaves_old_content_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "w.json"
    atomic_write_text(target, "old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.json"]


def test_dead_writers_temp_removed_but_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "w.json"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_temp = tmp_path / f"{temp_prefix(target)}{dead.stdout.strip()}.abc123.tmp"
    live_temp = tmp_path / f"{temp_prefix(target)}{os.getppid()}.def456.tmp"
    other_target_temp = tmp_path / f".other.json.{dead.stdout.strip()}.xyz.tmp"
    for path in (dead_temp, live_temp, other_target_temp):
        path.write_text("partial")
    atomic_write_text(target, "new")
    assert not dead_temp.exists()
    assert live_temp.exists()
    assert other_target_temp.exists()


class _FrozenClock:
    @staticmethod
    def now() -> datetime:
        return datetime(2026, 1, 2, 3, 4, 5)


def test_move_aside_names_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "datetime", _FrozenClock)
    target = tmp_path / "watchlist.json"
    backups = []
    for content in ("one", "two", "three"):
        target.write_text(content)
        backups.append(move_aside(target, reason="test"))
    assert not target.exists()
    assert [b.name for b in backups] == [
        "watchlist.json.broken-20260102-030405",
        "watchlist.json.broken-20260102-030405-1",
        "watchlist.json.broken-20260102-030405-2",
    ]
    assert all(b.parent == tmp_path for b in backups)
    assert [b.read_text() for b in backups] == ["one", "two", "three"]


def test_move_aside_uses_current_time(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_text("x")
    backup = move_aside(target, reason="test")
    stamp = backup.name.removeprefix("settings.toml.broken-")
    parsed = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    assert abs((datetime.now() - parsed).total_seconds()) < 120


def test_app_paths_under_root_and_default_is_lazy(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "root")
    assert paths.settings_file == tmp_path / "root" / "config" / "settings.toml"
    assert paths.watchlist_file.name == "watchlist.json"
    assert paths.history_db == tmp_path / "root" / "data" / "history.sqlite3"
    assert paths.alerts_log.name == "alerts.jsonl"
    assert paths.log_file == tmp_path / "root" / "log" / "leadping-tui.log"
    assert not (tmp_path / "root").exists()
    default = AppPaths.default()
    # conftest points XDG_CONFIG_HOME at a temp dir; platformdirs must honour it.
    assert str(default.config_dir).startswith(os.environ["XDG_CONFIG_HOME"])
    assert default.config_dir.name == "leadping-tui"
    assert not default.config_dir.exists()


def test_lock_excludes_threads(tmp_path: Path) -> None:
    target = tmp_path / "counter"
    atomic_write_text(target, "0")
    inside = 0
    most_inside = 0
    guard = threading.Lock()

    def worker() -> None:
        nonlocal inside, most_inside
        for _ in range(25):
            with FileLock(target, timeout=10):
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                value = int(target.read_text())
                time.sleep(0.0005)  # widen the race window a lock must close
                atomic_write_text(target, str(value + 1))
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most_inside == 1
    assert target.read_text() == "75"


def test_lock_timeout_names_the_file_and_is_released_by_other_process(tmp_path: Path) -> None:
    target = tmp_path / "watchlist.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path;"
            "from leadping_tui.store.atomic import FileLock\n"
            "with FileLock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); sys.stdin.readline()\n",
            str(target),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockTimeout) as caught:
            FileLock(target, timeout=0.2).acquire()
        message = str(caught.value)
        assert str(target) in message
        assert "another leadping-tui" in message
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=10) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    lock = FileLock(target, timeout=1)
    with lock:
        assert lock.held
    assert not lock.held
