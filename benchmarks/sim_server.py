"""The simulator in its own process, with a clock the benchmarks choose.

``python -m benchmarks.sim_server --clock real|frozen|fast [--speed N]``
prints ``READY <base_url>`` once it listens, then reads commands on stdin:
``advance SECONDS`` moves a frozen clock on, ``bump on`` / ``bump off``
makes every status answered from then on differ from the one before in one
figure only (the health score moves by one point), each answered with ``OK``.
It stops at end of input.  A separate process keeps the simulator's CPU time, memory
and GIL out of whatever the benchmark measures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from leadping_tui.simulator import FrozenClock, Simulator
from leadping_tui.simulator import handler as sim_handler

#: A fixed start, so a frozen run answers the same bytes every time.
EPOCH = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


class FastClock:
    """Simulated time that runs ``speed`` times faster than the real one."""

    def __init__(self, start: datetime, speed: float) -> None:
        self._start = start
        self._speed = speed
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self._speed)


class Bumper:
    """Wraps the simulator's status answers so each one moves the health score.

    Patched on the handler module of this process only: the simulator's
    data stays what it is, this process just edits one field of its output.
    """

    def __init__(self) -> None:
        self.on = False
        self.count = 0
        self._lock = threading.Lock()
        original = getattr(sim_handler, "status_reply")  # noqa: B009 (not re-exported)

        def status_reply(*args: Any, **kwargs: Any) -> Any:
            reply = original(*args, **kwargs)
            if not self.on or reply.status != 200:
                return reply
            with self._lock:
                self.count += 1
                odd = self.count % 2
            data = json.loads(reply.body)
            warmup = data.get("smsWarmup")
            if isinstance(warmup, dict) and isinstance(warmup.get("healthScore"), int | float):
                warmup["healthScore"] = warmup["healthScore"] - odd
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
            return dataclasses.replace(reply, body=body)

        setattr(sim_handler, "status_reply", status_reply)  # noqa: B010


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sim_server")
    parser.add_argument("--clock", choices=("real", "frozen", "fast"), default="real")
    parser.add_argument("--speed", type=float, default=600.0, help="fast clock: sim s per real s")
    parser.add_argument("--event-rate", type=float, default=1.0, help="events per minute")
    parser.add_argument("--fleet", type=int, default=6, help="numbers in the organisation listing")
    args = parser.parse_args(argv)
    frozen = FrozenClock(EPOCH) if args.clock == "frozen" else None
    clock = frozen or (FastClock(EPOCH, args.speed) if args.clock == "fast" else None)
    bumper = Bumper()
    with Simulator(shape="sdk", clock=clock, event_rate=args.event_rate, fleet=args.fleet) as sim:
        print(f"READY {sim.base_url}", flush=True)
        for line in sys.stdin:
            words = line.split()
            if words[:1] == ["advance"] and frozen is not None and len(words) == 2:
                frozen.advance(float(words[1]))
                print("OK", flush=True)
            elif words[:1] == ["bump"] and words[1:] in (["on"], ["off"]):
                bumper.on = words[1] == "on"
                print("OK", flush=True)
            else:
                print(f"ERR {line.strip()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
