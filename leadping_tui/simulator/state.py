"""A number's warmup state at one moment: status, health, tone and wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from leadping_tui.simulator.activity import opt_out_rate
from leadping_tui.simulator.scenarios import (
    DAY,
    RAMP_DAYS,
    Kind,
    Profile,
    phase_at,
    progress_at,
    score_at,
)


@dataclass(frozen=True)
class WarmupState:
    """Everything about a warmup at one moment that is not a count."""

    phase: Kind
    status: str  # SMS readiness state, e.g. "In Progress"
    health_status: str  # e.g. "Healthy", "Needs Attention"
    progress: int
    score: int | None
    tone: str
    description: str
    pause_reason: str | None
    block_reason: str | None
    warmup_enabled: bool
    can_pause: bool
    can_resume: bool
    completed_at: datetime | None
    outbound_health: str  # PhoneNumberOutboundHealthStatus value
    outbound_reason: str | None
    ramp: str  # "up", "down" or "none"


_STATUS = {
    Kind.WARMING: ("In Progress", "Healthy", "success", "warmup", "up"),
    Kind.ATTENTION: ("In Progress", "Needs Attention", "warning", "limited", "down"),
    Kind.PAUSED: ("Paused", "Needs Attention", "warning", "cooling_down", "none"),
    Kind.BLOCKED: ("Blocked", "Blocked", "danger", "suspended", "none"),
    Kind.READY: ("Ready", "Healthy", "success", "healthy", "none"),
    Kind.NOT_STARTED: ("Not Started", "Not Evaluated", "neutral", "new", "none"),
}


def state_at(profile: Profile, now: datetime) -> WarmupState:
    """The state of ``profile``'s warmup at ``now``."""
    phase = phase_at(profile, now)
    status, health, tone, outbound, ramp = _STATUS[phase]
    progress = progress_at(profile, now)
    pause_reason = profile.pause_reason if phase is Kind.PAUSED else None
    block_reason = profile.block_reason if phase is Kind.BLOCKED else None
    completed_at = profile.completes_at if phase is Kind.READY else None
    reason: str | None
    if phase is Kind.WARMING:
        assert profile.started_at is not None
        day = min(RAMP_DAYS, int((now - profile.started_at) / DAY) + 1)
        description = f"Warmup is on track: day {day} of {RAMP_DAYS}, {progress}% complete."
        reason = "Sending limits are ramping up during warmup."
    elif phase is Kind.ATTENTION:
        rate = opt_out_rate(profile, now) * 100
        description = (
            f"Opt-outs are rising: about {rate:.0f}% of contacts now opt out. Warmup "
            "volume was reduced; review message content and who is being messaged."
        )
        reason = "Opt-out rate is above 3%; sending limits were reduced."
    elif phase is Kind.PAUSED:
        description = f"Warmup is paused: {pause_reason}. Resume once the cause is fixed."
        reason = pause_reason
    elif phase is Kind.BLOCKED:
        description = f"Warmup is blocked: {block_reason}. Contact support to appeal."
        reason = block_reason
    elif phase is Kind.READY:
        description = "Warmup complete. This number is ready for full-volume sending."
        reason = None
    else:
        description = "Warmup has not started. Enable warmup to build this number's reputation."
        reason = "Warmup has not started."
    return WarmupState(
        phase=phase,
        status=status,
        health_status=health,
        progress=progress,
        score=score_at(profile, now),
        tone=tone,
        description=description,
        pause_reason=pause_reason,
        block_reason=block_reason,
        warmup_enabled=phase is not Kind.NOT_STARTED,
        can_pause=phase in (Kind.WARMING, Kind.ATTENTION),
        can_resume=phase is Kind.PAUSED,
        completed_at=completed_at,
        outbound_health=outbound,
        outbound_reason=reason,
        ramp=ramp,
    )
