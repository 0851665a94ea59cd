"""'Edit settings' in the palette: $EDITOR on the settings file, then the settings reload."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from app_harness import make_app, settle

from leadping_tui.store.settings import load_settings
from leadping_tui.ui.edit_settings import apply_settings

HEALTHY = "+12025550101"


async def test_reloaded_settings_apply_live_ones_and_name_the_rest(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], settings_toml='theme = "nord"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.theme == "nord"
        path = app.runtime.paths.settings_file
        path.write_text(
            '# edited\ntheme = "leadping-high-contrast"\nrefresh_seconds = 60\n'
            "[alerts]\nscore_drop_points = 25\n",
            encoding="utf-8",
        )
        apply_settings(app, load_settings(path))
        await pilot.pause()
        assert app.theme == "leadping-high-contrast"
        assert app.settings.refresh_seconds == 60
        assert app.watch_events.engine.rules.score_drop_points == 25
        # Applying the theme did not rewrite the user's file.
        assert path.read_text(encoding="utf-8").startswith("# edited\n")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Edit settings" in titles


def _read_until(fd: int, output: bytearray, check: Any, timeout: float, what: str) -> None:
    import select

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; saw {bytes(output[-1500:])!r}")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            output += chunk


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
def test_palette_edit_settings_suspends_for_the_editor_and_reloads(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    marker = tmp_path / "editor-ran"
    editor = tmp_path / "editor.sh"
    editor.write_text(
        "#!/bin/sh\n"
        'printf \'theme = "leadping-high-contrast"\\n\' >> "$1"\n'
        f"echo \"$1\" > '{marker}'\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)
    env = dict(os.environ, TERM="xterm-256color", VISUAL=str(editor))
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "leadping_tui", "--demo"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()
    try:
        _read_until(fd, output, lambda: "✓".encode() in output, 90, "the first status")
        os.write(fd, b"\x10")  # ctrl+p: the command palette
        _read_until(fd, output, lambda: b"Search for commands" in output, 30, "the palette")
        os.write(fd, b"Edit settings")
        _read_until(fd, output, lambda: b"then reload it" in output, 30, "the command")
        os.write(fd, b"\r")
        _read_until(fd, output, marker.exists, 30, "the editor to run")
        edited = Path(marker.read_text(encoding="utf-8").strip())
        assert 'theme = "leadping-high-contrast"' in edited.read_text(encoding="utf-8")
        start = len(output)
        _read_until(
            fd,
            output,
            lambda: b"Settings reloaded" in output[start:],
            30,
            "the reload notice after the editor",
        )
        os.write(fd, b"q")
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert b"Traceback" not in output
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
