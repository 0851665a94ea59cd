"""Status responses in the two shapes the API is known to send.

``seed``: the reference page's shape, every number a JSON string.
``sdk``: the official generated SDK's shape, JSON numbers plus
``outboundCapacity``, ``location`` and a traffic ``trend``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from leadping_tui.simulator.activity import Counts, EventKind
from leadping_tui.simulator.capacity import Usage, usage
from leadping_tui.simulator.clock import floor_to, iso, iso_ts
from leadping_tui.simulator.events import EventMaker
from leadping_tui.simulator.phone import Location, location_of
from leadping_tui.simulator.scenarios import Kind, build_profile
from leadping_tui.simulator.state import WarmupState, state_at
from leadping_tui.simulator.timeline import Timeline
from leadping_tui.simulator.window import Window, buckets

SHAPES = ("seed", "sdk")
_MAX_TIMELINES = 2000


@dataclass(frozen=True)
class Huge:
    """Ask for an oversized response: this many events and actions."""

    events: int
    actions: int


class World:
    """Every number's timeline, built on first use. Thread-safe."""

    def __init__(self, anchor: datetime, event_rate: float) -> None:
        if event_rate <= 0:
            raise ValueError("event_rate must be positive (events per minute)")
        self.anchor = anchor
        self.base_interval = 60.0 / event_rate
        self._timelines: dict[str, Timeline] = {}
        self._lock = threading.Lock()

    def timeline(self, number: str) -> Timeline:
        """The timeline of ``number``."""
        with self._lock:
            found = self._timelines.get(number)
            if found is None:
                if len(self._timelines) >= _MAX_TIMELINES:
                    self._timelines.clear()  # a fuzzing client must not grow memory forever
                found = Timeline(build_profile(number, self.anchor), self.base_interval)
                self._timelines[number] = found
            return found


def _ts(when: float | None) -> str | None:
    return None if when is None else iso_ts(when)


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


@dataclass(frozen=True)
class _Facts:
    timeline: Timeline
    now: datetime
    window: Window
    state: WarmupState
    in_window: Counts
    events: list[dict[str, Any]]
    maker: EventMaker
    sms: Usage
    voice: Usage


def _facts(
    timeline: Timeline, now: datetime, window: Window, sdk: bool, huge: Huge | None
) -> _Facts:
    profile = timeline.profile
    maker = EventMaker(timeline, now, sdk=sdk)
    count = huge.events if huge else 25 + profile.seed % 36
    state = state_at(profile, now)
    return _Facts(
        timeline=timeline,
        now=now,
        window=window,
        state=state,
        in_window=timeline.counts(window.start, window.end),
        events=maker.recent_events(count, history=huge is not None),
        maker=maker,
        sms=usage(timeline, state, now, voice=False),
        voice=usage(timeline, state, now, voice=True),
    )


def render(
    timeline: Timeline, now: datetime, window: Window, shape: str, huge: Huge | None = None
) -> dict[str, Any]:
    """The status response for ``timeline``'s number at ``now`` in ``shape``."""
    if shape == "sdk":
        return _render_sdk(_facts(timeline, now, window, True, huge))
    if shape == "seed":
        return _render_seed(_facts(timeline, now, window, False, huge), huge)
    raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")


# -- sdk shape -------------------------------------------------------------------


def _render_sdk(f: _Facts) -> dict[str, Any]:
    p, s, c, w = f.timeline.profile, f.state, f.in_window, f.window
    loc = location_of(p.number)
    trend = []
    for b in buckets(w):
        bc = f.timeline.counts(b.start, min(b.end, w.end))
        trend.append(
            {
                "startAt": iso(b.start),
                "endAt": iso(b.end),
                "label": b.label,
                "smsSentCount": bc.sms_sent,
                "smsFailedCount": bc.sms_failures,
                "mmsSentCount": bc.mms_sent,
                "mmsFailedCount": bc.mms_failed,
                "callPlacedCount": bc.calls_placed,
                "callFailedCount": bc.calls_failed,
            }
        )
    return {
        "number": p.number,
        "messagesPossible": f.sms.limit[2],
        "callsPossible": f.voice.limit[2],
        "smsWarmup": {
            "phoneNumberId": p.phone_number_id,
            "phoneNumber": p.number,
            "healthScore": s.score,
            "progressPercent": s.progress,
            "warmupEnabled": s.warmup_enabled,
            "status": s.status,
            "healthStatus": s.health_status,
            "uiState": {"tone": s.tone, "description": s.description, "label": s.status},
        },
        "optOutMetrics": {
            "windowDays": w.days,
            "windowStartedAt": iso(w.start),
            "distinctContactedCount": c.contacted,
            "optOutCount": c.opt_outs,
            "optOutRatePercent": _rate(c.opt_outs, c.contacted),
        },
        "trafficMetrics": {
            "windowDays": w.days,
            "windowStartedAt": iso(w.start),
            "smsSentCount": c.sms_sent,
            "smsFailedCount": c.sms_failures,
            "mmsSentCount": c.mms_sent,
            "mmsFailedCount": c.mms_failed,
            "callPlacedCount": c.calls_placed,
            "callFailedCount": c.calls_failed,
            "callConnectedCount": c.call_connected,
            "callShortCount": c.call_short,
            "callInvalidNumberCount": c.call_invalid,
            "trend": trend,
        },
        "recentEvents": f.events,
        "outboundCapacity": _capacity(f),
        "location": _location(loc),
    }


