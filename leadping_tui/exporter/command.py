"""``leadping-tui exporter``: arguments, start-up checks, and the service's life.

Start-up, in order, each failure a clear line and exit 2 before serving:
arguments and addresses, the numbers (given, or the saved watchlist), the
API key, the port (bound, not yet served), then one poll of the numbers
given on the command line (or of the first watched number) to prove the key
and the numbers.  Then it serves until SIGTERM or SIGINT and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from leadping_tui.exporter import DEFAULT_HOST, DEFAULT_PORT
from leadping_tui.exporter.plan import Plan, StartupError
from leadping_tui.refresh.budget import MAX_RATE_PER_MINUTE
from leadping_tui.runtime import Runtime, settings_path_hint

log = logging.getLogger("leadping_tui.exporter")

USAGE_ERROR = 2
DEFAULT_RPM = 30
DEFAULT_INTERVAL = 60.0
MIN_INTERVAL = 15.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``exporter`` subcommand's arguments (the connection ones are added by the CLI)."""
    parser.add_argument(
        "numbers", nargs="*", metavar="NUMBER", help="numbers to watch (default: the watchlist)"
    )
    parser.add_argument(
        "--listen",
        default=f"{DEFAULT_HOST}:{DEFAULT_PORT}",
        metavar="HOST:PORT",
        help=f"address to serve /metrics on (default {DEFAULT_HOST}:{DEFAULT_PORT}; port 0: any)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --listen address (metrics name your numbers)",
    )
    parser.add_argument(
        "--requests-per-minute",
        type=int,
        default=DEFAULT_RPM,
        metavar="N",
        help=f"API request budget, shared by all numbers (default {DEFAULT_RPM}, "
        f"at most {MAX_RATE_PER_MINUTE})",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"poll each number at most this often (default {DEFAULT_INTERVAL:g}, "
        f"min {MIN_INTERVAL:g}); the budget may stretch it",
    )
    parser.add_argument(
        "--organisation",
        "--organization",
        action="store_true",
        help="watch every number of the organisation listing, refreshed from the listing "
        "each interval (one request per 100 numbers)",
    )
    parser.add_argument("--window", type=int, metavar="DAYS", help="metrics window in days")
    parser.add_argument(
        "--record", action="store_true", help="write the status history the dashboard reads"
    )


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run the exporter until SIGTERM; 0 after a clean stop, 2 for bad input."""
    from leadping_tui.exporter.logs import setup_logging

    setup_logging()
    try:
        plan = make_plan(args, runtime)
    except StartupError as exc:
        return _fail(str(exc))
    try:
        return asyncio.run(_serve(plan, runtime))
    except StartupError as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"leadping-tui exporter: {message}", file=sys.stderr, flush=True)
    return USAGE_ERROR


def make_plan(args: argparse.Namespace, runtime: Runtime) -> Plan:
    """Check everything that needs no network; raises StartupError saying what to fix."""
    from leadping_tui.api.errors import ConfigurationError
    from leadping_tui.api.urls import check_base_url
    from leadping_tui.exporter.server import is_loopback, parse_listen

    try:
        host, port = parse_listen(args.listen, DEFAULT_PORT)
    except ValueError as exc:
        raise StartupError(str(exc)) from None
    if not is_loopback(host) and not args.allow_remote:
        raise StartupError(
            f"--listen {args.listen} is not a loopback address. The metrics name your "
            "organisation's numbers; add --allow-remote to serve them beyond this machine "
            "(and restrict who can reach the port)."
        )
    if not 1 <= args.requests_per_minute <= MAX_RATE_PER_MINUTE:
        raise StartupError(
            f"--requests-per-minute must be 1 to {MAX_RATE_PER_MINUTE} (the organisation's "
            "whole limit is 300, shared with every other tool)."
        )
    if args.interval < MIN_INTERVAL:
        raise StartupError(f"--interval must be at least {MIN_INTERVAL:g} seconds.")
    window = args.window if args.window is not None else runtime.settings.default_window_days
    if not 1 <= window <= 365:
        raise StartupError("--window must be 1 to 365 days.")
    default_window = runtime.settings.default_window_days
    if args.record and window != default_window:
        # The dashboard records and compares the default window only.
        raise StartupError(
            f"--record keeps the dashboard's history, which holds the default window "
            f"({default_window} d) only: drop --window, or change default_window_days."
        )
    organisation = bool(getattr(args, "organisation", False))
    if organisation and args.numbers:
        raise StartupError("Give NUMBER arguments or --organisation, not both.")
    given, labels, saved = _numbers(args.numbers, runtime)
    if organisation:
        labels = {}
    elif not labels:
        raise StartupError(
            "No numbers to watch: give NUMBER arguments, or add numbers to the watchlist "
            "(leadping-tui NUMBER...)."
        )
    if not runtime.api_key:
        raise StartupError("No API key. " + settings_path_hint(runtime.paths.settings_file))
    try:
        check_base_url(runtime.base_url, allow_insecure_http=runtime.allow_insecure_http)
    except ConfigurationError as exc:
        raise StartupError(str(exc)) from None
    return Plan(
        host=host,
        port=port,
        labels=labels,
        given=given,
        requests_per_minute=args.requests_per_minute,
        interval=args.interval,
        window_days=window,
        record=bool(args.record),
        organisation=organisation,
        saved_labels=saved,
    )


def _numbers(
    texts: list[str], runtime: Runtime
) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    """(numbers given, {number: label} to watch, the watchlist's {number: label})."""
    from leadping_tui.phone import InvalidNumber, normalize_number
    from leadping_tui.store.atomic import LockTimeout
    from leadping_tui.store.watchlist_file import WatchlistStore

    try:
        loaded = WatchlistStore(runtime.paths.watchlist_file).load()
    except LockTimeout:
        raise StartupError(
            f"The watchlist {runtime.paths.watchlist_file} is locked by another instance."
        ) from None
    if loaded.notice:
        log.warning("%s", loaded.notice)
    saved = {entry.number: entry.label for entry in loaded.watchlist}
    if not texts:
        return (), saved, saved
    try:
        given = tuple(dict.fromkeys(normalize_number(text) for text in texts))
    except InvalidNumber as exc:
        raise StartupError(f"{exc}.") from None
    return given, {number: saved.get(number, "") for number in given}, saved


async def _serve(plan: Plan, runtime: Runtime) -> int:
    from leadping_tui import __version__
    from leadping_tui.exporter.service_loop import Service

    service = Service(plan, runtime)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await service.start(stop)
        if stop.is_set():
            return 0
        log.info(
            "leadping-tui %s exporter serving http://%s/metrics: %d number(s)%s, %d requests/min",
            __version__,
            service.address,
            len(service.board.numbers),
            " from the organisation listing" if plan.organisation else "",
            plan.requests_per_minute,
        )
        if service.rounds is not None:
            await asyncio.gather(service.poller.run(stop), service.rounds.run(stop))
        else:
            await service.poller.run(stop)
        log.info("stopping (signal received)")
        return 0
    finally:
        await service.close()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        log.info("stopped")
