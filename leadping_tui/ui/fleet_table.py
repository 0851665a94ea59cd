"""The Fleet view's rows, columns, sorting and movement: pure values, no Textual.

The dashboard gathers, per watched number, its label, its condition (as the
sidebar shows it), its latest readiness (a status, or the organisation
listing's row as a slim status) and its listing row (SMS and voice readiness,
10DLC); :func:`fleet_row` turns that into a :class:`FleetViewRow`.  The
view sorts with :func:`sort_rows` and writes the cells from :func:`cells`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from leadping_tui.api.condition import Condition, score_is_judged
from leadping_tui.api.listing import PhoneNumberTableRow
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean
from leadping_tui.ui.watchlist_view import SUMMARY_ORDER

WORSE, BETTER = "worse", "better"
_WORST_RANK = {Condition.CRITICAL: 0, Condition.WARNING: 1, Condition.UNKNOWN: 2, Condition.OK: 3}
# Unknown says nothing about direction, so it neither worsens nor improves.
_MOVE_RANK = {Condition.OK: 0, Condition.WARNING: 1, Condition.CRITICAL: 2}


@dataclass(frozen=True)
class FleetViewRow:
    """One number as the Fleet view lists it."""

    number: str
    label: str = ""
    condition: Condition = Condition.UNKNOWN
    state: str | None = None
    health: str | None = None
    score: float | None = None
    progress: float | None = None
    sms_ready: bool | None = None
    voice_ready: bool | None = None
    ten_dlc: str | None = None
    moved: str | None = None
    """``"worse"`` or ``"better"`` since the previous round, else None."""


def fleet_row(
    number: str,
    label: str,
    condition: Condition,
    status: PhoneNumberStatus | None,
    listed: PhoneNumberTableRow | None,
    moved: str | None = None,
) -> FleetViewRow:
    """One row from what the dashboard knows about ``number``.

    ``status`` gives the readiness (state, health, score, progress);
    ``listed`` the listing-only facts (SMS and voice readiness, 10DLC).
    """
    warmup = status.sms_warmup if status is not None else None
    return FleetViewRow(
        number=number,
        label=label,
        condition=condition,
        state=warmup.status if warmup else None,
        health=warmup.health_status if warmup else None,
        score=warmup.health_score if warmup and score_is_judged(warmup) else None,
        progress=warmup.progress_percent if warmup else None,
        sms_ready=listed.sms_ready if listed else None,
        voice_ready=listed.voice_ready if listed else None,
        ten_dlc=listed.ten_dlc_campaign_status if listed else None,
        moved=moved,
    )


class Column(StrEnum):
    """The Fleet view's columns, left to right."""

    NUMBER = "number"
    LABEL = "label"
    CONDITION = "condition"
    STATE = "state"
    HEALTH = "health"
    SCORE = "score"
    PROGRESS = "progress"
    SMS = "sms"
    VOICE = "voice"
    TEN_DLC = "ten_dlc"
    MOVED = "moved"

    @property
    def heading(self) -> str:
        return _HEADINGS[self][0]

    @property
    def width(self) -> int:
        return _HEADINGS[self][1]


_HEADINGS = {
    Column.NUMBER: ("Number", 15),
    Column.LABEL: ("Label", 14),
    Column.CONDITION: ("Cond", 6),
    Column.STATE: ("State", 11),
    Column.HEALTH: ("Health", 15),
    Column.SCORE: ("Score", 5),
    Column.PROGRESS: ("Prog", 4),
    Column.SMS: ("SMS", 3),
    Column.VOICE: ("Voice", 5),
    Column.TEN_DLC: ("10DLC", 10),
    Column.MOVED: ("Moved", 6),
}


def _text_key(value: str | None) -> str:
    return (value or "").casefold()


def _sort_key(row: FleetViewRow, column: Column) -> object:
    """The value a column sorts on; None means "no value" (always last)."""
    match column:
        case Column.NUMBER:
            return row.number
        case Column.LABEL:
            return _text_key(row.label) or None
        case Column.CONDITION:
            return _WORST_RANK[row.condition], row.score if row.score is not None else 1e9
        case Column.STATE:
            return _text_key(row.state) or None
        case Column.HEALTH:
            return _text_key(row.health) or None
        case Column.SCORE:
            return row.score
        case Column.PROGRESS:
            return row.progress
        case Column.SMS:
            return row.sms_ready  # False before True: not ready first
        case Column.VOICE:
            return row.voice_ready
        case Column.TEN_DLC:
            return _text_key(row.ten_dlc) or None
        case Column.MOVED:
            return {WORSE: 0, BETTER: 1}.get(row.moved or "")
    return None  # pragma: no cover (every column is matched above)


