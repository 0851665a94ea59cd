"""The fleet as the organisation listing last showed it: pure data, no I/O, no Textual.

The dashboard keeps one :class:`Fleet` (``LeadPingApp.fleet``).  Each completed
listing round replaces its rows through :meth:`Fleet.record_round`, which also
works out how the fleet moved since the previous round.  Views (the sidebar,
the Fleet view, the summary counts) read :meth:`Fleet.get`, :attr:`Fleet.rows`
and :attr:`Fleet.movement`; the full listing row (``sms_ready``,
``voice_ready``, ``ten_dlc_campaign_status``, ``warmup.call_stage``, ...) is
:attr:`FleetRow.row`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from leadping_tui.api.condition import Assessment, Condition, assess
from leadping_tui.api.listing import PhoneNumberTableRow
from leadping_tui.api.models import PhoneNumberStatus

__all__ = ["Fleet", "FleetRow", "Movement"]

# Unknown says nothing about direction, so it neither worsens nor improves.
_RANK = {Condition.OK: 0, Condition.WARNING: 1, Condition.CRITICAL: 2}


@dataclass(frozen=True)
class FleetRow:
    """One number's latest listing row and what it means."""

    number: str
    row: PhoneNumberTableRow
    status: PhoneNumberStatus
    """The row as a slim status (readiness only), for code that reads statuses."""
    assessment: Assessment
    received_at: datetime
    """When the page holding this row arrived (UTC)."""

    @property
    def condition(self) -> Condition:
        return self.assessment.condition


@dataclass(frozen=True)
class Movement:
    """How many numbers changed condition since the previous round."""

    worse: int = 0
    better: int = 0
    worse_numbers: tuple[str, ...] = ()
    better_numbers: tuple[str, ...] = ()


@dataclass
class Fleet:
    """Every number the listing returned in its last complete round."""

    rows: dict[str, FleetRow] = field(default_factory=dict)
    """Number to row, in listing order."""
    rounds: int = 0
    """Complete rounds recorded so far."""
    movement: Movement = field(default_factory=Movement)
    """Changes between the last two rounds (all zero after the first)."""
    updated_at: datetime | None = None
    changed: frozenset[str] = frozenset()
    """Numbers whose row is new or differs from the previous round's."""

    def get(self, number: str) -> FleetRow | None:
        return self.rows.get(number)

    def __contains__(self, number: object) -> bool:
        return number in self.rows

    def __len__(self) -> int:
        return len(self.rows)

    def counts(self) -> dict[Condition, int]:
        """How many listed numbers are in each condition."""
        counts = dict.fromkeys(Condition, 0)
        for entry in self.rows.values():
            counts[entry.condition] += 1
        return counts

    def record_round(
        self, rows: Mapping[str, PhoneNumberTableRow], received_at: datetime
    ) -> Movement:
        """Replace the fleet with one complete round; return (and keep) how it moved."""
        fresh: dict[str, FleetRow] = {}
        worse: list[str] = []
        better: list[str] = []
        changed: set[str] = set()
        for number, row in rows.items():
            before = self.rows.get(number)
            if before is not None and before.row == row:
                # Unchanged: keep its status and assessment, only the time moves.
                fresh[number] = FleetRow(number, row, before.status, before.assessment, received_at)
                continue
            status = row.as_status()
            entry = FleetRow(number, row, status, assess(status), received_at)
            fresh[number] = entry
            changed.add(number)
            if before is None:
                continue
            old, new = _RANK.get(before.condition), _RANK.get(entry.condition)
            if old is None or new is None or old == new:
                continue
            (worse if new > old else better).append(number)
        self.movement = (
            Movement(len(worse), len(better), tuple(worse), tuple(better))
            if self.rounds
            else Movement()
        )
        self.rows = fresh
        self.changed = frozenset(changed)
        self.rounds += 1
        self.updated_at = received_at
        return self.movement
