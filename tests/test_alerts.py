"""Alert rules, de-duplication, the first-status policy and the alert log."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadping_tui.alerts import Alert, AlertEngine, AlertLog, AlertRules
from leadping_tui.api.condition import Condition
from leadping_tui.store.history_schema import Snapshot

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
N = "+12025550102"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def snap(
    condition: Condition = Condition.OK,
    *,
    score: float | None = 85,
    opt_out_rate: float | None = 0.5,
    pause: str | None = None,
    block: str | None = None,
    state: str | None = "In Progress",
) -> Snapshot:
    return Snapshot(
        N,
        T0,
        "last 7 d",
        condition,
        score=score,
        opt_out_rate=opt_out_rate,
        state=state,
        health_status="Healthy",
        pause_reason=pause,
        block_reason=block,
    )


OK = snap()
WARN = snap(Condition.WARNING)
CRIT = snap(Condition.CRITICAL)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(clock: Clock) -> AlertEngine:
    engine = AlertEngine(AlertRules(), clock=clock)
    engine.evaluate(N, None, OK)  # the number has been looked at once
    return engine


def kinds(alerts: list[Alert]) -> list[tuple[str, Condition]]:
    return [(a.kind, a.severity) for a in alerts]


def test_condition_getting_worse_raises_each_step(engine: AlertEngine, clock: Clock) -> None:
    assert kinds(engine.evaluate(N, OK, WARN)) == [("condition", Condition.WARNING)]
    clock.advance(minutes=1)
    alerts = engine.evaluate(N, WARN, CRIT)
    assert kinds(alerts) == [("condition", Condition.CRITICAL)]
    assert alerts[0].message == (
        "Condition went from warning to critical (state In Progress, health Healthy)."
    )
    assert alerts[0].key == f"{N}:condition:critical" and alerts[0].at == clock.now


def test_better_or_out_of_unknown_is_not_an_alert(engine: AlertEngine) -> None:
    unknown = snap(Condition.UNKNOWN)
    assert engine.evaluate(N, unknown, OK) == []
    assert engine.evaluate(N, unknown, WARN) == []
    assert engine.evaluate(N, CRIT, WARN) == []
    assert engine.evaluate(N, WARN, OK) == []
    assert engine.evaluate(N, OK, OK) == []


def test_flapping_condition_raises_once_per_cooldown(engine: AlertEngine, clock: Clock) -> None:
    raised = []
    state = OK
    for step in range(20):
        clock.advance(minutes=2)
        new = WARN if step % 2 == 0 else OK
        raised += engine.evaluate(N, state, new)
        state = new
    assert len(raised) == 1  # 40 min of flapping, cooldown 60 min
    clock.advance(minutes=30)  # the cause cleared (state is OK) and comes back later
    again = engine.evaluate(N, OK, WARN)
    assert kinds(again) == [("condition", Condition.WARNING)]


def test_cooldown_boundary(engine: AlertEngine, clock: Clock) -> None:
    assert engine.evaluate(N, OK, WARN)
    clock.advance(minutes=59)
    assert engine.evaluate(N, OK, WARN) == []
    clock.advance(minutes=1)
    assert engine.evaluate(N, OK, WARN)


def test_reason_appearing_or_changing_raises_and_replaces_the_condition_alert(
    engine: AlertEngine, clock: Clock
) -> None:
    paused = snap(Condition.WARNING, pause="Opt-outs rising", state="Paused")
    alerts = engine.evaluate(N, OK, paused)
    assert kinds(alerts) == [("paused", Condition.WARNING)]
    assert alerts[0].message == "Pause reason: Opt-outs rising"
    assert engine.evaluate(N, paused, paused) == []
    changed = replace(paused, pause_reason="Carrier review \x1b[31m")
    alerts = engine.evaluate(N, paused, changed)
    assert kinds(alerts) == [("paused", Condition.WARNING)]
    assert alerts[0].message.endswith("\x1b[31m")  # kept raw: the UI neutralises it
    blocked = snap(Condition.CRITICAL, block="Spam complaints", state="Blocked")
    assert kinds(engine.evaluate(N, changed, blocked)) == [("blocked", Condition.CRITICAL)]
    # The condition alert the block implied is not raised a moment later either.
    clock.advance(minutes=5)
    assert engine.evaluate(N, WARN, CRIT) == []


def test_reason_rule_can_be_turned_off(clock: Clock) -> None:
    engine = AlertEngine(AlertRules(on_reason=False, on_condition_worse=False), clock=clock)
    engine.evaluate(N, None, OK)
    assert engine.evaluate(N, OK, snap(Condition.CRITICAL, block="x")) == []


@pytest.mark.parametrize(
    ("baseline", "current", "fires"),
    [
        (85, 75, True),
        (85, 75.1, False),
        (80.3, 70.3, True),
        (85, 60, True),
        (None, 75, True),
        (None, 76, False),
    ],
)
def test_score_drop_threshold(
    engine: AlertEngine, baseline: float | None, current: float, fires: bool
) -> None:
    previous = snap(score=baseline if baseline is not None else 85)
    base = snap(score=baseline) if baseline is not None else None
    alerts = engine.evaluate(N, previous, snap(score=current), score_baseline=base)
    assert kinds(alerts) == ([("score_drop", Condition.WARNING)] if fires else [])


def test_score_drop_is_raised_when_it_first_reaches_the_threshold(
    engine: AlertEngine, clock: Clock
) -> None:
    base = snap(score=90)
    assert engine.evaluate(N, snap(score=90), snap(score=84), score_baseline=base) == []
    alerts = engine.evaluate(N, snap(score=84), snap(score=79), score_baseline=base)
    assert alerts[0].message == "Health score fell 11 points, from 90 to 79, within 6 h."
    clock.advance(hours=2)  # past the cooldown, still down: not raised again
    assert engine.evaluate(N, snap(score=79), snap(score=78), score_baseline=base) == []


@pytest.mark.parametrize(
    ("old", "new", "fires"),
    [(1.5, 2.0, True), (1.5, 1.99, False), (2.0, 3.0, False), (None, 5.0, False), (0.1, 9, True)],
)
def test_opt_out_rate_crossing(
    engine: AlertEngine, old: float | None, new: float, fires: bool
) -> None:
    alerts = engine.evaluate(N, snap(opt_out_rate=old), snap(opt_out_rate=new))
    assert kinds(alerts) == ([("opt_out_rate", Condition.WARNING)] if fires else [])
    if fires and old == 1.5:
        assert alerts[0].message == "Opt-out rate rose from 1.5% to 2%, reaching the 2% threshold."


def test_first_status_is_quiet_unless_already_critical(clock: Clock) -> None:
    engine = AlertEngine(AlertRules(), clock=clock)
    assert engine.evaluate(N, None, WARN) == []
    assert engine.evaluate("+12025550103", None, snap(Condition.WARNING, pause="p")) == []
    blocked = snap(Condition.CRITICAL, block="Carrier block")
    alerts = engine.evaluate("+12025550104", None, blocked)
    assert kinds(alerts) == [("blocked", Condition.CRITICAL)]
    critical = engine.evaluate("+12025550105", None, CRIT)
    assert [a.message for a in critical] == [
        "Condition is critical (state In Progress, health Healthy)."
    ]
    # Told once: the next status of the same blocked number is quiet.
    assert engine.evaluate("+12025550104", blocked, blocked) == []


def test_first_look_this_session_compares_with_the_stored_previous(
    clock: Clock, tmp_path: Path
) -> None:
    engine = AlertEngine(AlertRules(), clock=clock)
    # A change that happened while the app was closed is reported.
    assert kinds(engine.evaluate("+1", OK, WARN)) == [("condition", Condition.WARNING)]
    blocked = snap(Condition.CRITICAL, block="b")
    # Blocked in the last session and still blocked: told once on start...
    told = engine.evaluate(N, blocked, blocked)
    assert kinds(told) == [("blocked", Condition.CRITICAL)]
    # ...but not again after a restart within the cooldown, thanks to the log.
    log = AlertLog(tmp_path / "alerts.jsonl")
    log.extend(told)
    clock.advance(minutes=10)
    restarted = AlertEngine(AlertRules(), clock=clock)
    restarted.remember(log.recent())
    assert restarted.evaluate(N, blocked, blocked) == []
    clock.advance(hours=1)
    again = AlertEngine(AlertRules(), clock=clock)
    again.remember(log.recent())
    assert kinds(again.evaluate(N, blocked, blocked)) == [("blocked", Condition.CRITICAL)]


def _alert(i: int, message: str = "m") -> Alert:
    return Alert(
        N, "condition", Condition.WARNING, f"t{i}", message, T0 + timedelta(seconds=i), f"k{i}"
    )


def test_alert_log_round_trip_and_tail(tmp_path: Path) -> None:
    log = AlertLog(tmp_path / "data" / "alerts.jsonl")
    assert log.recent() == []
    hostile = _alert(0, "Block reason: \x1b]0;pwned\x07 ünïcode")
    log.append(hostile)
    log.extend(_alert(i) for i in range(1, 500))
    assert log.recent(1) == [_alert(499)]
    assert log.recent(limit=3) == [_alert(497), _alert(498), _alert(499)]
    everything = log.recent(limit=1000)
    assert everything[0] == hostile and len(everything) == 500
    assert b"\x1b" not in log.path.read_bytes()
    assert (log.path.stat().st_mode & 0o777) == 0o600


def test_alert_log_skips_broken_lines(tmp_path: Path) -> None:
    log = AlertLog(tmp_path / "alerts.jsonl")
    log.append(_alert(1))
    with log.path.open("ab") as handle:
        handle.write(b'{"torn": \n\xff\xfe garbage\n[]\n{"number": 5}\n')
        handle.write(
            json.dumps(
                {**json.loads(log.path.read_text().splitlines()[0]), "severity": "x"}
            ).encode()
            + b"\n"
        )
    log.append(_alert(2))
    assert log.recent() == [_alert(1), _alert(2)]


def test_alert_log_rotates_and_reads_across_the_rotation(tmp_path: Path) -> None:
    log = AlertLog(tmp_path / "alerts.jsonl", max_bytes=2000)
    for i in range(40):
        log.append(_alert(i))
    assert log.rotated.exists()
    assert log.path.stat().st_size <= 2000 + 400
    assert log.rotated.stat().st_size <= 2000 + 400
    recent = log.recent(limit=10)
    assert recent == [_alert(i) for i in range(30, 40)]
    both = log.recent(limit=1000)
    assert both[-1] == _alert(39) and len(both) < 40  # the oldest rotated away
    assert [a.title for a in both] == [f"t{i}" for i in range(40 - len(both), 40)]
