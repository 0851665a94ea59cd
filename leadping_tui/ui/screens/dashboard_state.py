"""What the dashboard screen holds, declared once for the parts it is made of.

:class:`~leadping_tui.ui.screens.dashboard.DashboardScreen` is assembled from
parts (actions, drawing, results), each in its own module.  They all read and
write the same state, which the screen sets up in its ``__init__``; this base
names it and its types, and the methods the parts call across each other,
in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.timer import Timer

    from leadping_tui.api.condition import Assessment
    from leadping_tui.api.errors import LeadPingError
    from leadping_tui.api.query import StatusQuery
    from leadping_tui.api.result import FetchResult
    from leadping_tui.ui.fleet_sync import FleetSync
    from leadping_tui.ui.fleet_table import ConditionTrail
    from leadping_tui.ui.host import DashboardHost
    from leadping_tui.ui.poller import Poller
    from leadping_tui.ui.screens.panel_fit import PanelFit
    from leadping_tui.ui.view import PanelContext
    from leadping_tui.ui.widgets.raw_view import RawView


class DashboardState(Screen[None]):
    """The state the dashboard's parts share (set up by ``DashboardScreen.__init__``)."""

    if TYPE_CHECKING:
        results: dict[str, FetchResult]
        """Each number's last good answer."""
        errors: dict[str, LeadPingError]
        """Each number's last failure, while it lasts."""
        selected: str | None
        labels: dict[str, str]
        assessments: dict[str, Assessment]
        window_query: StatusQuery
        """The window (or date range) on screen."""
        trail: ConditionTrail
        fleet_sync: FleetSync
        bug_details: str | None
        next_tick_in: float
        _poller: Poller | None
        _zone_name: str
        _trend_span: str
        _drawn_stale: dict[str, bool]
        _tick_timer: Timer | None
        _baseline_at: dict[str, float]
        _held_fit: PanelFit | None
        """The top panels' rows at the last status shown (kept while the next one loads)."""

        @property
        def lp_app(self) -> DashboardHost: ...

        # The methods the parts call across each other (the screen's own,
        # the drawing part's), so that no part repeats another's signatures.
        @property
        def interval(self) -> float: ...

        @property
        def deferred_ready(self) -> bool: ...

        def _wake(self) -> None: ...

        async def _mount_deferred(self) -> None: ...

        async def tab_table(self, pane_id: str) -> None: ...

        async def raw_view(self) -> RawView: ...

        def _start_deferred(self) -> None: ...

        def _panel_context(self) -> PanelContext: ...

        def _draw(self) -> None: ...

        def _draw_trends(self, ctx: PanelContext) -> None: ...

        def _tick(self) -> None: ...

        def _update_row(self, number: str) -> None: ...