def sort_rows(
    rows: Sequence[FleetViewRow], column: Column, *, descending: bool = False
) -> list[FleetViewRow]:
    """``rows`` sorted on ``column``; rows without a value go last either way; ties keep order.

    Ascending is the useful first look for each column: worst condition,
    lowest score and progress, not-ready first, worse before better.
    """
    keyed = [(row, _sort_key(row, column)) for row in rows]
    present = [item for item in keyed if item[1] is not None]
    missing = [row for row, key in keyed if key is None]
    present.sort(key=lambda item: item[1], reverse=descending)  # type: ignore[arg-type,return-value]
    return [row for row, _ in present] + missing


def _ready(value: bool | None) -> str:
    return "—" if value is None else ("✓" if value else "✗")


def cells(row: FleetViewRow) -> tuple[str, ...]:
    """The row's cells as plain text, in :class:`Column` order."""
    try:
        shown = format_number(row.number)
    except ValueError:
        shown = row.number
    moved = {WORSE: "▼ worse", BETTER: "▲ better"}.get(row.moved or "", "")
    return (
        clean(shown, max_len=20),
        clean(row.label, max_len=40),
        f"{row.condition.symbol} {row.condition.word}",
        clean(row.state or "—", max_len=20),
        clean(row.health or "—", max_len=20),
        "—" if row.score is None else f"{row.score:.0f}",
        "—" if row.progress is None else f"{row.progress:.0f}%",
        _ready(row.sms_ready),
        _ready(row.voice_ready),
        clean(row.ten_dlc or "—", max_len=20),
        moved,
    )


# -- movement --------------------------------------------------------------


def direction(before: Condition | None, after: Condition) -> str | None:
    """``"worse"``, ``"better"`` or None (no change, or unknown on either side)."""
    old = _MOVE_RANK.get(before) if before is not None else None
    new = _MOVE_RANK.get(after)
    if old is None or new is None or old == new:
        return None
    return WORSE if new > old else BETTER


@dataclass
class ConditionTrail:
    """Each number's condition at its previous and its latest status.

    With per-number polling every status is that number's round; this says
    how each number moved between its last two.  (With the organisation
    listing, whole rounds are compared by :class:`~leadping_tui.refresh.fleet.Fleet`.)
    """

    latest: dict[str, Condition] = field(default_factory=dict)
    moves: dict[str, str] = field(default_factory=dict)
    compared: bool = False
    """Whether any number has had two statuses (so movement means something)."""

    def record(self, number: str, condition: Condition) -> None:
        """A new status for ``number`` was assessed as ``condition``."""
        self.compared = self.compared or number in self.latest
        moved = direction(self.latest.get(number), condition)
        if moved is None:
            self.moves.pop(number, None)
        else:
            self.moves[number] = moved
        self.latest[number] = condition

    def forget(self, keep: Iterable[str]) -> None:
        """Drop numbers no longer watched."""
        kept = set(keep)
        for table in (self.latest, self.moves):
            for number in [n for n in table if n not in kept]:
                del table[number]


def movement_counts(moves: Mapping[str, str], numbers: Iterable[str]) -> tuple[int, int]:
    """How many of ``numbers`` went worse and better."""
    worse = better = 0
    for number in numbers:
        moved = moves.get(number)
        worse += moved == WORSE
        better += moved == BETTER
    return worse, better


def movement_text(worse: int, better: int, rounds_known: bool) -> str:
    """The Fleet view's movement line."""
    if not rounds_known:
        return "Movement: shown after the second round of results"
    if not worse and not better:
        return "Since the previous round: no number changed condition"
    return f"Since the previous round: ▼ {worse} worse  ▲ {better} better"


@dataclass(frozen=True)
class FleetSnapshot:
    """Everything the Fleet view shows at one moment."""

    rows: tuple[FleetViewRow, ...] = ()
    worse: int = 0
    better: int = 0
    rounds_known: bool = False

    @property
    def summary(self) -> str:
        """``1000 numbers  ✗ 3  ! 41  ? 144  ✓ 812``."""
        counts = {c: 0 for c in SUMMARY_ORDER}
        for row in self.rows:
            counts[row.condition] += 1
        marks = "  ".join(f"{c.symbol} {counts[c]}" for c in SUMMARY_ORDER)
        plural = "" if len(self.rows) == 1 else "s"
        return f"{len(self.rows)} number{plural}  {marks}"

    @property
    def movement(self) -> str:
        return movement_text(self.worse, self.better, self.rounds_known)


def build_snapshot(
    labels: Mapping[str, str],
    conditions: Mapping[str, Condition],
    statuses: Mapping[str, PhoneNumberStatus],
    listed: Mapping[str, PhoneNumberTableRow],
    moves: Mapping[str, str],
    *,
    rounds_known: bool,
) -> FleetSnapshot:
    """The Fleet view of the watched numbers (``labels``, in the user's order)."""
    rows = tuple(
        fleet_row(
            number,
            label,
            conditions.get(number, Condition.UNKNOWN),
            statuses.get(number),
            listed.get(number),
            moves.get(number),
        )
        for number, label in labels.items()
    )
    worse, better = movement_counts(moves, labels)
    return FleetSnapshot(rows, worse, better, rounds_known)