def _location(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {
        "location": loc.location,
        "state": loc.state,
        "countryCode": loc.country_code,
        "timeZoneId": loc.time_zone_id,
        "canonicalCity": loc.canonical_city,
        "canonicalState": loc.canonical_state,
    }
    if loc.coordinate is not None:
        latitude, longitude = loc.coordinate
        out["coordinate"] = {"latitude": latitude, "longitude": longitude}
    if loc.source is not None:
        method, query = loc.source
        out["coordinateSource"] = {"method": method, "query": query}
        out["timeZoneSource"] = {"method": method, "query": query}
    return out


def _capacity(f: _Facts) -> dict[str, Any]:
    p, s = f.timeline.profile, f.state
    out: dict[str, Any] = {"phoneNumberId": p.phone_number_id, "phoneNumber": p.number}
    for prefix, u in (("sms", f.sms), ("voice", f.voice)):
        for i, span in enumerate(("ThisMinute", "ThisHour", "Today")):
            out[f"{prefix}Used{span}"] = u.used[i]
            out[f"{prefix}Limit{span}"] = u.limit[i]
            out[f"{prefix}Remaining{span}"] = u.remaining[i]
        for i, span in enumerate(("Minutely", "Hourly", "Daily")):
            out[f"{prefix}{span}ResetsAt"] = iso(u.resets[i])
        out[f"{prefix}Ramping"] = s.ramp != "none"
        out[f"{prefix}RampDirection"] = s.ramp
    stopped = s.phase in (Kind.PAUSED, Kind.BLOCKED)
    out["healthStatus"] = s.outbound_health
    out["healthReason"] = s.outbound_reason
    out["smsApproved"] = s.phase is not Kind.BLOCKED
    out["capacityAvailable"] = not stopped and f.sms.remaining[2] > 0
    return out


# -- seed shape ------------------------------------------------------------------


def _n(value: int | None) -> str | None:
    return None if value is None else str(value)


def _render_seed(f: _Facts, huge: Huge | None) -> dict[str, Any]:
    p, s, c, w, tl = f.timeline.profile, f.state, f.in_window, f.window, f.timeline
    now_ts = f.now.timestamp()
    total = tl.cumulative(now_ts)
    done = p.completes_at if p.completes_at and p.completes_at < f.now else f.now
    warmed = tl.cumulative(done.timestamp())
    maker = f.maker
    actions = maker.recent_actions(
        huge.actions if huge else 5 + p.seed % 11, history=huge is not None
    )
    active = s.phase in (Kind.WARMING, Kind.ATTENTION)
    started = s.phase is not Kind.NOT_STARTED
    return {
        "number": p.number,
        "messagesPossible": _n(f.sms.limit[2]),
        "messagesWarmed": _n(warmed.sms_sent + warmed.mms_sent),
        "callsPossible": _n(f.voice.limit[2]),
        "warmupCallsMade": _n(warmed.calls_placed),
        "smsWarmup": {
            "phoneNumberId": p.phone_number_id,
            "phoneNumber": p.number,
            "healthScore": _n(s.score),
            "progressPercent": _n(s.progress),
            "sentCount": _n(total.sms_sent),
            "receivedCount": _n(total.received),
            "deliveredCount": _n(total.sms_ok),
            "failureCount": _n(total.sms_failures),
            "carrierRejectionCount": _n(total.rejections),
            "optOutSignalCount": _n(total.opt_outs),
            "spamSignalCount": _n(total.spam),
            "deliverySuccessRate": (
                f"{100 * total.sms_ok / total.sms_sent:.1f}" if total.sms_sent else None
            ),
            "nextScheduledActionAt": _ts(tl.next_slot_time(now_ts)) if active else None,
            "lastSuccessfulMessageAt": _ts(_last_delivered(maker, now_ts)),
            "lastHealthSnapshotAt": (
                iso(floor_to(f.now, timedelta(minutes=15))) if started else None
            ),
            "startedAt": iso(p.started_at) if started and p.started_at else None,
            "completedAt": iso(s.completed_at) if s.completed_at else None,
            "pauseReason": s.pause_reason,
            "blockReason": s.block_reason,
            "warmupEnabled": s.warmup_enabled,
            "isInternalPool": False,
            "isApprovedTestDestination": False,
            "isMessagingProgramApproved": not (s.block_reason or "").startswith("Messaging"),
            "globalWarmupEnabled": True,
            "canPause": s.can_pause,
            "canResume": s.can_resume,
            "uiState": {"tone": s.tone, "description": s.description},
            "recentActions": actions,
        },
        "optOutMetrics": {
            "windowDays": _n(w.days),
            "windowStartedAt": iso(w.start),
            "distinctContactedCount": _n(c.contacted),
            "optOutCount": _n(c.opt_outs),
            "optOutRatePercent": f"{_rate(c.opt_outs, c.contacted):.2f}",
        },
        "trafficMetrics": {
            "windowDays": _n(w.days),
            "windowStartedAt": iso(w.start),
            "smsSentCount": _n(c.sms_sent),
            "smsFailedCount": _n(c.sms_failures),
            "callPlacedCount": _n(c.calls_placed),
            "callFailedCount": _n(c.calls_failed),
        },
        "recentEvents": f.events,
    }


def _last_delivered(maker: EventMaker, now: float) -> float | None:
    k = maker.timeline.latest_slot(now)
    for slot in range(k, max(-1, k - 300), -1):
        t = maker.timeline.slot_time(slot)
        if maker.kind(slot, t) is EventKind.SMS_SENT:
            return t
    return None
