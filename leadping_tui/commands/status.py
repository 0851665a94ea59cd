"""``leadping-tui status NUMBER``: one status, printed, with a monitoring exit code."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, date, datetime

from leadping_tui.api.condition import Condition, assess
from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.query import StatusQuery, build_query
from leadping_tui.phone import InvalidNumber, normalize_number
from leadping_tui.runtime import Runtime, settings_path_hint

UNKNOWN_EXIT = Condition.UNKNOWN.exit_code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", help="phone number, e.g. +12025550101 or '(202) 555-0101'")
    parser.add_argument("--window", type=int, metavar="DAYS", help="metrics window in days")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="range start")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="range end")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default=None,
        help="output format (default table; --json is --format json)",
    )
    parser.add_argument("--endpoint", choices=("status", "warmup"), default="status")


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    try:
        number = normalize_number(args.number)
        query = build_query(
            window_days=args.window, start=args.start, end=args.end, today=date.today()
        )
    except (InvalidNumber, LeadPingError) as exc:
        _fail(str(exc))
        return UNKNOWN_EXIT
    if not runtime.api_key:
        _fail("No API key. " + settings_path_hint(runtime.paths.settings_file))
        return UNKNOWN_EXIT
    output = "json" if args.json else (args.format or "table")
    try:
        return asyncio.run(_fetch_and_print(runtime, number, query, output, args.endpoint))
    except LeadPingError as exc:
        hint = f" {exc.hint}" if exc.hint else ""
        _fail(f"{exc.message}{hint}")
        return UNKNOWN_EXIT
    except KeyboardInterrupt:
        return 130


async def _fetch_and_print(
    runtime: Runtime, number: str, query: StatusQuery, output: str, endpoint: str
) -> int:
    from leadping_tui.api.client import StatusClient
    from leadping_tui.status_report import event_row, summary_row, text_summary, to_csv
    from leadping_tui.timefmt import resolve_timezone

    async with StatusClient(
        base_url=runtime.base_url,
        api_key=runtime.api_key,
        allow_insecure_http=runtime.allow_insecure_http,
    ) as client:
        result = await client.fetch(
            number, query, endpoint="warmup" if endpoint == "warmup" else "status"
        )
    assessment = assess(result.status)
    if output == "json":
        print(json.dumps(result.status.to_api_json(), indent=2, ensure_ascii=False))
    elif output == "csv":
        print(to_csv([summary_row(number, result.status, assessment)]), end="")
        events = [event_row(event) for event in result.status.recent_events]
        if events:
            print()
            print(to_csv(events), end="")
    else:
        tz = resolve_timezone(runtime.settings.timezone)
        print(text_summary(number, result.status, assessment, query, now=datetime.now(UTC), tz=tz))
    return assessment.condition.exit_code


def _fail(message: str) -> None:
    print(f"leadping-tui: {message}", file=sys.stderr)
