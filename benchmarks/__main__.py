"""``python -m benchmarks [--smoke] [--out PATH] [--only NAME ...]``.

Runs every benchmark (several minutes), prints the table and writes
``benchmarks/results.json``.  ``--smoke`` runs each one in a tiny mode
(seconds) so the test suite can check the suite still works.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    big_payload,
    fleet,
    idle,
    large_watchlist,
    memory,
    mount_cost,
    ssh_bytes,
    startup,
)
from benchmarks.common import Context, Figure
from benchmarks.report import table, write

DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"

BENCHMARKS: dict[str, Callable[[Context], list[Figure]]] = {
    "startup": startup.run,
    "idle": idle.run,
    "memory": memory.run,
    "big_payload": big_payload.run,
    "ssh_bytes": ssh_bytes.run,
    "large_watchlist": large_watchlist.run,
    "fleet": fleet.run,
    "mount_cost": mount_cost.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny runs: checks, not figures")
    parser.add_argument("--out", type=Path, default=None, help=f"results file ({DEFAULT_OUT})")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--memory-cycles", type=int, default=None, help="memory: refresh cycles (10 000)"
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=None,
        help="memory: stop after this many seconds (150); e.g. 1200 to run all 10 000",
    )
    args = parser.parse_args(argv)
    # The programs under test run in their own sessions, so a signal to this
    # process does not reach them: turn SIGTERM into an exit that runs every
    # context manager, which stops them.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ctx = Context(
        smoke=args.smoke,
        log=not args.quiet,
        memory_cycles=args.memory_cycles,
        memory_limit=args.memory_limit,
    )
    out: Path = args.out or DEFAULT_OUT
    chosen = args.only or list(BENCHMARKS)
    started = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    figures: list[Figure] = []
    for name in chosen:
        began = time.monotonic()
        print(f"[{name}]", file=sys.stderr, flush=True)
        figures += BENCHMARKS[name](ctx)
        print(f"[{name}] {time.monotonic() - began:.1f} s", file=sys.stderr, flush=True)
    seconds = time.monotonic() - started
    command = " ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])])
    write(
        out,
        figures,
        smoke=args.smoke,
        command=command,
        seconds=seconds,
        load_at_start=load_at_start,
    )
    print(table(figures))
    print(f"\n{len(figures)} figures in {seconds:.0f} s; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
