"""The events and warmup actions a number shows, generated slot by slot.

Event ``k`` of a number always has the same id, time, kind and text, so a
client can keep its selection across polls. Texts are friendly warmup chatter;
a few hold markup look-alikes and right-to-left text on purpose, because real
replies do and the client must show them literally.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leadping_tui.simulator.activity import CALL_SPLIT, MMS_FAILURE, EventKind, weights_at
from leadping_tui.simulator.clock import iso_ts
from leadping_tui.simulator.hashing import mix
from leadping_tui.simulator.scenarios import Kind, phase_at
from leadping_tui.simulator.timeline import Timeline

OUTBOUND_TEXTS = (
    "Hey! Are we still on for coffee Thursday?",
    "Running about 10 minutes late, sorry!",
    "Thanks for the help today \U0001f64f",
    "Did you see the game last night?",
    "Can you send me that recipe when you get a chance?",
    "Happy Friday! Any plans for the weekend?",
    "Just landed, will call you in a bit.",
    "Reminder: team lunch moved to 12:30.",
    "Got the package, thank you!",
    "How did the interview go?",
    "Picking up groceries, need anything?",
    "Meeting notes are in the shared folder.",
)
REPLY_TEXTS = (
    "Yes! See you then.",
    "No worries, take your time.",
    "Haha of course \U0001f604",
    "Sounds good \U0001f44d",
    "Sure, sending it now.",
    "Not yet, maybe tomorrow?",
    "[bold]Absolutely[/bold], count me in",
    "ok",
    "Thanks!! That made my day",
    "Can't talk now, text you later",
    "\u05e9\u05dc\u05d5\u05dd! see you soon",
    "So about Saturday: I checked with everyone and it looks like the park is free "
    "after two, but if it rains we can move it to my place, just let me know what "
    "works and I'll tell the others tonight.",
)
OPT_OUT_TEXTS = ("STOP", "STOP", "Stop", "STOP please")
_FAILURE_REASONS = {
    EventKind.SMS_FAILED: "Destination handset unreachable (30003)",
    EventKind.REJECTION: "Carrier rejected the message (30007: message filtered)",
}
_KINDS = tuple(EventKind)
_OUTBOUND_SMS = (EventKind.SMS_SENT, EventKind.SMS_FAILED, EventKind.REJECTION)


class EventMaker:
    """Renders one number's events and actions as API dicts."""

    def __init__(self, timeline: Timeline, now: datetime, *, sdk: bool) -> None:
        self.timeline = timeline
        self.profile = timeline.profile
        self.now = now.timestamp()
        self.sdk = sdk
        self.tag = f"{self.profile.seed:016x}"[:8]
        self._weights: dict[int, tuple[float, ...]] = {}
        self._forced = self._forced_kinds()
        self._bit_seed = mix(self.profile.seed, 17)
        self._bit_cache: dict[int, int] = {}
        trouble = self.profile.trouble_at
        self._trouble = trouble.timestamp() if trouble is not None else None

    def _forced_kinds(self) -> dict[int, EventKind]:
        """Events that must be there for a scenario to read right."""
        p, tl = self.profile, self.timeline
        if p.stopped_at is None:
            return {}
        last = tl.slots_before(p.stopped_at.timestamp()) - 1
        if p.kind is Kind.PAUSED:
            return {last - i: EventKind.REJECTION for i in range(3)}
        if p.kind is Kind.BLOCKED:
            return {last - i: (EventKind.SPAM, EventKind.REJECTION)[i % 2] for i in range(4)}
        return {}

    def _bits(self, k: int) -> int:
        """64 random bits for slot ``k``; each choice below reads its own bit field."""
        bits = self._bit_cache.get(k)
        if bits is None:
            bits = self._bit_cache[k] = mix(self._bit_seed, k)
        return bits

    def kind(self, k: int, t: float) -> EventKind:
        """What slot ``k`` (at ``t``) holds."""
        forced = self._forced.get(k)
        if forced is not None:
            return forced
        if self._trouble is not None and t >= self._trouble and k % 17 == 3:
            return EventKind.OPT_OUT
        if k % 11 == 5:
            return EventKind.REPLY
        hour = int(t // 3600)
        weights = self._weights.get(hour)
        if weights is None:
            weights = weights_at(self.profile, datetime.fromtimestamp(t, UTC))
            self._weights[hour] = weights
        r = (self._bits(k) & 0xFFFFFFFF) / 4294967296.0
        for kind, w in zip(_KINDS, weights, strict=True):
            r -= w
            if r < 0:
                return kind
        return EventKind.SMS_SENT

    def _partner(self, k: int) -> tuple[int, str]:
        i = (self._bits(k) >> 32 & 0xFF) % len(self.profile.partners)
        return i, self.profile.partners[i]

    def _text(self, texts: tuple[str, ...], k: int) -> str:
        return texts[(self._bits(k) >> 40 & 0xFF) % len(texts)]

    def event(self, k: int) -> dict[str, Any]:
        """Slot ``k`` as a ``recentEvents`` item."""
        t = self.timeline.slot_time(k)
        kind = self.kind(k, t)
        _, partner = self._partner(k)
        me = self.profile.number
        outbound = kind not in (EventKind.REPLY, EventKind.OPT_OUT)
        label, event_type, text, status = self._describe(kind, k, t)
        event: dict[str, Any] = {
            "id": f"evt_{self.tag}_{k:07d}" if k >= 0 else f"evt_{self.tag}_h{-k:07d}",
            "createdAt": iso_ts(t),
            "label": label,
            "eventType": event_type,
            "direction": "outbound" if outbound else "inbound",
            "fromPhoneNumber": me if outbound else partner,
            "toPhoneNumber": partner if outbound else me,
            "textPreview": text,
            "isOptOut": kind is EventKind.OPT_OUT,
        }
        if self.sdk:
            event["isDemo"] = True
        else:
            event["providerStatus"] = status
        return event

    def _describe(self, kind: EventKind, k: int, t: float) -> tuple[str, str, str, str]:
        """(label, eventType, textPreview, providerStatus) of one event."""
        if kind is EventKind.SMS_SENT:
            status = "sent" if self.now - t < 60 else "delivered"
            return "Warmup SMS sent", "sms.outbound", self._text(OUTBOUND_TEXTS, k), status
        if kind is EventKind.RECEIPT:
            return "Delivery receipt", "sms.status", "Delivered to handset", "delivered"
        if kind is EventKind.REPLY:
            return "Reply received", "sms.inbound", self._text(REPLY_TEXTS, k), "received"
        if kind is EventKind.OPT_OUT:
            return "Opt-out received", "sms.inbound", self._text(OPT_OUT_TEXTS, k), "received"
        if kind is EventKind.SMS_FAILED:
            return "Warmup SMS failed", "sms.outbound", self._text(OUTBOUND_TEXTS, k), "failed"
        if kind is EventKind.REJECTION:
            text = self._text(OUTBOUND_TEXTS, k)
            return "Carrier rejection", "sms.outbound", text, "undelivered"
        if kind is EventKind.SPAM:
            text = "Carrier flagged message content as spam (30007)"
            return "Spam signal", "sms.status", text, "undelivered"
        if kind is EventKind.MMS_SENT:
            failed = (self._bits(k) >> 48 & 0xFFFF) / 65536.0 < MMS_FAILURE
            text = "\U0001f4f7 " + self._text(OUTBOUND_TEXTS, k)
            return "Warmup MMS sent", "mms.outbound", text, "failed" if failed else "delivered"
        return self._call(k)

    def _call(self, k: int) -> tuple[str, str, str, str]:
        bits = self._bits(k)
        r = (bits >> 48 & 0xFFFF) / 65536.0
        seconds = 20 + (bits >> 32 & 0xFFFF) % 160
        if r < CALL_SPLIT[0]:
            text, status = f"Call connected, {seconds // 60}m {seconds % 60:02d}s", "completed"
        elif r < CALL_SPLIT[0] + CALL_SPLIT[1]:
            text, status = f"Short call, 0m {seconds % 9 + 2:02d}s", "completed"
        elif r < CALL_SPLIT[0] + CALL_SPLIT[1] + CALL_SPLIT[2]:
            text, status = "Number not in service", "failed"
        else:
            text, status = "No answer", "no-answer"
        return "Warmup call placed", "call.outbound", text, status

    def recent_events(self, count: int, *, history: bool = False) -> list[dict[str, Any]]:
        """The newest ``count`` events, newest first.

        With ``history`` the list may reach back before the warmup started
        (only the ``huge`` fault wants that many).
        """
        if not self.timeline.segments:
            return []
        latest = self.timeline.latest_slot(self.now)
        oldest = latest - count + 1 if history else max(0, latest - count + 1)
        return [self.event(k) for k in range(latest, oldest - 1, -1)]

    def recent_actions(self, count: int, *, history: bool = False) -> list[dict[str, Any]]:
        """The newest warmup actions (outbound SMS), one still scheduled when warming."""
        if not self.timeline.segments:
            return []
        tl = self.timeline
        actions: list[dict[str, Any]] = []
        now = datetime.fromtimestamp(self.now, UTC)
        next_at = tl.next_slot_time(self.now)
        if next_at is not None and phase_at(self.profile, now) in (Kind.WARMING, Kind.ATTENTION):
            actions.append(self._action(tl.latest_slot(self.now) + 1, next_at, None, False))
        k = tl.latest_slot(self.now)
        floor = -10 * count if history else 0
        while len(actions) < count and k >= floor:
            t = tl.slot_time(k)
            kind = self.kind(k, t)
            if kind in _OUTBOUND_SMS:
                actions.append(self._action(k, t, _FAILURE_REASONS.get(kind), True))
            k -= 1
        return actions

    def _action(self, k: int, t: float, failure: str | None, executed: bool) -> dict[str, Any]:
        conversation, partner = self._partner(k)
        lead = 30 + (self._bits(k) >> 48 & 0xFF) % 120
        return {
            "id": f"act_{self.tag}_{k:07d}" if k >= 0 else f"act_{self.tag}_h{-k:07d}",
            "conversationId": f"conv_{self.tag}_{conversation}",
            "fromPhoneNumber": self.profile.number,
            "toPhoneNumber": partner,
            "body": self._text(OUTBOUND_TEXTS, k),
            "scheduledAt": iso_ts(t - (lead if executed else 0)),
            "executedAt": iso_ts(t) if executed else None,
            "failureReason": failure,
        }
