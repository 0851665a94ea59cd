"""Who each number is: its warmup scenario, and its warmup state at any moment.

A number's :class:`Profile` is fixed (derived from the number and the
simulator's anchor time); :func:`state_at` turns it into the state shown at a
given moment, so the same number at the same time always looks the same and a
moving clock makes the warmup progress.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from leadping_tui.simulator.hashing import stable_seed, unit

RAMP_DAYS = 21
"""A healthy warmup runs this many days from start to ready."""

DAY = timedelta(days=1)


class Kind(StrEnum):
    """The warmup scenario a number follows."""

    WARMING = "warming"
    ATTENTION = "attention"
    PAUSED = "paused"
    BLOCKED = "blocked"
    READY = "ready"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class DemoNumber:
    """A documented demo number and what it shows."""

    number: str
    kind: Kind
    summary: str


DEMO_NUMBERS: tuple[DemoNumber, ...] = (
    DemoNumber("+12025550101", Kind.WARMING, "warming and healthy (In Progress / Healthy)"),
    DemoNumber("+12025550102", Kind.ATTENTION, "needs attention (opt-outs rising)"),
    DemoNumber("+12025550103", Kind.PAUSED, "paused after carrier rejections"),
    DemoNumber("+12025550104", Kind.BLOCKED, "blocked: carrier flagged spam content"),
    DemoNumber("+12025550105", Kind.READY, "warmup complete (Ready)"),
    DemoNumber("+12025550106", Kind.NOT_STARTED, "warmup not started"),
)

_PAUSE_REASONS = (
    "Paused after 3 carrier rejections in 1 hour",
    "Paused after delivery rate fell below 80%",
    "Paused by an administrator",
)
_BLOCK_REASONS = (
    "Carrier flagged number for spam content",
    "Number reported as spam by recipients",
    "Messaging program registration was rejected",
)
_PARTNER_AREAS = ("212", "312", "415", "617", "713", "305", "206", "512", "303", "404")


@dataclass(frozen=True)
class Profile:
    """The fixed facts of one number's warmup."""

    number: str
    seed: int
    kind: Kind
    phone_number_id: str
    started_at: datetime | None
    completes_at: datetime | None  # None: this warmup does not finish on its own
    stopped_at: datetime | None  # when it was paused or blocked
    trouble_at: datetime | None  # when opt-outs began to rise
    pause_reason: str | None
    block_reason: str | None
    partners: tuple[str, ...]


def build_profile(number: str, anchor: datetime) -> Profile:
    """The profile of ``number``, with times placed relative to ``anchor``."""
    seed = stable_seed(number)
    rng = random.Random(seed)
    demo = {d.number: d.kind for d in DEMO_NUMBERS}
    kind = demo.get(number) or _random_kind(rng.random())
    ago = _scenario_times(number in demo, kind, rng)

    def at(days: float | None) -> datetime | None:
        return None if days is None else anchor - timedelta(days=days)

    started_at = at(ago[0])
    completes_at = None
    if started_at is not None and kind in (Kind.WARMING, Kind.READY):
        completes_at = started_at + RAMP_DAYS * DAY
    partners = tuple(
        f"+1{_PARTNER_AREAS[rng.randrange(len(_PARTNER_AREAS))]}55501{rng.randrange(10, 99):02d}"
        for _ in range(6)
    )
    pid = uuid.UUID(int=rng.getrandbits(128), version=4)
    return Profile(
        number=number,
        seed=seed,
        kind=kind,
        phone_number_id=str(pid),
        started_at=started_at,
        completes_at=completes_at,
        stopped_at=at(ago[1]),
        trouble_at=at(ago[2]),
        pause_reason=(
            (_PAUSE_REASONS[0] if number in demo else rng.choice(_PAUSE_REASONS))
            if kind is Kind.PAUSED
            else None
        ),
        block_reason=(
            (_BLOCK_REASONS[0] if number in demo else rng.choice(_BLOCK_REASONS))
            if kind is Kind.BLOCKED
            else None
        ),
        partners=partners,
    )


def _random_kind(r: float) -> Kind:
    # Mostly healthy warmups, like a real organisation's list.
    for kind, upto in (
        (Kind.WARMING, 0.62),
        (Kind.ATTENTION, 0.72),
        (Kind.READY, 0.82),
        (Kind.PAUSED, 0.87),
        (Kind.BLOCKED, 0.91),
        (Kind.NOT_STARTED, 0.96),
    ):
        if r < upto:
            return kind
    return Kind.WARMING


