"""The models read both response shapes and survive odd payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from leadping_tui.api.models import PhoneNumberStatus

SEED = {
    "number": "+12025550101",
    "messagesPossible": "120",
    "messagesWarmed": "45",
    "callsPossible": "10",
    "warmupCallsMade": "3",
    "smsWarmup": {
        "phoneNumberId": "pn_1",
        "phoneNumber": "+12025550101",
        "healthScore": "88",
        "progressPercent": "42",
        "sentCount": "210",
        "receivedCount": "30",
        "deliveredCount": "201",
        "failureCount": "4",
        "carrierRejectionCount": "1",
        "optOutSignalCount": "2",
        "spamSignalCount": "0",
        "deliverySuccessRate": "97",
        "nextScheduledActionAt": "2026-11-27T10:05:00Z",
        "lastSuccessfulMessageAt": "2026-11-27T09:59:00Z",
        "lastHealthSnapshotAt": "2026-11-27T09:00:00Z",
        "startedAt": "2026-11-10T08:00:00Z",
        "completedAt": None,
        "pauseReason": None,
        "blockReason": None,
        "warmupEnabled": True,
        "isInternalPool": False,
        "isApprovedTestDestination": True,
        "isMessagingProgramApproved": True,
        "globalWarmupEnabled": True,
        "canPause": True,
        "canResume": False,
        "uiState": {"tone": "success", "description": "Warming up steadily"},
        "recentActions": [
            {
                "id": "act_1",
                "conversationId": "c_1",
                "fromPhoneNumber": "+12025550101",
                "toPhoneNumber": "+12025550150",
                "body": "Hi there",
                "scheduledAt": "2026-11-27T09:58:00Z",
                "executedAt": "2026-11-27T09:58:05Z",
                "failureReason": None,
            }
        ],
    },
    "optOutMetrics": {
        "windowDays": "7",
        "windowStartedAt": "2026-11-20T00:00:00Z",
        "distinctContactedCount": "250",
        "optOutCount": "2",
        "optOutRatePercent": "0.8",
    },
    "trafficMetrics": {
        "windowDays": "7",
        "windowStartedAt": "2026-11-20T00:00:00Z",
        "smsSentCount": "180",
        "smsFailedCount": "3",
        "callPlacedCount": "5",
        "callFailedCount": "0",
    },
    "recentEvents": [
        {
            "id": "ev_1",
            "createdAt": "2026-11-27T09:59:00Z",
            "label": "Warmup SMS sent",
            "eventType": "sms.outbound",
            "direction": "outbound",
            "fromPhoneNumber": "+12025550101",
            "toPhoneNumber": "+12025550150",
            "textPreview": "Hi there",
            "providerStatus": "delivered",
            "isOptOut": False,
        }
    ],
}

SDK = {
    "number": "+12025550101",
    "messagesPossible": 120,
    "callsPossible": 10,
    "smsWarmup": {
        "phoneNumberId": "pn_1",
        "phoneNumber": "+12025550101",
        "healthScore": 88,
        "progressPercent": 42,
        "warmupEnabled": True,
        "status": "In Progress",
        "healthStatus": "Healthy",
        "uiState": {"tone": "success", "description": "Warming", "label": "In Progress"},
    },
    "optOutMetrics": {"windowDays": 7, "optOutRatePercent": 0.8},
    "trafficMetrics": {
        "windowDays": 7,
        "smsSentCount": 180,
        "mmsSentCount": 2,
        "callConnectedCount": 4,
        "trend": [{"startAt": "2026-11-26T00:00:00Z", "label": "Nov 26", "smsSentCount": 30}],
    },
    "outboundCapacity": {"healthStatus": "warmup", "smsLimitToday": 50, "smsUsedToday": 20},
    "location": {"location": "Washington, DC", "countryCode": "US"},
    "recentEvents": [{"id": "ev_1", "isDemo": True, "createdAt": "2026-11-27T09:59:00Z"}],
}


def test_seed_shape_numbers_become_numbers() -> None:
    status = PhoneNumberStatus.model_validate(SEED)
    assert status.messages_possible == 120
    assert status.warmup_calls_made == 3
    warmup = status.sms_warmup
    assert warmup is not None
    assert warmup.health_score == 88.0
    assert warmup.delivery_success_rate == 97.0
    assert warmup.can_resume is False
    assert warmup.started_at == datetime(2026, 11, 10, 8, tzinfo=UTC)
    assert warmup.recent_actions[0].executed_at is not None
    assert status.opt_out_metrics is not None
    assert status.opt_out_metrics.opt_out_rate_percent == 0.8
    assert status.recent_events[0].provider_status == "delivered"


def test_sdk_shape_reads_the_newer_sections() -> None:
    status = PhoneNumberStatus.model_validate(SDK)
    assert status.sms_warmup is not None
    assert status.sms_warmup.status == "In Progress"
    assert status.sms_warmup.ui_state is not None
    assert status.sms_warmup.ui_state.label == "In Progress"
    assert status.traffic_metrics is not None
    assert status.traffic_metrics.trend[0].sms_sent_count == 30
    assert status.outbound_capacity is not None
    assert status.outbound_capacity.sms_limit_today == 50
    assert status.location is not None and status.location.country_code == "US"
    assert status.recent_events[0].is_demo is True
    assert status.messages_warmed is None


def test_unknown_fields_and_enum_values_are_kept_and_serialised_back() -> None:
    payload = {
        "number": "+12025550101",
        "brandNewSection": {"x": 1},
        "smsWarmup": {"status": "Hibernating", "futureFlag": True},
    }
    status = PhoneNumberStatus.model_validate(payload)
    assert status.sms_warmup is not None
    assert status.sms_warmup.status == "Hibernating"
    assert status.unknown_fields == {"brandNewSection": {"x": 1}}
    out = status.to_api_json()
    assert out["brandNewSection"] == {"x": 1}
    assert out["smsWarmup"]["futureFlag"] is True
    assert out["smsWarmup"]["status"] == "Hibernating"


def test_json_output_uses_camel_case_and_numbers() -> None:
    out = PhoneNumberStatus.model_validate(SEED).to_api_json()
    assert out["messagesPossible"] == 120
    assert out["smsWarmup"]["healthScore"] == 88
    assert type(out["smsWarmup"]["healthScore"]) is int
    assert out["smsWarmup"]["startedAt"] == "2026-11-10T08:00:00Z"
    assert "messages_possible" not in out


def test_garbled_scalars_become_none_not_errors() -> None:
    payload = {
        "messagesPossible": "lots",
        "smsWarmup": {
            "healthScore": "NaN",
            "progressPercent": {"nested": 1},
            "startedAt": "yesterday",
            "warmupEnabled": "maybe",
            "recentActions": "not a list",
        },
        "recentEvents": [1, "two", None, {"id": 5, "createdAt": "2026-13-40"}],
        "trafficMetrics": "oops",
    }
    status = PhoneNumberStatus.model_validate(payload)
    assert status.messages_possible is None
    assert status.sms_warmup is not None
    assert status.sms_warmup.health_score is None
    assert status.sms_warmup.progress_percent is None
    assert status.sms_warmup.started_at is None
    assert status.sms_warmup.warmup_enabled is None
    assert status.sms_warmup.recent_actions == []
    assert status.traffic_metrics is None
    assert len(status.recent_events) == 1
    assert status.recent_events[0].id == "5"
    assert status.recent_events[0].created_at is None


def test_naive_and_offset_timestamps_become_aware() -> None:
    status = PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {
                "startedAt": "2026-11-10T08:00:00",
                "completedAt": "2026-11-10T10:00:00+02:00",
            }
        }
    )
    assert status.sms_warmup is not None
    assert status.sms_warmup.started_at == datetime(2026, 11, 10, 8, tzinfo=UTC)
    completed = status.sms_warmup.completed_at
    assert completed is not None
    assert completed.utcoffset() is not None
    assert completed.astimezone(UTC) == datetime(2026, 11, 10, 8, tzinfo=UTC)


def test_numeric_strings_follow_the_seed_pattern_and_nothing_else() -> None:
    status = PhoneNumberStatus.model_validate(
        {"messagesPossible": "12.0", "callsPossible": 7.6, "smsWarmup": {"healthScore": 91.5}}
    )
    # "12.0" does not match ^-?(?:0|[1-9]\d*)$ and 7.6 is no count: unknown, not rounded.
    assert status.messages_possible is None
    assert status.calls_possible is None
    assert status.sms_warmup is not None and status.sms_warmup.health_score == 91.5


@pytest.mark.parametrize(
    ("text", "count", "rate"),
    [
        ("27", 27, 27),
        ("-3", -3, -3),
        ("0", 0, 0),
        ("0,27", None, None),  # a decimal comma: 27 would be 100x the intent
        ("1,234", None, None),
        ("0.27", None, 0.27),
        ("97.5", None, 97.5),
        ("45%", None, None),
        ("1e3", None, None),
        ("007", None, None),
        (" 7 ", None, None),
        ("+7", None, None),
        ("1_000", None, None),
        ("١٢", None, None),
        ("12.", None, None),
        (".5", None, None),
        ("NaN", None, None),
        ("", None, None),
    ],
)
def test_number_text_is_read_by_the_pattern_only(
    text: str, count: int | None, rate: float | None
) -> None:
    status = PhoneNumberStatus.model_validate(
        {"smsWarmup": {"sentCount": text, "deliverySuccessRate": text}}
    )
    assert status.sms_warmup is not None
    assert status.sms_warmup.sent_count == count
    assert status.sms_warmup.delivery_success_rate == rate


def test_integers_stay_integers_in_the_json_out() -> None:
    seed = PhoneNumberStatus.model_validate(
        {"smsWarmup": {"healthScore": "73", "progressPercent": "40", "deliverySuccessRate": "97.5"}}
    )
    sdk = PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {"healthScore": 73, "progressPercent": 40},
            "optOutMetrics": {"optOutRatePercent": 1},
        }
    )
    for status in (seed, sdk):
        warmup = status.to_api_json()["smsWarmup"]
        assert type(warmup["healthScore"]) is int and warmup["healthScore"] == 73
        assert type(warmup["progressPercent"]) is int
        assert json.dumps(warmup["healthScore"]) == "73"
    assert seed.to_api_json()["smsWarmup"]["deliverySuccessRate"] == 97.5
    assert type(sdk.to_api_json()["optOutMetrics"]["optOutRatePercent"]) is int
