"""``leadping-tui status NUMBER``: one status, printed, with a monitoring exit code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from leadping_tui.api.condition import Condition, assess
from leadping_tui.api.errors import (
    BadResponse,
    LeadPingError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from leadping_tui.api.query import DATES_HELP, StatusQuery, build_query
from leadping_tui.phone import InvalidNumber, normalize_number
from leadping_tui.runtime import Runtime, settings_path_hint
from leadping_tui.terminal.safe_text import clean

UNKNOWN_EXIT = Condition.UNKNOWN.exit_code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", help="phone number, e.g. +12025550101 or '(202) 555-0101'")
    parser.add_argument(
        "--window",
        type=int,
        metavar="DAYS",
        help="metrics window in days (default: the dashboard's default_window_days)",
    )
    parser.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help=f"range start ({DATES_HELP})"
    )
    parser.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", help="range end, included in the range"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the status as JSON")
    output.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default=None,
        help="output format (default table; --json is --format json). "
        "csv prints the summary table; with --out each table goes to its own file",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write the summary and events CSVs and the raw JSON into DIR instead",
    )
    parser.add_argument("--endpoint", choices=("status", "warmup"), default="status")


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    try:
        number = normalize_number(args.number)
        window = args.window
        if window is None and args.start is None and args.end is None:
            # The same window the dashboard opens on, so the two agree.
            window = runtime.settings.default_window_days
        query = build_query(window_days=window, start=args.start, end=args.end)
    except (InvalidNumber, LeadPingError) as exc:
        _fail(str(exc))
        return UNKNOWN_EXIT
    if not runtime.api_key:
        _fail("No API key. " + settings_path_hint(runtime.paths.settings_file))
        return UNKNOWN_EXIT
    output = "json" if args.json else (args.format or "table")
    if args.out is not None and output == "table":
        output = "csv"
    try:
        return asyncio.run(
            _fetch_and_print(runtime, number, query, output, args.endpoint, args.out)
        )
    except LeadPingError as exc:
        _fail(failure_text(exc, runtime.base_url))
        return UNKNOWN_EXIT
    except KeyboardInterrupt:
        return 130


def failure_text(exc: LeadPingError, base_url: str) -> str:
    """One line for a failed one-shot fetch: what happened and what to do.

    The dashboard's hints promise a retry; this command makes one request and
    stops, so it never says "retrying".
    """
    if isinstance(exc, NetworkError):
        return (
            f"The API at {base_url} is unreachable: {exc.message} "
            "Check the network connection and --base-url, then run the command again."
        )
    if isinstance(exc, RateLimitedError):
        wait = f" in {exc.retry_after:.0f} s" if exc.retry_after else " in a minute"
        return f"{exc.message} Rate limited (429): try again{wait}."
    if isinstance(exc, ServerError | BadResponse):
        return f"{exc.message} Try again later."
    hint = f" {exc.hint}" if exc.hint else ""
    return f"{exc.message}{hint}"


async def _fetch_and_print(
    runtime: Runtime,
    number: str,
    query: StatusQuery,
    output: str,
    endpoint: str,
    out: Path | None = None,
) -> int:
    from leadping_tui.api.client import StatusClient
    from leadping_tui.reports.status_report import summary_row, text_summary, to_csv
    from leadping_tui.times.timefmt import resolve_timezone

    async with StatusClient(
        base_url=runtime.base_url,
        api_key=runtime.api_key,
        allow_insecure_http=runtime.allow_insecure_http,
        deadline=runtime.settings.request_deadline_seconds,
    ) as client:
        result = await client.fetch(
            number, query, endpoint="warmup" if endpoint == "warmup" else "status"
        )
    assessment = assess(result.status)
    if out is not None:
        from leadping_tui.reports.exports import ExportError, export_status

        try:
            paths = export_status(result, out)
        except ExportError as exc:
            _fail(str(exc))
            return UNKNOWN_EXIT
        for path in paths.all():
            print(path)
        return assessment.condition.exit_code
    if output == "json":
        from leadping_tui.reports.exports import safe_json_dumps

        # No live control, bidi or invisible character reaches the terminal.
        print(safe_json_dumps(result.status.to_api_json()))
    elif output == "csv":
        # One table: a second one in the same stream is not CSV any more.
        print(to_csv([summary_row(number, result.status, assessment)]), end="")
    else:
        tz = resolve_timezone(runtime.settings.timezone)
        print(text_summary(number, result.status, assessment, query, now=datetime.now(UTC), tz=tz))
    return assessment.condition.exit_code


def _fail(message: str) -> None:
    # Error messages quote the API's problem text: a third party's words, which
    # may carry ESC, OSC 52 (a clipboard write), BEL or bidi overrides.
    print(f"leadping-tui: {clean(message)}", file=sys.stderr)
