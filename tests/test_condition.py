"""One rule decides ok / warning / critical / unknown from either shape."""

from __future__ import annotations

from typing import Any

import pytest

from leadping_tui.api.condition import Condition, assess, tone_condition
from leadping_tui.api.models import PhoneNumberStatus


def condition_of(payload: dict[str, Any]) -> Condition:
    return assess(PhoneNumberStatus.model_validate(payload)).condition


@pytest.mark.parametrize(
    ("warmup", "expected"),
    [
        ({"status": "In Progress", "healthStatus": "Healthy", "healthScore": 90}, Condition.OK),
        ({"status": "Ready", "healthScore": 100}, Condition.OK),
        ({"status": "In Progress", "healthStatus": "Needs Attention"}, Condition.WARNING),
        ({"status": "Paused"}, Condition.WARNING),
        ({"pauseReason": "Paused by carrier"}, Condition.WARNING),
        ({"blockReason": "Spam content"}, Condition.CRITICAL),
        ({"status": "Blocked"}, Condition.CRITICAL),
        ({"healthStatus": "Blocked"}, Condition.CRITICAL),
        ({"uiState": {"tone": "danger"}}, Condition.CRITICAL),
        ({"uiState": {"tone": "warning"}, "healthScore": "95"}, Condition.WARNING),
        ({"healthScore": "55", "status": "In Progress"}, Condition.WARNING),
        ({"healthScore": "20", "status": "In Progress"}, Condition.CRITICAL),
        (
            {"status": "Not Started", "healthStatus": "Not Evaluated", "healthScore": 0},
            Condition.UNKNOWN,
        ),
        ({"uiState": {"tone": "sparkly"}}, Condition.UNKNOWN),
        ({}, Condition.UNKNOWN),
    ],
)
def test_condition_from_warmup(warmup: dict[str, Any], expected: Condition) -> None:
    assert condition_of({"smsWarmup": warmup}) is expected


def test_worst_signal_wins_and_reasons_are_ordered() -> None:
    status = PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {"status": "In Progress", "healthScore": 92, "pauseReason": "Cooling off"},
            "outboundCapacity": {"healthStatus": "suspended", "healthReason": "Carrier hold"},
        }
    )
    assessment = assess(status)
    assert assessment.condition is Condition.CRITICAL
    assert assessment.headline == "capacity suspended: Carrier hold"
    assert any(reason.startswith("paused:") for reason in assessment.reasons)


def test_no_status_is_unknown() -> None:
    assert assess(None).condition is Condition.UNKNOWN


def test_exit_codes_follow_monitoring_convention() -> None:
    assert [c.exit_code for c in (Condition.OK, Condition.WARNING, Condition.CRITICAL)] == [0, 1, 2]
    assert Condition.UNKNOWN.exit_code == 3


def test_every_condition_has_a_symbol_and_word() -> None:
    symbols = {c.symbol for c in Condition}
    words = {c.word for c in Condition}
    assert len(symbols) == len(Condition) and len(words) == len(Condition)


def test_tone_matching_ignores_case_and_spacing() -> None:
    assert tone_condition("  Danger ") is Condition.CRITICAL
    assert tone_condition(None) is Condition.UNKNOWN
