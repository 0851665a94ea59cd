"""A loopback simulator of the LeadPing phone-number status API.

It backs ``leadping-tui --demo``, the tests and the benchmarks: a real HTTP
server (stdlib only) with deterministic, evolving data for any valid number and
switchable faults::

    with Simulator(shape="sdk") as sim:
        sim.faults.set(Fault("rate_limit", retry_after=2), "+12025550101")
        httpx.get(f"{sim.base_url}/phone-numbers/%2B12025550101/status",
                  headers={"Authorization": "Bearer x"})

Control from another process: ``POST /_sim/faults`` with
``{"number": "+1..." | null, "fault": {...}}``, ``DELETE /_sim/faults[?number=]``,
``GET /_sim/requests``, ``GET``/``POST /_sim/shape``.
"""

from __future__ import annotations

from leadping_tui.simulator.clock import Clock, FrozenClock, iso, system_clock
from leadping_tui.simulator.faults import FAULT_KINDS, Fault, FaultRegistry
from leadping_tui.simulator.phone import NOT_FOUND_NUMBER
from leadping_tui.simulator.recording import RecordedRequest
from leadping_tui.simulator.scenarios import DEMO_NUMBERS, DemoNumber, Kind
from leadping_tui.simulator.server import Simulator, serve

__all__ = [
    "DEMO_NUMBERS",
    "FAULT_KINDS",
    "NOT_FOUND_NUMBER",
    "Clock",
    "DemoNumber",
    "Fault",
    "FaultRegistry",
    "FrozenClock",
    "Kind",
    "RecordedRequest",
    "Simulator",
    "iso",
    "serve",
    "system_clock",
]
