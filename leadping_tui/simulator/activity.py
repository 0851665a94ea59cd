"""What a number's traffic is made of: event kinds, their mix over time, and counts.

Each slot on a number's timeline holds one event; :func:`weights_at` gives the
chance of each kind at a moment, which is how opt-outs rise for a number that
needs attention and rejections pile up before a pause.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum
from typing import NamedTuple

from leadping_tui.simulator.scenarios import Kind, Profile, phase_at, trouble_days


class EventKind(IntEnum):
    """What happened in one slot of a number's timeline."""

    SMS_SENT = 0
    RECEIPT = 1
    REPLY = 2
    CALL = 3
    MMS_SENT = 4
    SMS_FAILED = 5
    REJECTION = 6
    OPT_OUT = 7
    SPAM = 8


Weights = tuple[float, ...]

_BASE: dict[Kind, dict[EventKind, float]] = {
    Kind.WARMING: {
        EventKind.RECEIPT: 0.18,
        EventKind.REPLY: 0.15,
        EventKind.CALL: 0.08,
        EventKind.MMS_SENT: 0.04,
        EventKind.SMS_FAILED: 0.015,
        EventKind.REJECTION: 0.005,
        EventKind.OPT_OUT: 0.002,
        EventKind.SPAM: 0.0005,
    },
    Kind.READY: {
        EventKind.RECEIPT: 0.12,
        EventKind.REPLY: 0.2,
        EventKind.CALL: 0.08,
        EventKind.MMS_SENT: 0.03,
        EventKind.SMS_FAILED: 0.01,
        EventKind.REJECTION: 0.002,
        EventKind.OPT_OUT: 0.002,
    },
}

CALL_SPLIT = (0.62, 0.18, 0.05, 0.15)
"""Of placed calls: connected, short, invalid number, failed (no answer / busy)."""
MMS_FAILURE = 0.05


def opt_out_rate(profile: Profile, when: datetime) -> float:
    """Fraction of contacts who opt out, rising by 0.6 points a day once trouble starts."""
    days = trouble_days(profile, when)
    if days <= 0:
        return 0.004
    return min(0.08, 0.02 + 0.006 * days)


def weights_at(profile: Profile, when: datetime) -> Weights:
    """Probability of each :class:`EventKind` for a slot at ``when`` (sums to 1)."""
    phase = phase_at(profile, when)
    parts = dict(_BASE[Kind.READY if phase is Kind.READY else Kind.WARMING])
    if phase is Kind.ATTENTION:
        parts[EventKind.OPT_OUT] = 0.45 * opt_out_rate(profile, when)
        parts[EventKind.REJECTION] = 0.012
        parts[EventKind.SMS_FAILED] = 0.02
        parts[EventKind.REPLY] = 0.11
    stop = profile.stopped_at
    if stop is not None and when < stop:
        # Trouble builds up before a warmup is stopped.
        if profile.kind is Kind.PAUSED and stop - when < timedelta(hours=6):
            parts[EventKind.REJECTION] = 0.04
        if profile.kind is Kind.BLOCKED and stop - when < timedelta(days=2):
            parts[EventKind.SPAM] = 0.02
            parts[EventKind.REJECTION] = 0.03
            parts[EventKind.OPT_OUT] = 0.01
    parts[EventKind.SMS_SENT] = 1.0 - sum(parts.values())
    return tuple(parts.get(k, 0.0) for k in EventKind)


class Counts(NamedTuple):
    """Activity counted over a span of time."""

    sms_ok: int = 0
    sms_failed: int = 0  # failed without a carrier rejection
    rejections: int = 0
    receipts: int = 0
    replies: int = 0
    opt_outs: int = 0
    spam: int = 0
    mms_ok: int = 0
    mms_failed: int = 0
    call_connected: int = 0
    call_short: int = 0
    call_invalid: int = 0
    call_failed: int = 0  # no answer, busy

    def plus(self, other: Counts) -> Counts:
        """Field-wise sum."""
        return Counts._make(a + b for a, b in zip(self, other, strict=True))

    def minus(self, other: Counts) -> Counts:
        """Field-wise difference."""
        return Counts._make(a - b for a, b in zip(self, other, strict=True))

    @property
    def sms_sent(self) -> int:
        """Every outbound SMS attempt."""
        return self.sms_ok + self.sms_failed + self.rejections

    @property
    def sms_failures(self) -> int:
        """Outbound SMS that did not arrive, rejections included."""
        return self.sms_failed + self.rejections

    @property
    def received(self) -> int:
        """Inbound messages, opt-outs included."""
        return self.replies + self.opt_outs

    @property
    def mms_sent(self) -> int:
        """Every outbound MMS attempt."""
        return self.mms_ok + self.mms_failed

    @property
    def calls_placed(self) -> int:
        """Every outbound call attempt."""
        return self.call_connected + self.call_short + self.call_invalid + self.call_failed

    @property
    def calls_failed(self) -> int:
        """Calls that did not connect."""
        return self.call_invalid + self.call_failed

    @property
    def contacted(self) -> int:
        """Distinct contacts messaged: most warmup messages go to someone new."""
        return (self.sms_sent + self.mms_sent) * 17 // 20


ZERO = Counts()


def expected_counts(weights: Weights, slots: int) -> tuple[float, ...]:
    """Expected value of each :class:`Counts` field for ``slots`` events with ``weights``."""
    calls = weights[EventKind.CALL] * slots
    mms = weights[EventKind.MMS_SENT] * slots
    return (
        weights[EventKind.SMS_SENT] * slots,
        weights[EventKind.SMS_FAILED] * slots,
        weights[EventKind.REJECTION] * slots,
        weights[EventKind.RECEIPT] * slots,
        weights[EventKind.REPLY] * slots,
        weights[EventKind.OPT_OUT] * slots,
        weights[EventKind.SPAM] * slots,
        mms * (1 - MMS_FAILURE),
        mms * MMS_FAILURE,
        *(calls * share for share in CALL_SPLIT),
    )
