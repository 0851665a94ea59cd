"""The app's dealings with the terminal: stop signals, clipboard, screenshots, crashes."""

from __future__ import annotations

import contextlib
import os

from leadping_tui.ui.textual_compat import CompatApp


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
