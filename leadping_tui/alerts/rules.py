"""Alert rules: which changes between two statuses deserve the user's attention.

:class:`AlertEngine` compares the previous and the current snapshot of a
number each time a status is fetched and returns only *new* alerts:

* **condition** — the condition got worse (ok → warning → critical).  A
  number coming out of *unknown* (not evaluated, no signals) is not "worse".
* **paused** / **blocked** — a pause or block reason appeared or changed.  The
  condition alert that the same change would also raise is left out.
* **score_drop** — the health score fell at least ``score_drop_points`` below
  the baseline (the highest score of the last ``score_drop_hours``, see
  :func:`leadping_tui.store.history_trends.score_baseline`; without one, the previous
  status).  Raised when the drop first reaches the threshold.
* **opt_out_rate** — the opt-out rate went from below the threshold to at or
  above it, both counted over the same window (a rate over 30 days is not
  comparable with one over 7).

De-duplication: an alert's ``key`` names its cause; the same key is not raised
again within ``cooldown_minutes``.  So a condition flapping warning ↔ ok
raises at most once per cooldown, and a cause that clears and comes back
after the cooldown is raised again.  :meth:`AlertEngine.remember` seeds this
memory from the alert log so a restart does not repeat recent alerts.

First status of a number in this session: nothing is compared, except that a
number already critical (blocked, or critical for another reason) is raised
once, so a user starting the app on a blocked number is told.  When the
history holds an earlier status (from a previous session) the usual rules
apply to it as well, so a change that happened while the app was closed is
reported.

Messages are plain text holding third-party reasons verbatim; whoever shows
them must neutralise them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from leadping_tui.api.condition import Condition
from leadping_tui.store.history_schema import Snapshot, now_utc

if TYPE_CHECKING:
    from leadping_tui.store.settings_model import AlertSettings

__all__ = ["KINDS", "Alert", "AlertEngine", "AlertRules"]

KINDS = ("condition", "paused", "blocked", "score_drop", "opt_out_rate")
_MEMORY_LIMIT = 2000


@dataclass(frozen=True)
class AlertRules:
    """When to raise an alert.  A threshold of 0 turns its rule off."""

    on_condition_worse: bool = True
    on_reason: bool = True
    score_drop_points: float = 10.0
    score_drop_hours: float = 6.0
    opt_out_rate_percent: float = 2.0
    cooldown_minutes: float = 60.0

    @classmethod
    def from_settings(
        cls, settings: AlertSettings, *, cooldown_minutes: float = 60.0
    ) -> AlertRules:
        """The rules as the user configured them in ``settings.toml``."""
        return cls(
            on_condition_worse=settings.on_condition_worse,
            on_reason=settings.on_reason,
            score_drop_points=settings.score_drop_points,
            score_drop_hours=settings.score_drop_hours,
            opt_out_rate_percent=settings.opt_out_rate_percent,
            cooldown_minutes=cooldown_minutes,
        )


@dataclass(frozen=True)
class Alert:
    """One thing that got worse, worth telling the user about."""

    number: str
    kind: str
    severity: Condition
    title: str
    message: str
    at: datetime
    key: str


def _digest(text: str) -> str:
    # Reasons can be long third-party text; the key only needs to tell them apart.
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:12]


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


# Scores and rates arrive as decimals: 80.3 - 70.3 must count as a 10-point drop.
_EPSILON = 1e-9


class AlertEngine:
    """Turns pairs of snapshots into new, de-duplicated alerts."""

    def __init__(self, rules: AlertRules, *, clock: Callable[[], datetime] = now_utc) -> None:
        self.rules = rules
        self._clock = clock
        self._raised: dict[str, datetime] = {}
        self._looked_at: set[str] = set()

    def remember(self, alerts: Iterable[Alert]) -> None:
        """Treat these (earlier) alerts as raised, for de-duplication."""
        for alert in alerts:
            if alert.key not in self._raised or self._raised[alert.key] < alert.at:
                self._raised[alert.key] = alert.at

    def evaluate(
        self,
        number: str,
        previous: Snapshot | None,
        current: Snapshot,
        *,
        score_baseline: Snapshot | None = None,
    ) -> list[Alert]:
        """The new alerts this status raises (empty most of the time)."""
        now = self._clock()
        first_look = number not in self._looked_at
        self._looked_at.add(number)
        candidates: list[Alert] = []
        if previous is not None and self.rules.on_reason:
            candidates += self._reasons(number, previous, current, now)
        if first_look and current.condition is Condition.CRITICAL:
            candidates += self._already_critical(number, current, now)
        if previous is not None:
            candidates += self._condition(number, previous, current, now, candidates)
            candidates += self._score_drop(number, previous, current, score_baseline, now)
            candidates += self._opt_out(number, previous, current, now)
        return self._fresh(candidates, now)

    def _fresh(self, candidates: list[Alert], now: datetime) -> list[Alert]:
        cooldown = timedelta(minutes=self.rules.cooldown_minutes)
        fresh: list[Alert] = []
        for alert in candidates:
            last = self._raised.get(alert.key)
            if any(a.key == alert.key for a in fresh) or (
                last is not None and now - last < cooldown
            ):
                continue
            fresh.append(alert)
        for alert in fresh:
            self._raised[alert.key] = now
        if len(self._raised) > _MEMORY_LIMIT:
            self._raised = {k: t for k, t in self._raised.items() if now - t < cooldown}
        return fresh

    def _alert(
        self,
        number: str,
        kind: str,
        severity: Condition,
        title: str,
        message: str,
        *,
        at: datetime,
        detail: str = "",
    ) -> Alert:
        key = f"{number}:{kind}:{detail}" if detail else f"{number}:{kind}"
        return Alert(number, kind, severity, title, message, at, key)

    def _reasons(
        self, number: str, previous: Snapshot, current: Snapshot, now: datetime
    ) -> list[Alert]:
        found = []
        for kind, severity, old, new in (
            ("blocked", Condition.CRITICAL, previous.block_reason, current.block_reason),
            ("paused", Condition.WARNING, previous.pause_reason, current.pause_reason),
        ):
            if new and new != old:
                found.append(self._reason_alert(number, kind, severity, new, now))
        return found

    def _reason_alert(
        self, number: str, kind: str, severity: Condition, reason: str, now: datetime
    ) -> Alert:
        label = "Block" if kind == "blocked" else "Pause"
        return self._alert(
            number,
            kind,
            severity,
            f"{number} {kind}",
            f"{label} reason: {reason}",
            at=now,
            detail=_digest(reason),
        )

    def _already_critical(self, number: str, current: Snapshot, now: datetime) -> list[Alert]:
        if current.block_reason and self.rules.on_reason:
            return [
                self._reason_alert(number, "blocked", Condition.CRITICAL, current.block_reason, now)
            ]
        if not self.rules.on_condition_worse:
            return []
        return [self._condition_alert(number, None, current, now)]

    def _condition(
        self,
        number: str,
        previous: Snapshot,
        current: Snapshot,
        now: datetime,
        so_far: list[Alert],
    ) -> list[Alert]:
        old, new = previous.condition, current.condition
        worse = old is not Condition.UNKNOWN and new.severity > old.severity
        if not (self.rules.on_condition_worse and worse):
            return []
        alert = self._condition_alert(number, previous, current, now)
        if any(
            a.kind in ("blocked", "paused") and a.severity.severity >= new.severity for a in so_far
        ):
            # The reason alert already says it, with the reason; remember this
            # cause as told so it is not raised on its own a moment later.
            self._raised[alert.key] = now
            return []
        return [alert]

    def _condition_alert(
        self, number: str, previous: Snapshot | None, current: Snapshot, now: datetime
    ) -> Alert:
        new = current.condition
        details = [
            f"state {current.state}" if current.state else "",
            f"health {current.health_status}" if current.health_status else "",
        ]
        detail = ", ".join(d for d in details if d)
        change = (
            f"went from {previous.condition.value} to {new.value}"
            if previous
            else f"is {new.value}"
        )
        message = f"Condition {change}" + (f" ({detail})." if detail else ".")
        return self._alert(
            number,
            "condition",
            new,
            f"{number} is {new.value}",
            message,
            at=now,
            detail=new.value,
        )

    def _score_drop(
        self,
        number: str,
        previous: Snapshot,
        current: Snapshot,
        baseline: Snapshot | None,
        now: datetime,
    ) -> list[Alert]:
        points = self.rules.score_drop_points
        base = baseline if baseline is not None and baseline.score is not None else previous
        if points <= 0 or current.score is None or base.score is None:
            return []
        drop = base.score - current.score
        was_dropped = (
            previous.score is not None and base.score - previous.score + _EPSILON >= points
        )
        if drop + _EPSILON < points or was_dropped:
            return []
        message = (
            f"Health score fell {_fmt(drop)} points, from {_fmt(base.score)} to "
            f"{_fmt(current.score)}, within {_fmt(self.rules.score_drop_hours)} h."
        )
        return [
            self._alert(
                number,
                "score_drop",
                Condition.WARNING,
                f"{number} health score dropped",
                message,
                at=now,
            )
        ]

    def _opt_out(
        self, number: str, previous: Snapshot, current: Snapshot, now: datetime
    ) -> list[Alert]:
        limit = self.rules.opt_out_rate_percent
        old, new = previous.opt_out_rate, current.opt_out_rate
        if limit <= 0 or old is None or new is None or not old < limit <= new:
            return []
        if previous.window != current.window:
            return []
        message = (
            f"Opt-out rate rose from {_fmt(old, 2)}% to {_fmt(new, 2)}%, "
            f"reaching the {_fmt(limit, 2)}% threshold."
        )
        return [
            self._alert(
                number,
                "opt_out_rate",
                Condition.WARNING,
                f"{number} opt-out rate {_fmt(new, 2)}%",
                message,
                at=now,
            )
        ]
