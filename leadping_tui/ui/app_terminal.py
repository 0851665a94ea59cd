"""The app's dealings with the terminal: stop signals, clipboard, screenshots, crashes."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
from collections.abc import Mapping

from textual.types import AnimationLevel

from leadping_tui.terminal.presence import terminal_present
from leadping_tui.ui.textual_compat import CompatApp

#: Seconds the app has to quit cleanly once its terminal is gone, before the
#: process ends anyway (Textual's output thread dies on the first failed write,
#: and writes after that can block for ever).
TERMINAL_GONE_GRACE_SECONDS = 10.0
HANGUP_EXIT_CODE = 129  # 128 + SIGHUP: the shell's "ended by a hang-up"


_ANIMATION_LEVELS: dict[str, AnimationLevel] = {"none": "none", "basic": "basic", "full": "full"}


def animation_level(environ: Mapping[str, str]) -> AnimationLevel:
    """No animations unless ``TEXTUAL_ANIMATIONS`` asks for them.

    Textual slides the tab underline and animates scrolling by default. Over
    SSH every animation frame is bytes on the wire (switching tabs wrote
    ~55 KB with them and ~48 KB without), and a monitoring screen should jump
    straight to the answer, as k9s and btop do.
    """
    requested = environ.get("TEXTUAL_ANIMATIONS", "").strip().lower()
    return _ANIMATION_LEVELS.get(requested, "none")


class AppTerminal(CompatApp):
    """The terminal side of :class:`~leadping_tui.ui.app.LeadPingApp`."""

    def _handle_stop_signals(self) -> None:
        """SIGTERM and SIGHUP (a closed SSH session) quit like q: save, restore the terminal.

        Without this the default action kills the process on the spot, leaving
        the terminal on the alternate screen with mouse tracking on.
        """
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is None:  # Windows has neither
                continue
            try:
                loop.add_signal_handler(signum, self._quit_on_signal, int(signum))
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread (tests), or no signal support

    def _forget_stop_signals(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)

    def _watch_terminal(self) -> None:
        """Quit like a hang-up if the terminal goes away without sending one.

        Textual's input thread reads end-of-file from a vanished terminal in a
        loop that never sleeps: a full core, for ever, with no one watching.
        A thread waits in ``poll`` for the terminal's hang-up and nothing else,
        so it costs no wake-up until then (no ``poll`` on Windows: not watched).
        """
        stdin = sys.__stdin__
        if self.is_headless or stdin is None or not hasattr(select, "poll"):
            return
        fd = stdin.fileno()
        if not terminal_present(fd):
            return
        threading.Thread(
            target=self._wait_for_hangup, args=(fd,), name="terminal-watch", daemon=True
        ).start()

    def _wait_for_hangup(self, fd: int) -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked for: only a hang-up or an error wakes it
        poller.poll()
        if terminal_present(fd):
            return  # woken by something else: stop watching rather than spin
        # From here the main thread may be stuck writing to the dead terminal
        # (Textual's output thread dies on the first failed write): end the
        # process after a grace period whatever happens.
        timer = threading.Timer(TERMINAL_GONE_GRACE_SECONDS, os._exit, (HANGUP_EXIT_CODE,))
        timer.daemon = True
        timer.start()
        with contextlib.suppress(RuntimeError):  # the app already stopped
            self.call_from_thread(self.exit, return_code=HANGUP_EXIT_CODE)

    def _quit_on_signal(self, signum: int) -> None:
        # The shell convention for "ended by signal n"; on_unmount still saves.
        self.exit(return_code=128 + signum)

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save a screenshot 0600 in a 0700 folder, replacing (never following) a symlink.

        The screen shows recipients' numbers and messages; Textual's own save
        writes with the umask's mode and follows whatever sits at the path.
        """
        from pathlib import Path

        from platformdirs import user_downloads_path

        from leadping_tui.store.atomic import atomic_write_text, make_private_dirs
        from leadping_tui.times import clock

        stamp = clock.now_utc().astimezone().strftime(time_format or "%Y-%m-%dT%H_%M_%S")
        folder = Path(path).expanduser() if path else user_downloads_path()
        target = folder / (filename or f"leadping-tui_{stamp}.svg")
        try:
            make_private_dirs(folder)
            atomic_write_text(target, self.export_screenshot(), mode=0o600)
        except OSError as exc:
            self.notify(f"{target}: {exc.strerror or exc}", title="Screenshot not saved")
            return None
        self.notify(str(target), title="Screenshot saved")
        return str(target)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52, wrapped for tmux passthrough when running inside tmux."""
        from leadping_tui.terminal.terminal_seq import (
            ClipboardTooLarge,
            osc52_copy,
            wrap_for_terminal,
        )

        self.remember_clipboard(text)
        try:
            sequence = osc52_copy(text)
        except ClipboardTooLarge:
            self.notify(
                "Too large for the terminal clipboard; use e to export.", severity="warning"
            )
            return
        self.write_escape(wrap_for_terminal(sequence, os.environ))

    def crash_report(self) -> str:
        # Textual's default shows local variables, which could include a
        # request's headers; print a plain, redacted traceback instead.
        import traceback

        from leadping_tui.logs.redact import default_redactor

        details = default_redactor.redact(traceback.format_exc())
        return (
            "leadping-tui stopped on an unexpected error (a bug). Your watchlist "
            "and settings are saved.\n\n" + details
        )
