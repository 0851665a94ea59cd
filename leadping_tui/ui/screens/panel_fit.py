"""What the dashboard's top panels need at one size, and the rows they were given.

Kept by the screen so that, while the selected number waits for its first
status, the panels can keep the heights of the last status shown
(``DashboardDrawing._fit_top_panels``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PanelFit:
    """What the top panels need at one size, and the rows they were given."""

    available: int
    width: int
    health_needs: int
    capacity_needs: int
    metrics_needs: int
    rows: int = 0
    capacity_rows: int = 0

    def given(self, rows: int, capacity_rows: int) -> PanelFit:
        return replace(self, rows=rows, capacity_rows=capacity_rows)

    def holds(self, other: PanelFit) -> bool:
        """Whether the rows given here show all of ``other``'s content, at its size."""
        return (
            (self.available, self.width) == (other.available, other.width)
            and other.health_needs <= self.rows
            and other.capacity_needs <= self.capacity_rows
            and other.metrics_needs <= self.rows - self.capacity_rows
        )