def _scenario_times(
    is_demo: bool, kind: Kind, rng: random.Random
) -> tuple[float | None, float | None, float | None]:
    """Days before the anchor of (start, stop, trouble onset)."""
    if is_demo:
        return {
            Kind.WARMING: (9.2, None, None),
            Kind.ATTENTION: (13.0, None, 9.0),
            Kind.PAUSED: (8.0, 5 / 24, None),
            Kind.BLOCKED: (6.0, 27 / 24, None),
            Kind.READY: (27.0, None, None),
            Kind.NOT_STARTED: (None, None, None),
        }[kind]
    if kind is Kind.WARMING:
        return (rng.uniform(0.3, 19.0), None, None)
    if kind is Kind.ATTENTION:
        start = rng.uniform(8.0, 18.0)
        return (start, None, rng.uniform(3.0, start - 3.0))
    if kind is Kind.READY:
        return (rng.uniform(22.0, 60.0), None, None)
    if kind in (Kind.PAUSED, Kind.BLOCKED):
        start = rng.uniform(3.0, 15.0)
        return (start, rng.uniform(0.1, 2.0), None)
    return (None, None, None)


def phase_at(profile: Profile, when: datetime) -> Kind:
    """Which scenario ``profile`` is in at ``when`` (a warmup becomes ready, etc.)."""
    if profile.started_at is None or when < profile.started_at:
        return Kind.NOT_STARTED
    if profile.stopped_at is not None and when >= profile.stopped_at:
        return profile.kind
    if profile.trouble_at is not None and when >= profile.trouble_at:
        return Kind.ATTENTION
    if profile.completes_at is not None and when >= profile.completes_at:
        return Kind.READY
    return Kind.WARMING


def trouble_days(profile: Profile, when: datetime) -> float:
    """Days since opt-outs began to rise (0 before, or when they never do)."""
    if profile.trouble_at is None or when <= profile.trouble_at:
        return 0.0
    return (when - profile.trouble_at) / DAY


def progress_at(profile: Profile, when: datetime) -> int:
    """Warmup progress in percent at ``when``."""
    phase = phase_at(profile, when)
    if profile.started_at is None or phase is Kind.NOT_STARTED:
        return 0
    if phase is Kind.READY:
        return 100
    if profile.stopped_at is not None and when > profile.stopped_at:
        when = profile.stopped_at
    days = (when - profile.started_at) / DAY
    if profile.trouble_at is not None and when > profile.trouble_at:
        # Warmup slows down while opt-outs rise, and cannot finish.
        healthy_days = (profile.trouble_at - profile.started_at) / DAY
        days = healthy_days + (days - healthy_days) / 2
        return min(95, int(100 * days / RAMP_DAYS))
    return min(99, int(100 * days / RAMP_DAYS))


def _wobble(profile: Profile, when: datetime, size: float) -> float:
    """A slow, smooth drift in [-size, size]: health scores move by the hour, not the poll."""
    knots = when.timestamp() / (3 * 3600)
    i = int(knots // 1)
    frac = knots - i
    a = unit(profile.seed, 7, i) * 2 - 1
    b = unit(profile.seed, 7, i + 1) * 2 - 1
    return size * (a + (b - a) * frac)


def score_at(profile: Profile, when: datetime) -> int | None:
    """Health score (0-100) at ``when``; None before the warmup starts."""
    phase = phase_at(profile, when)
    if phase is Kind.NOT_STARTED:
        return None
    if profile.stopped_at is not None and when > profile.stopped_at:
        when = profile.stopped_at  # frozen while paused or blocked
    if phase is Kind.WARMING:
        base, low, high = 86 + 6 * progress_at(profile, when) / 100, 85, 95
    elif phase is Kind.ATTENTION:
        base, low, high = 65 - 9 * min(1.0, trouble_days(profile, when) / 6), 55, 65
    elif phase is Kind.PAUSED:
        base, low, high = 70, 66, 74
    elif phase is Kind.BLOCKED:
        base, low, high = 18, 12, 24
    else:
        base, low, high = 97, 95, 99
    return max(low, min(high, round(base + _wobble(profile, when, 1.6))))
