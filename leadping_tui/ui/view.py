"""What the screen hands to each panel: the data to draw and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property

from leadping_tui.api.condition import Assessment, assess
from leadping_tui.api.models import PhoneNumberStatus


@dataclass(frozen=True)
class PanelContext:
    """Everything a panel needs to draw; panels never fetch anything."""

    status: PhoneNumberStatus | None
    now: datetime
    tz: tzinfo
    stale: bool = False
    number: str | None = None

    @cached_property
    def assessment(self) -> Assessment:
        return assess(self.status)
