"""``--demo``: the built-in simulator plus a throwaway watchlist.

The demo never reads or writes the user's own watchlist or settings: it
runs with its files in a temporary directory and a placeholder key, and
removes that directory when it stops.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from leadping_tui.runtime import Runtime
from leadping_tui.simulator import Simulator
from leadping_tui.simulator.fleet import DEMO_FLEET
from leadping_tui.store.paths import AppPaths

DEMO_KEY = "sk_demo_not_a_real_key_0000"
# Labels as a team would write them: what the line is for, not its state
# (the sidebar says the state in words).
DEMO_NUMBERS: tuple[tuple[str, str], ...] = (
    ("+12025550101", "Sales · East coast"),
    ("+12025550102", "Appointment reminders"),
    ("+12025550103", "Support"),
    ("+12025550104", "Dallas pool 3"),
    ("+12025550105", "Billing alerts (main line)"),
    ("+12025550106", "New: Austin store"),
    ("+12025550199", "Not in your org"),
)


def write_demo_watchlist(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = [{"number": number, "label": label} for number, label in DEMO_NUMBERS]
    document = {"version": 1, "selected": DEMO_NUMBERS[0][0], "entries": entries}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


@dataclass(frozen=True)
class DemoSession:
    """The demo's simulator and its throwaway directory, stopped together."""

    simulator: Simulator
    root: Path

    def stop(self) -> None:
        """Stop the simulator and delete the demo's files. Idempotent."""
        self.simulator.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_demo(runtime: Runtime, *, shape: str = "sdk") -> tuple[Runtime, DemoSession]:
    """Start the simulator on loopback and return a runtime pointed at it."""
    simulator = Simulator(shape=shape, fleet=DEMO_FLEET).start()
    root = Path(tempfile.mkdtemp(prefix="leadping-tui-demo-"))
    paths = AppPaths.under(root)
    write_demo_watchlist(paths.watchlist_file)
    demo_runtime = replace(
        runtime,
        paths=paths,
        base_url=simulator.base_url,
        api_key=DEMO_KEY,
        api_key_source="demo",
        demo=True,
        problems=(),
    )
    return demo_runtime, DemoSession(simulator, root)
