"""The default command: open the dashboard."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadping_tui.api.early import EarlyStatus

MIN_REFRESH = 5.0
DEMO_REFRESH = 10.0


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Exception as exc:
        # Start-up failed before Textual could show anything: one clear line,
        # and for desktop launchers keep the window open to read it.
        from leadping_tui.logs.redact import default_redactor

        print(
            f"leadping-tui: could not start: {default_redactor.redact(str(exc))}", file=sys.stderr
        )
        _hold(args)
        return 1


def _run(args: argparse.Namespace) -> int:
    # Start-up allocates tens of thousands of long-lived objects; collecting
    # cycles among them only delays the first status. The app turns the
    # collector back on (and freezes the survivors) once that is painted.
    gc.disable()
    try:
        return _start(args)
    finally:
        gc.enable()


def _start(args: argparse.Namespace) -> int:
    try:
        numbers = _normalized(args.numbers)
    except ValueError as exc:
        print(f"leadping-tui: {exc}", file=sys.stderr)
        _hold(args)
        return 2
    if args.refresh is not None and args.refresh < MIN_REFRESH:
        print(
            f"leadping-tui: --refresh must be at least {MIN_REFRESH:g} seconds "
            "(the API quota is shared with your organisation).",
            file=sys.stderr,
        )
        _hold(args)
        return 2

    if not _has_keyboard():
        print(
            "leadping-tui: the dashboard needs a terminal for its keys, and standard input "
            "is not one (redirected from a file, a pipe or /dev/null?). Start it in a "
            "terminal, or use `leadping-tui status NUMBER` for a one-off report.",
            file=sys.stderr,
        )
        return 2

    early = None if args.demo or args.numbers else _send_early(args)

    from leadping_tui.api.errors import ConfigurationError
    from leadping_tui.api.urls import check_base_url
    from leadping_tui.logs.redact import default_redactor
    from leadping_tui.runtime import load_runtime

    runtime = load_runtime().with_overrides(
        base_url=args.base_url,
        refresh_seconds=args.refresh,
        allow_insecure_http=args.allow_insecure_http,
    )
    demo = None
    if args.demo:
        from dataclasses import replace

        from leadping_tui.demo.session import start_demo

        runtime, demo = start_demo(runtime)
        if args.refresh is None:
            runtime = replace(runtime, refresh_seconds=DEMO_REFRESH)
    try:
        check_base_url(runtime.base_url, allow_insecure_http=runtime.allow_insecure_http)
    except ConfigurationError as exc:
        print(f"leadping-tui: {exc}", file=sys.stderr)
        _hold(args)
        return 2
    if runtime.api_key:
        default_redactor.add(runtime.api_key)
    if args.log_file or runtime.settings.log_file:
        from leadping_tui.logs.debug_log import enable_file_log

        try:
            enable_file_log(runtime.paths.log_file, default_redactor)
        except OSError as exc:
            print(
                f"leadping-tui: cannot write the debug log {runtime.paths.log_file} "
                f"({exc.strerror or exc}); continuing without it.",
                file=sys.stderr,
            )

    from leadping_tui.ui.app import AppConfig, LeadPingApp

    app = LeadPingApp(
        AppConfig(
            runtime=runtime,
            numbers=numbers,
            demo=args.demo,
            demo_session=demo,
            startup_gc_paused=not gc.isenabled(),
            early_status=early,
        )
    )
    try:
        result = app.run()
    finally:
        if demo is not None:
            demo.stop()
    if app.return_code and app.return_code < 128:  # not after SIGTERM/SIGHUP: no one to read it
        _hold(args)
    return result or app.return_code or 0


def _send_early(args: argparse.Namespace) -> EarlyStatus | None:
    """Send the first status request now, while Textual and pydantic are imported.

    The dashboard uses its answer only if its first request is exactly this
    one; see leadping_tui.api.early.
    """
    import os

    from leadping_tui.api.early import EarlyStatus, guess_target
    from leadping_tui.store.paths import AppPaths

    paths = AppPaths.default()
    target = guess_target(
        settings_file=paths.settings_file,
        watchlist_file=paths.watchlist_file,
        base_url_flag=args.base_url,
        allow_insecure_flag=args.allow_insecure_http,
        env=os.environ,
    )
    return None if target is None else EarlyStatus(target)


def _has_keyboard() -> bool:
    """Standard input is a terminal: Textual reads keys from it.

    From anything else Textual's input thread reads end-of-file in a loop
    that never sleeps (a full core, and no keys).
    """
    from leadping_tui.terminal.presence import terminal_present

    try:
        return sys.stdin is not None and terminal_present(sys.stdin.fileno())
    except (OSError, ValueError):  # no file behind it (replaced by a buffer)
        return False


def _hold(args: argparse.Namespace) -> None:
    if getattr(args, "hold_on_error", False) and sys.stdin.isatty():
        with contextlib.suppress(EOFError, KeyboardInterrupt):
            input("Press Enter to close this window.")


def _normalized(texts: list[str]) -> list[str]:
    """Numbers from the command line in E.164; raises ValueError saying why one is wrong."""
    if not texts:
        return []
    # phonenumbers' metadata costs start-up time: load it only when needed.
    from leadping_tui.phone import normalize_number

    return [normalize_number(text) for text in texts]
