"""``leadping-tui import``: add every number the organisation lists to the watchlist."""

from __future__ import annotations

import argparse
import asyncio
import sys

from leadping_tui.api.errors import LeadPingError
from leadping_tui.api.listing import ListingReader
from leadping_tui.runtime import Runtime, settings_path_hint
from leadping_tui.store.atomic import LockTimeout
from leadping_tui.store.fleet_import import ImportOutcome, plan_import
from leadping_tui.store.watchlist_file import WatchlistSaveError, WatchlistStore

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_PARTIAL = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--search", metavar="TEXT", help="only numbers whose number, name or location match"
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="make the watchlist exactly the organisation's numbers (labels and order kept)",
    )


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    if not runtime.api_key:
        _fail("No API key. " + settings_path_hint(runtime.paths.settings_file))
        return EXIT_FAILED
    try:
        reader = asyncio.run(_read(runtime, args.search))
    except LeadPingError as exc:
        from leadping_tui.commands.status import failure_text

        _fail(failure_text(exc, runtime.base_url))
        return EXIT_FAILED
    replace_all = bool(args.replace)
    if replace_all and reader.stop_reason:
        # A listing cut short must not remove numbers it simply did not reach.
        _fail(f"Not replacing the watchlist: {reader.stop_reason}. Adding only.")
        replace_all = False
    store = WatchlistStore(runtime.paths.watchlist_file)
    try:
        loaded = store.load()
        if loaded.notice:
            _fail(loaded.notice)
        outcome = plan_import(
            loaded.watchlist, reader.rows, replace_all=replace_all, skipped=reader.skipped
        )
        if outcome.changed:
            store.save(outcome.watchlist)
    except (WatchlistSaveError, LockTimeout, OSError) as exc:
        _fail(f"The watchlist was not saved: {exc}")
        return EXIT_FAILED
    print(report(reader, outcome))
    if reader.stop_reason:
        _fail(f"The listing was not read to the end: {reader.stop_reason}.")
        return EXIT_PARTIAL
    return EXIT_OK


def report(reader: ListingReader, outcome: ImportOutcome) -> str:
    """What the import read and did, for the terminal."""
    pages = f"{reader.pages} page{'s' if reader.pages != 1 else ''}"
    read = f"Read {len(reader.rows)} numbers from the organisation listing in {pages}."
    lines = [read, outcome.summary()]
    if outcome.labelled:
        lines.append(f"Named {len(outcome.labelled)} unlabelled numbers from the listing.")
    return "\n".join(lines)


async def _read(runtime: Runtime, search: str | None) -> ListingReader:
    from leadping_tui.api.client import StatusClient
    from leadping_tui.api.listing_client import read_organisation
    from leadping_tui.refresh.budget import TokenBucket

    budget = TokenBucket(runtime.settings.requests_per_minute)

    def progress(reader: ListingReader) -> None:
        if sys.stderr.isatty():
            total = f" of {reader.total_count}" if reader.total_count is not None else ""
            print(f"\rReading… {len(reader.rows)}{total} numbers", end="", file=sys.stderr)

    async with StatusClient(
        base_url=runtime.base_url,
        api_key=runtime.api_key,
        allow_insecure_http=runtime.allow_insecure_http,
    ) as client:
        reader = await read_organisation(client, search=search, budget=budget, on_page=progress)
    if sys.stderr.isatty():
        print("\r\x1b[K", end="", file=sys.stderr)
    return reader


def _fail(message: str) -> None:
    print(f"leadping-tui: {message}", file=sys.stderr)
