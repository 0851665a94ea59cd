"""One place decides a number's overall condition.

The dashboard's marks, the alerts and the CLI's exit code all call
:func:`assess`, so they can never disagree.  It reads whatever the payload
holds (either shape): readiness state, health status, ``uiState`` tone and
label, pause and block reasons, the outbound capacity health and the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leadping_tui.api.models import PhoneNumberStatus, SmsWarmup


class Condition(StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    UNKNOWN = "unknown"

    @property
    def severity(self) -> int:
        """Ordering for "worse than": unknown < ok < warning < critical."""
        return _SEVERITY[self]

    @property
    def exit_code(self) -> int:
        """Monitoring-plugin convention: 0 ok, 1 warning, 2 critical, 3 unknown."""
        return _EXIT_CODES[self]

    @property
    def symbol(self) -> str:
        """A text mark, so the condition reads without colour."""
        return _SYMBOLS[self]

    @property
    def word(self) -> str:
        return _WORDS[self]


_SEVERITY = {Condition.UNKNOWN: 0, Condition.OK: 1, Condition.WARNING: 2, Condition.CRITICAL: 3}
_EXIT_CODES = {Condition.OK: 0, Condition.WARNING: 1, Condition.CRITICAL: 2, Condition.UNKNOWN: 3}
_SYMBOLS = {
    Condition.OK: "✓",
    Condition.WARNING: "!",
    Condition.CRITICAL: "✗",
    Condition.UNKNOWN: "?",
}
_WORDS = {
    Condition.OK: "OK",
    Condition.WARNING: "WARN",
    Condition.CRITICAL: "CRIT",
    Condition.UNKNOWN: "UNKN",
}

# Known readiness states and health statuses, compared case- and space-insensitively.
_STATE_CONDITION = {
    "blocked": Condition.CRITICAL,
    "paused": Condition.WARNING,
    "inprogress": Condition.OK,
    "ready": Condition.OK,
    "notstarted": Condition.UNKNOWN,
}
_HEALTH_CONDITION = {
    "blocked": Condition.CRITICAL,
    "needsattention": Condition.WARNING,
    "healthy": Condition.OK,
    "evaluating": Condition.UNKNOWN,
    "notevaluated": Condition.UNKNOWN,
}
_TONE_CONDITION = {
    "danger": Condition.CRITICAL,
    "error": Condition.CRITICAL,
    "critical": Condition.CRITICAL,
    "destructive": Condition.CRITICAL,
    "negative": Condition.CRITICAL,
    "red": Condition.CRITICAL,
    "warning": Condition.WARNING,
    "warn": Condition.WARNING,
    "caution": Condition.WARNING,
    "attention": Condition.WARNING,
    "amber": Condition.WARNING,
    "yellow": Condition.WARNING,
    "success": Condition.OK,
    "positive": Condition.OK,
    "ok": Condition.OK,
    "healthy": Condition.OK,
    "good": Condition.OK,
    "green": Condition.OK,
}
#: Outbound ``healthStatus`` values the SDK documents, by how worried to be.
#: ``new`` and ``unknown`` say nothing yet; the capacity panel reads this table too.
_CAPACITY_CONDITION = {
    "suspended": Condition.CRITICAL,
    "disabled": Condition.CRITICAL,
    "limited": Condition.WARNING,
    "coolingdown": Condition.WARNING,
    "healthy": Condition.OK,
    "warmup": Condition.OK,
    "new": Condition.UNKNOWN,
    "unknown": Condition.UNKNOWN,
}

CRITICAL_SCORE = 40.0
WARNING_SCORE = 70.0


def _key(text: str | None) -> str:
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def tone_condition(tone: str | None) -> Condition:
    """The condition a free-text ``uiState.tone`` suggests; unknown tones are neutral."""
    return _TONE_CONDITION.get(_key(tone), Condition.UNKNOWN)


def capacity_condition(health_status: str | None) -> Condition:
    """The condition an outbound ``healthStatus`` suggests; unknown text is neutral.

    Spelling is not meaning: ``cooling_down``, ``CoolingDown`` and
    ``Cooling down`` are one value.
    """
    return _CAPACITY_CONDITION.get(_key(health_status), Condition.UNKNOWN)


@dataclass(frozen=True)
class Assessment:
    """The overall condition and the reasons that led to it, worst first."""

    condition: Condition
    reasons: tuple[str, ...]

    @property
    def headline(self) -> str:
        return self.reasons[0] if self.reasons else self.condition.word


def assess(status: PhoneNumberStatus | None) -> Assessment:
    """Decide the condition of one number from whatever its status holds."""
    if status is None:
        return Assessment(Condition.UNKNOWN, ("no status yet",))
    found: list[tuple[Condition, str]] = []
    warmup = status.sms_warmup
    if warmup is not None:
        if warmup.block_reason and warmup.block_reason.strip():
            found.append((Condition.CRITICAL, "blocked: " + warmup.block_reason.strip()))
        if warmup.pause_reason and warmup.pause_reason.strip():
            found.append((Condition.WARNING, "paused: " + warmup.pause_reason.strip()))
        for label, value, table in (
            ("state", warmup.status, _STATE_CONDITION),
            ("health", warmup.health_status, _HEALTH_CONDITION),
            ("state", warmup.ui_state.label if warmup.ui_state else None, _STATE_CONDITION),
        ):
            if value and _key(value) in table:
                found.append((table[_key(value)], f"{label} {value}"))
        tone = warmup.ui_state.tone if warmup.ui_state else None
        if tone_condition(tone) is not Condition.UNKNOWN:
            found.append((tone_condition(tone), f"tone {tone}"))
        score = warmup.health_score
        if score is not None and score_is_judged(warmup):
            if score < CRITICAL_SCORE:
                found.append((Condition.CRITICAL, f"health score {score:g}"))
            elif score < WARNING_SCORE:
                found.append((Condition.WARNING, f"health score {score:g}"))
            else:
                found.append((Condition.OK, f"health score {score:g}"))
    capacity = status.outbound_capacity
    if capacity is not None and capacity_condition(capacity.health_status) is not Condition.UNKNOWN:
        condition = capacity_condition(capacity.health_status)
        reason = f"capacity {capacity.health_status}"
        if capacity.health_reason and condition is not Condition.OK:
            reason += f": {capacity.health_reason}"
        found.append((condition, reason))
    if not found:
        return Assessment(Condition.UNKNOWN, ("no health signals in the response",))
    worst = max(condition.severity for condition, _ in found)
    ordered = sorted(found, key=lambda item: -item[0].severity)
    condition = next(condition for condition, _ in ordered if condition.severity == worst)
    return Assessment(condition, tuple(reason for _, reason in ordered))


def score_is_judged(warmup: SmsWarmup | None) -> bool:
    """Whether the health score is a verdict rather than a placeholder."""
    if warmup is None:
        return False
    state, health = warmup.status, warmup.health_status
    # A number that has not started has a score of 0 that means "no data", not "bad".
    return _key(state) != "notstarted" and _key(health) != "notevaluated"
