"""The models read both response shapes and survive odd payloads."""

from __future__ import annotations

from datetime import UTC, datetime

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
    assert out["smsWarmup"]["healthScore"] == 88.0
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


def test_numeric_strings_with_decimals_and_floats() -> None:
    status = PhoneNumberStatus.model_validate(
        {"messagesPossible": "12.0", "callsPossible": 7.6, "smsWarmup": {"healthScore": 91.5}}
    )
    assert status.messages_possible == 12
    assert status.calls_possible == 8
    assert status.sms_warmup is not None and status.sms_warmup.health_score == 91.5
