"""How the app was started: the run-time configuration, the numbers asked for, the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leadping_tui.runtime import Runtime

if TYPE_CHECKING:
    from leadping_tui.api.early import EarlyStatus
    from leadping_tui.demo.session import DemoSession


@dataclass
class AppConfig:
    """How the app was started."""

    runtime: Runtime
    numbers: list[str] = field(default_factory=list)
    demo: bool = False
    demo_session: DemoSession | None = None  # stopped on exit, when --demo started one
    # The launcher turned the cyclic garbage collector off for start-up; the
    # app turns it back on once the first status is on screen.
    startup_gc_paused: bool = False
    # The first status request, sent at process start (see leadping_tui.api.early).
    early_status: EarlyStatus | None = None
