"""The simulator over real loopback HTTP: shapes, scenarios, evolution, queries, faults."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from app_harness import wait_for

from leadping_tui.simulator import (
    DEMO_NUMBERS,
    FAULT_KINDS,
    NOT_FOUND_NUMBER,
    Fault,
    FaultRegistry,
    FrozenClock,
    Simulator,
)

T0 = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
AUTH = {"Authorization": "Bearer sk_test_123"}
HEALTHY, ATTENTION, PAUSED, BLOCKED, READY, NOT_STARTED = (d.number for d in DEMO_NUMBERS)
INT_STRING = re.compile(r"^-?(?:0|[1-9]\d*)$")
DECIMAL_STRING = re.compile(r"^\d+(?:\.\d+)?$")


def url(number: str, endpoint: str = "status") -> str:
    return f"/phone-numbers/{number.replace('+', '%2B')}/{endpoint}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def fsim(clock: FrozenClock) -> Iterator[Simulator]:
    """A simulator on a frozen clock (sdk shape)."""
    with Simulator(clock=clock) as sim:
        yield sim


@pytest.fixture
def client(fsim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fsim.base_url, headers=AUTH, timeout=10) as c:
        yield c


def get(client: httpx.Client, number: str, **query: Any) -> dict[str, Any]:
    response = client.get(url(number), params=query)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


# -- shapes ----------------------------------------------------------------------

SDK_TOP = {
    "number",
    "messagesPossible",
    "callsPossible",
    "smsWarmup",
    "optOutMetrics",
    "trafficMetrics",
    "recentEvents",
    "outboundCapacity",
    "location",
}
SEED_TOP = {
    "number",
    "messagesPossible",
    "messagesWarmed",
    "callsPossible",
    "warmupCallsMade",
    "smsWarmup",
    "optOutMetrics",
    "trafficMetrics",
    "recentEvents",
}
SEED_WARMUP_COUNTS = {
    "healthScore",
    "progressPercent",
    "sentCount",
    "receivedCount",
    "deliveredCount",
    "failureCount",
    "carrierRejectionCount",
    "optOutSignalCount",
    "spamSignalCount",
}
SEED_WARMUP = SEED_WARMUP_COUNTS | {
    "phoneNumberId",
    "phoneNumber",
    "deliverySuccessRate",
    "nextScheduledActionAt",
    "lastSuccessfulMessageAt",
    "lastHealthSnapshotAt",
    "startedAt",
    "completedAt",
    "pauseReason",
    "blockReason",
    "warmupEnabled",
    "isInternalPool",
    "isApprovedTestDestination",
    "isMessagingProgramApproved",
    "globalWarmupEnabled",
    "canPause",
    "canResume",
    "uiState",
    "recentActions",
}
EVENT_COMMON = {
    "id",
    "createdAt",
    "label",
    "eventType",
    "direction",
    "fromPhoneNumber",
    "toPhoneNumber",
    "textPreview",
    "isOptOut",
}


def test_sdk_shape_fields_and_types(client: httpx.Client) -> None:
    response = client.get(url(HEALTHY))
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["content-length"]) == len(response.content)
    data = response.json()
    assert set(data) == SDK_TOP
    assert isinstance(data["messagesPossible"], int) and isinstance(data["callsPossible"], int)
    warmup = data["smsWarmup"]
    assert set(warmup) == {
        "phoneNumberId",
        "phoneNumber",
        "healthScore",
        "progressPercent",
        "warmupEnabled",
        "status",
        "healthStatus",
        "uiState",
    }
    assert isinstance(warmup["healthScore"], int) and isinstance(warmup["progressPercent"], int)
    assert set(warmup["uiState"]) == {"tone", "description", "label"}
    assert warmup["uiState"]["label"] == warmup["status"] == "In Progress"
    opt = data["optOutMetrics"]
    assert isinstance(opt["optOutCount"], int) and isinstance(opt["optOutRatePercent"], float)
    traffic = data["trafficMetrics"]
    for key in ("mmsSentCount", "callConnectedCount", "callShortCount", "callInvalidNumberCount"):
        assert isinstance(traffic[key], int)
    assert len(traffic["trend"]) == 30
    assert set(traffic["trend"][0]) == {
        "startAt",
        "endAt",
        "label",
        "smsSentCount",
        "smsFailedCount",
        "mmsSentCount",
        "mmsFailedCount",
        "callPlacedCount",
        "callFailedCount",
    }
    capacity = data["outboundCapacity"]
    for prefix in ("sms", "voice"):
        for what in ("Used", "Limit", "Remaining"):
            for span in ("ThisMinute", "ThisHour", "Today"):
                assert isinstance(capacity[f"{prefix}{what}{span}"], int)
        for span in ("Minutely", "Hourly", "Daily"):
            assert capacity[f"{prefix}{span}ResetsAt"].endswith("Z")
        assert capacity[f"{prefix}RampDirection"] in ("up", "down", "none")
    assert capacity["healthStatus"] == "warmup" and capacity["smsApproved"] is True
    assert data["location"] == {
        "location": "Washington, DC",
        "state": "DC",
        "countryCode": "US",
        "timeZoneId": "America/New_York",
        "canonicalCity": "Washington",
        "canonicalState": "DC",
        "coordinate": {"latitude": 38.9072, "longitude": -77.0369},
        "coordinateSource": {"method": "area code", "query": "202"},
        "timeZoneSource": {"method": "area code", "query": "202"},
    }
    events = data["recentEvents"]
    assert 25 <= len(events) <= 60
    for event in events:
        assert set(event) == EVENT_COMMON | {"isDemo"}
        assert event["isDemo"] is True
        assert event["createdAt"].endswith("Z")
    assert [e["createdAt"] for e in events] == sorted(
        (e["createdAt"] for e in events), reverse=True
    )


def test_seed_shape_fields_and_numeric_strings(fsim: Simulator, client: httpx.Client) -> None:
    fsim.shape = "seed"
    data = get(client, HEALTHY)
    assert set(data) == SEED_TOP
    for key in ("messagesPossible", "messagesWarmed", "callsPossible", "warmupCallsMade"):
        assert INT_STRING.match(data[key]), key
    warmup = data["smsWarmup"]
    assert set(warmup) == SEED_WARMUP
    for key in SEED_WARMUP_COUNTS:
        assert INT_STRING.match(warmup[key]), key
    assert DECIMAL_STRING.match(warmup["deliverySuccessRate"])
    assert warmup["completedAt"] is None and warmup["pauseReason"] is None
    assert warmup["startedAt"].endswith("Z") and warmup["nextScheduledActionAt"].endswith("Z")
    for key in ("warmupEnabled", "canPause", "canResume", "globalWarmupEnabled"):
        assert isinstance(warmup[key], bool)
    assert set(warmup["uiState"]) == {"tone", "description"}
    actions = warmup["recentActions"]
    assert 5 <= len(actions) <= 15
    assert set(actions[0]) == {
        "id",
        "conversationId",
        "fromPhoneNumber",
        "toPhoneNumber",
        "body",
        "scheduledAt",
        "executedAt",
        "failureReason",
    }
    # One action is still scheduled, in the future.
    pending = [a for a in actions if a["executedAt"] is None]
    assert len(pending) == 1 and pending[0]["scheduledAt"] > "2026-03-10T15:30:00Z"
    for section in ("optOutMetrics", "trafficMetrics"):
        for key, value in data[section].items():
            if key == "windowStartedAt":
                continue
            pattern = DECIMAL_STRING if key == "optOutRatePercent" else INT_STRING
            assert pattern.match(value), (section, key)
    assert "trend" not in data["trafficMetrics"]
    for event in data["recentEvents"]:
        assert set(event) == EVENT_COMMON | {"providerStatus"}
        assert event["providerStatus"] in (
            "delivered",
            "sent",
            "failed",
            "undelivered",
            "received",
            "completed",
            "no-answer",
        )


def test_shape_can_change_at_runtime(fsim: Simulator, client: httpx.Client) -> None:
    assert isinstance(get(client, HEALTHY)["messagesPossible"], int)
    fsim.shape = "seed"
    assert isinstance(get(client, HEALTHY)["messagesPossible"], str)
    with pytest.raises(ValueError):
        fsim.shape = "xml"


# -- determinism and evolution ---------------------------------------------------


def test_same_clock_same_bytes_across_simulators(clock: FrozenClock) -> None:
    bodies = []
    for _ in range(2):
        with (
            Simulator(clock=clock, shape="seed") as sim,
            httpx.Client(base_url=sim.base_url, headers=AUTH) as c,
        ):
            bodies.append(
                [
                    c.get(url(n), params={"windowDays": "7"}).content
                    for n in (HEALTHY, PAUSED, "+14155550123")
                ]
            )
            # And the same bytes again from the same simulator.
            assert c.get(url(HEALTHY), params={"windowDays": "7"}).content == bodies[-1][0]
    assert bodies[0] == bodies[1]


def test_data_does_not_depend_on_python_hash_seed() -> None:
    code = (
        "from datetime import datetime, UTC\n"
        "from leadping_tui.simulator.payloads import World, render\n"
        "from leadping_tui.simulator.window import parse_window\n"
        "now = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)\n"
        "w = World(now, 1.0)\n"
        "d = render(w.timeline('+13125550111'), now, parse_window({}, now), 'sdk')\n"
        "print(d['smsWarmup']['phoneNumberId'], d['recentEvents'][0]['id'],"
        " d['trafficMetrics']['smsSentCount'])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_warmup_evolves_with_the_clock(fsim: Simulator, clock: FrozenClock) -> None:
    fsim.shape = "seed"
    with httpx.Client(base_url=fsim.base_url, headers=AUTH) as c:
        before = get(c, HEALTHY)
        clock.advance(timedelta(minutes=10))
        later = get(c, HEALTHY)
        clock.advance(timedelta(days=3))
        much_later = get(c, HEALTHY)
    # New events arrive at about one a minute; old ones keep their ids and content.
    old_ids = [e["id"] for e in before["recentEvents"]]
    new = [e for e in later["recentEvents"] if e["id"] not in old_ids]
    assert 4 <= len(new) <= 25
    assert later["recentEvents"][0]["createdAt"] > before["recentEvents"][0]["createdAt"]
    kept = {e["id"]: e for e in later["recentEvents"]}
    for event in before["recentEvents"]:
        if event["id"] in kept:
            assert {**kept[event["id"]], "providerStatus": None} == {
                **event,
                "providerStatus": None,
            }
    w0, w1, w2 = (d["smsWarmup"] for d in (before, later, much_later))
    assert int(w0["sentCount"]) < int(w1["sentCount"]) < int(w2["sentCount"])
    assert int(w0["progressPercent"]) <= int(w1["progressPercent"])
    assert int(w2["progressPercent"]) >= int(w0["progressPercent"]) + 12
    assert int(before["messagesWarmed"]) < int(much_later["messagesWarmed"])


def test_a_warming_number_becomes_ready(fsim: Simulator, clock: FrozenClock) -> None:
    with httpx.Client(base_url=fsim.base_url, headers=AUTH) as c:
        clock.advance(timedelta(days=15))
        warmup = get(c, HEALTHY)["smsWarmup"]
    assert warmup["status"] == "Ready" and warmup["progressPercent"] == 100


# -- scenarios -------------------------------------------------------------------


def test_healthy_warming(client: httpx.Client, fsim: Simulator) -> None:
    sdk = get(client, HEALTHY)["smsWarmup"]
    assert sdk["status"] == "In Progress" and sdk["healthStatus"] == "Healthy"
    assert 85 <= sdk["healthScore"] <= 95 and 0 < sdk["progressPercent"] < 100
    assert sdk["uiState"]["tone"] == "success" and sdk["warmupEnabled"] is True


def test_needs_attention_with_rising_opt_outs(client: httpx.Client, clock: FrozenClock) -> None:
    data = get(client, ATTENTION)
    warmup = data["smsWarmup"]
    assert warmup["healthStatus"] == "Needs Attention" and warmup["uiState"]["tone"] == "warning"
    assert 55 <= warmup["healthScore"] <= 65
    assert data["optOutMetrics"]["optOutRatePercent"] >= 2.0
    assert data["outboundCapacity"]["smsRampDirection"] == "down"
    assert any(
        e["isOptOut"] and e["textPreview"].upper().startswith("STOP") for e in data["recentEvents"]
    )
    recent = get(client, ATTENTION, windowDays=1)["optOutMetrics"]["optOutRatePercent"]
    clock.set(T0 - timedelta(days=4))
    earlier = get(client, ATTENTION, windowDays=1)["optOutMetrics"]["optOutRatePercent"]
    assert recent > earlier + 1.0  # rising over time, to several percent
    assert recent >= 4.0


def test_paused(fsim: Simulator, client: httpx.Client) -> None:
    fsim.shape = "seed"
    data = get(client, PAUSED)
    warmup = data["smsWarmup"]
    assert warmup["pauseReason"] == "Paused after 3 carrier rejections in 1 hour"
    assert warmup["canResume"] is True and warmup["canPause"] is False
    assert warmup["uiState"]["tone"] == "warning" and warmup["nextScheduledActionAt"] is None
    assert [e["label"] for e in data["recentEvents"][:3]] == ["Carrier rejection"] * 3
    assert all(a["executedAt"] is not None for a in warmup["recentActions"])
    fsim.shape = "sdk"
    sdk = get(client, PAUSED)
    assert sdk["smsWarmup"]["status"] == "Paused"
    assert sdk["outboundCapacity"]["healthStatus"] == "cooling_down"
    assert sdk["outboundCapacity"]["capacityAvailable"] is False


def test_blocked(fsim: Simulator, client: httpx.Client) -> None:
    sdk = get(client, BLOCKED)
    warmup = sdk["smsWarmup"]
    assert warmup["status"] == "Blocked" and warmup["healthStatus"] == "Blocked"
    assert warmup["uiState"]["tone"] == "danger" and warmup["healthScore"] < 30
    assert sdk["outboundCapacity"]["healthStatus"] == "suspended"
    assert sdk["outboundCapacity"]["smsApproved"] is False
    fsim.shape = "seed"
    seed = get(client, BLOCKED)["smsWarmup"]
    assert seed["blockReason"] == "Carrier flagged number for spam content"
    assert seed["canResume"] is False and seed["pauseReason"] is None


def test_ready(fsim: Simulator, client: httpx.Client) -> None:
    sdk = get(client, READY)["smsWarmup"]
    assert sdk["status"] == "Ready" and sdk["progressPercent"] == 100
    assert sdk["healthStatus"] == "Healthy" and sdk["healthScore"] >= 95
    fsim.shape = "seed"
    seed = get(client, READY)["smsWarmup"]
    assert seed["completedAt"] is not None and seed["completedAt"] < "2026-03-10"
    assert seed["progressPercent"] == "100"


def test_not_started(fsim: Simulator, client: httpx.Client) -> None:
    sdk = get(client, NOT_STARTED)
    warmup = sdk["smsWarmup"]
    assert warmup["status"] == "Not Started" and warmup["healthStatus"] == "Not Evaluated"
    assert warmup["warmupEnabled"] is False and warmup["progressPercent"] == 0
    assert warmup["healthScore"] in (None, 0)
    assert sdk["recentEvents"] == [] and sdk["trafficMetrics"]["smsSentCount"] == 0
    fsim.shape = "seed"
    seed = get(client, NOT_STARTED)
    assert seed["smsWarmup"]["startedAt"] is None and seed["smsWarmup"]["recentActions"] == []


def test_other_numbers_get_plausible_states(client: httpx.Client) -> None:
    seen = set()
    for number in ("+14155550123", "+13125550111", "+16175550177", "+447911123456"):
        warmup = get(client, number)["smsWarmup"]
        assert warmup["phoneNumber"] == number
        seen.add(warmup["status"])
    assert seen <= {"In Progress", "Paused", "Blocked", "Ready", "Not Started"}
    assert get(client, "+447911123456")["location"]["countryCode"] in ("GB", "GG", "JE", "IM")


# -- errors ----------------------------------------------------------------------


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance", "traceId"} <= set(body)
    assert body["status"] == status
    return body


def test_unknown_number_is_404(client: httpx.Client) -> None:
    body = assert_problem(client.get(url(NOT_FOUND_NUMBER)), 404)
    assert NOT_FOUND_NUMBER in body["detail"]
    assert_problem(client.get("/phone-numbers"), 404)
    assert_problem(client.post(url(HEALTHY)), 405)


@pytest.mark.parametrize("bad", ["abc", "12025550101", "+1202555", "+19995550101", "+1%20202"])
def test_malformed_number_is_400(client: httpx.Client, bad: str) -> None:
    body = assert_problem(client.get(f"/phone-numbers/{bad}/status"), 400)
    assert "phoneNumber" in body["errors"]


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "sk_123"])
def test_missing_or_bad_token_is_401(fsim: Simulator, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = httpx.get(fsim.base_url + url(HEALTHY), headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == 'Bearer realm="leadping"'


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"windowDays": "0"}, "windowDays"),
        ({"windowDays": "366"}, "windowDays"),
        ({"windowDays": "abc"}, "windowDays"),
        ({"windowDays": "1.5"}, "windowDays"),
        ({"startDate": "2026-03-01"}, "endDate"),
        ({"endDate": "2026-03-01"}, "startDate"),
        ({"startDate": "2026-02-30", "endDate": "2026-03-01"}, "startDate"),
        ({"startDate": "03/01/2026", "endDate": "2026-03-02"}, "startDate"),
        ({"startDate": "2026-03-05", "endDate": "2026-03-01"}, "endDate"),
        ({"startDate": "2024-01-01", "endDate": "2025-01-01"}, "endDate"),
        ({"startDate": "2026-03-12", "endDate": "2026-03-13"}, "startDate"),
    ],
)
def test_bad_query_is_400(client: httpx.Client, query: dict[str, str], field: str) -> None:
    body = assert_problem(client.get(url(HEALTHY), params=query), 400)
    assert field in body["errors"] and body["errors"][field]


def test_the_simulators_own_limits_are_its_documented_ones(client: httpx.Client) -> None:
    # README "The simulator": windowDays 1-365, ranges up to 366 days counting both
    # ends, a start up to one day past today (UTC); an end in the future is cut at now.
    assert get(client, HEALTHY, windowDays=365)["trafficMetrics"]["windowDays"] == 365
    leap = get(client, HEALTHY, startDate="2024-01-01", endDate="2024-12-31")
    assert leap["trafficMetrics"]["windowDays"] == 366
    tomorrow = (T0 + timedelta(days=1)).date().isoformat()
    ahead = get(client, HEALTHY, startDate=tomorrow, endDate=tomorrow)
    assert ahead["trafficMetrics"]["smsSentCount"] == 0


# -- windows ---------------------------------------------------------------------


def test_window_changes_and_reports_metrics(client: httpx.Client) -> None:
    month, day = get(client, HEALTHY), get(client, HEALTHY, windowDays=1)
    for data, days in ((month, 30), (day, 1)):
        for section in ("optOutMetrics", "trafficMetrics"):
            assert data[section]["windowDays"] == days
            assert data[section]["windowStartedAt"] == (T0 - timedelta(days=days)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
    m, d = month["trafficMetrics"], day["trafficMetrics"]
    assert 0 < d["smsSentCount"] < m["smsSentCount"]
    assert d["callPlacedCount"] < m["callPlacedCount"]
    assert (
        day["optOutMetrics"]["distinctContactedCount"]
        < (month["optOutMetrics"]["distinctContactedCount"])
    )
    assert len(d["trend"]) == 24 and d["trend"][1]["label"].endswith(":30")
    assert len(m["trend"]) == 30
    for traffic in (m, d):
        assert sum(b["smsSentCount"] for b in traffic["trend"]) == traffic["smsSentCount"]
        assert sum(b["callFailedCount"] for b in traffic["trend"]) == traffic["callFailedCount"]
    # A warmup ramps up: its latest day sends more than its first.
    active = [b["smsSentCount"] for b in m["trend"] if b["smsSentCount"]]
    assert active[-1] > active[0]


def test_date_range_wins_over_window_days(fsim: Simulator, client: httpx.Client) -> None:
    query = {"startDate": "2026-03-05", "endDate": "2026-03-07", "windowDays": "1"}
    data = get(client, HEALTHY, **query)
    traffic = data["trafficMetrics"]
    assert traffic["windowDays"] == 3 and data["optOutMetrics"]["windowDays"] == 3
    assert traffic["windowStartedAt"] == "2026-03-05T00:00:00Z"
    assert [b["label"] for b in traffic["trend"]] == ["Mar 5", "Mar 6", "Mar 7"]
    assert (
        traffic["smsSentCount"]
        > get(client, HEALTHY, windowDays=1)["trafficMetrics"]["smsSentCount"]
    )
    # Only activity inside the range counts: nothing before the warmup started.
    before = get(client, HEALTHY, startDate="2025-01-01", endDate="2025-12-31")
    assert before["trafficMetrics"]["smsSentCount"] == 0
    assert before["optOutMetrics"]["optOutCount"] == 0
    fsim.shape = "seed"
    assert get(client, HEALTHY, **query)["trafficMetrics"]["windowDays"] == "3"


# -- faults ----------------------------------------------------------------------


def test_fault_validation() -> None:
    with pytest.raises(ValueError):
        Fault("bogus")
    with pytest.raises(ValueError):
        Fault("status")
    with pytest.raises(ValueError):
        Fault("latency", delay=-1)
    with pytest.raises(ValueError):
        Fault("drop", times=0)
    assert set(FAULT_KINDS) == {
        "latency", "status", "rate_limit", "not_json", "truncated",
        "drop", "reset", "slow_body", "huge", "wrong_shape",
    }  # fmt: skip


def test_latency(fsim: Simulator, client: httpx.Client) -> None:
    fsim.faults.set(Fault("latency", delay=0.3), HEALTHY)
    started = time.monotonic()
    assert client.get(url(HEALTHY)).status_code == 200
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize("status", [500, 502, 503, 401, 403, 404])
def test_status_fault(fsim: Simulator, client: httpx.Client, status: int) -> None:
    fsim.faults.set(Fault("status", status=status))
    response = client.get(url(HEALTHY))
    assert_problem(response, status)
    assert ("www-authenticate" in response.headers) == (status == 401)


def test_rate_limit_with_and_without_retry_after(fsim: Simulator, client: httpx.Client) -> None:
    fsim.faults.set(Fault("rate_limit", retry_after=7))
    response = client.get(url(HEALTHY))
    assert_problem(response, 429)
    assert response.headers["retry-after"] == "7"
    fsim.faults.set(Fault("rate_limit", retry_after=2.5))  # never tell a client to come early
    assert client.get(url(HEALTHY)).headers["retry-after"] == "3"
    fsim.faults.set(Fault("rate_limit"))
    response = client.get(url(HEALTHY))
    assert_problem(response, 429)
    assert "retry-after" not in response.headers


def test_not_json_and_wrong_shape(fsim: Simulator, client: httpx.Client) -> None:
    fsim.faults.set(Fault("not_json"))
    response = client.get(url(HEALTHY))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        response.json()
    fsim.faults.set(Fault("wrong_shape"))
    response = client.get(url(HEALTHY))
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/json"
    )
    assert not isinstance(response.json(), dict) or "smsWarmup" not in response.json()


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("truncated", httpx.RemoteProtocolError),
        ("drop", httpx.RemoteProtocolError),
        ("reset", httpx.TransportError),
    ],
)
def test_broken_connections(
    fsim: Simulator, client: httpx.Client, kind: str, error: type[Exception]
) -> None:
    fsim.faults.set(Fault(kind, times=1), HEALTHY)
    with pytest.raises(error):
        client.get(url(HEALTHY))
    # The server survives and the next request is fine.
    assert client.get(url(HEALTHY)).status_code == 200
    assert fsim.errors == []


def test_reset_is_a_connection_reset(fsim: Simulator) -> None:
    fsim.faults.set(Fault("reset"))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(fsim.base_url + url(HEALTHY), headers=AUTH)


def test_slow_body(fsim: Simulator, client: httpx.Client) -> None:
    # The body takes 1.5 s; its first bytes come long before that, even on a loaded machine.
    fsim.faults.set(Fault("slow_body", delay=1.5), HEALTHY)
    started = time.monotonic()
    with client.stream("GET", url(HEALTHY)) as response:
        first_chunk_at = None
        body = b""
        for chunk in response.iter_raw():
            first_chunk_at = first_chunk_at or time.monotonic()
            body += chunk
    assert first_chunk_at is not None and first_chunk_at - started < 1.0
    assert time.monotonic() - started >= 1.4
    assert json.loads(body)["number"] == HEALTHY


def test_huge(fsim: Simulator, client: httpx.Client) -> None:
    fsim.faults.set(Fault("huge"), HEALTHY)
    response = client.get(url(HEALTHY))
    assert len(response.content) > 3_000_000
    events = response.json()["recentEvents"]
    assert len(events) == 20_000 and len({e["id"] for e in events}) == 20_000
    fsim.shape = "seed"
    fsim.faults.set(Fault("huge", events=120, actions=40), HEALTHY)
    data = get(client, HEALTHY)
    assert len(data["recentEvents"]) == 120 and len(data["smsWarmup"]["recentActions"]) == 40


def test_times_expiry_and_precedence(fsim: Simulator, client: httpx.Client) -> None:
    fsim.faults.set(Fault("status", status=500, times=2), HEALTHY)
    codes = [client.get(url(HEALTHY)).status_code for _ in range(3)]
    assert codes == [500, 500, 200]
    fsim.faults.set(Fault("status", status=503))
    fsim.faults.set(Fault("rate_limit"), HEALTHY)
    assert client.get(url(HEALTHY)).status_code == 429
    assert client.get(url(PAUSED)).status_code == 503
    fsim.faults.clear(HEALTHY)
    assert client.get(url(HEALTHY)).status_code == 503
    fsim.faults.clear()
    assert client.get(url(HEALTHY)).status_code == 200


def test_registry_active_does_not_use_up_a_fault() -> None:
    registry = FaultRegistry()
    fault = Fault("drop", times=1)
    registry.set(fault, HEALTHY)
    assert registry.active(HEALTHY) == fault and registry.active(HEALTHY) == fault
    assert registry.active(PAUSED) is None
    assert registry.take(HEALTHY) == fault
    assert registry.active(HEALTHY) is None


# -- control endpoints and recording ---------------------------------------------


def test_control_endpoints(fsim: Simulator) -> None:
    with httpx.Client(base_url=fsim.base_url) as c:  # no auth needed
        r = c.post(
            "/_sim/faults", json={"number": HEALTHY, "fault": {"kind": "status", "status": 502}}
        )
        assert r.status_code == 200
        assert c.get(url(HEALTHY), headers=AUTH).status_code == 502
        assert c.get(url(PAUSED), headers=AUTH).status_code == 200
        listed = c.get("/_sim/faults").json()["faults"]
        assert listed == [
            {"number": HEALTHY, "fault": Fault("status", status=502).to_dict(), "remaining": None}
        ]
        r = c.post(
            "/_sim/faults", json={"number": None, "fault": {"kind": "rate_limit", "retry_after": 3}}
        )
        assert r.status_code == 200
        assert c.get(url(PAUSED), headers=AUTH).headers["retry-after"] == "3"
        assert c.delete("/_sim/faults", params={"number": HEALTHY}).status_code == 200
        assert c.get(url(HEALTHY), headers=AUTH).status_code == 429
        assert c.delete("/_sim/faults").status_code == 200
        assert c.get(url(HEALTHY), headers=AUTH).status_code == 200
        # An unencoded "+" in the query (it arrives as a space) still names the number.
        c.post("/_sim/faults", json={"number": HEALTHY, "fault": {"kind": "not_json"}})
        c.delete(f"/_sim/faults?number={HEALTHY}")
        assert fsim.faults.active(HEALTHY) is None
        for bad in (
            {"fault": {"kind": "nope"}},
            {"fault": {"kind": "latency", "delay": "x"}},
            {"number": 5, "fault": {"kind": "drop"}},
            [1],
        ):
            assert_problem(c.post("/_sim/faults", json=bad), 400)
        assert_problem(c.post("/_sim/faults", content=b"{not json"), 400)
        assert c.post("/_sim/shape", json={"shape": "seed"}).json()["shape"] == "seed"
        assert fsim.shape == "seed"
        assert_problem(c.post("/_sim/shape", json={"shape": "xml"}), 400)
        requests = c.get("/_sim/requests", params={"limit": 2}).json()["requests"]
        assert len(requests) == 2 and requests[-1]["path"] == url(HEALTHY)
        assert requests[-1]["authorization"] == AUTH["Authorization"]
        assert c.delete("/_sim/requests").status_code == 200
        assert fsim.requests == []


def test_requests_are_recorded(fsim: Simulator, client: httpx.Client) -> None:
    client.get(
        url(PAUSED, "warmup"),
        params={"windowDays": "7"},
        headers={"User-Agent": "leadping-tui/test"},
    )
    client.get("/phone-numbers/+12025550101/status")  # a literal "+" works too
    client.get("/elsewhere")
    first, second, third = fsim.requests
    assert first.method == "GET" and first.path == url(PAUSED, "warmup")
    assert first.number == PAUSED and first.endpoint == "warmup"
    assert first.query == {"windowDays": "7"}
    assert first.authorization == AUTH["Authorization"]
    assert first.user_agent == "leadping-tui/test" and first.at == T0
    assert second.number == HEALTHY
    assert third.number is None and third.endpoint is None
    fsim.clear_requests()
    assert fsim.requests == []


def test_percent_encoded_number_is_decoded(client: httpx.Client) -> None:
    assert get(client, "+12025550101")["number"] == "+12025550101"
    response = client.get("/phone-numbers/%2b12025550103/warmup")
    assert response.status_code == 200 and response.json()["number"] == PAUSED


def test_concurrent_requests(fsim: Simulator) -> None:
    codes: list[int] = []

    def worker() -> None:
        with httpx.Client(base_url=fsim.base_url, headers=AUTH) as c:
            codes.extend(c.get(url(n)).status_code for n in (HEALTHY, ATTENTION, READY))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 18
    assert fsim.wait_for_requests(18, timeout=1) and len(fsim.requests) == 18


# -- connections and lifecycle ---------------------------------------------------


def test_keep_alive_reuses_the_connection(client: httpx.Client) -> None:
    ports = set()
    for _ in range(3):
        response = client.get(url(HEALTHY))
        stream = response.extensions["network_stream"]
        ports.add(stream.get_extra_info("client_addr")[1])
    assert len(ports) == 1


def test_start_stop_lifecycle() -> None:
    sim = Simulator()
    with pytest.raises(RuntimeError):
        _ = sim.base_url
    started = time.perf_counter()
    assert sim.start() is sim
    # A reverse DNS lookup in server_bind would take seconds; a loaded machine a fraction.
    assert time.perf_counter() - started < 1.5
    assert sim.start() is sim  # starting twice is harmless
    assert sim.base_url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=sim.base_url, headers=AUTH) as c:
        assert c.get(url(HEALTHY)).status_code == 200
        # An idle keep-alive connection must not hold stop() up.
        started = time.perf_counter()
        sim.stop()
        # Held up, it would wait for the join timeout (5 s) or the keep-alive one (120 s).
        assert time.perf_counter() - started < 3.0
    sim.stop()  # idempotent
    assert not sim.running


def test_quiet_on_stderr(fsim: Simulator, capfd: pytest.CaptureFixture[str]) -> None:
    with httpx.Client(base_url=fsim.base_url, headers=AUTH) as c:
        c.get(url(HEALTHY))
        fsim.faults.set(Fault("slow_body", delay=2))
        # Hang up in the middle of a slow body: the server must not complain.
        with c.stream("GET", url(HEALTHY)) as response:
            next(response.iter_raw())
    # Wait until the server has noticed the hang-up and finished the connection.
    wait_for(lambda: fsim.open_connections == 0, "the server to close the connection")
    fsim.faults.clear()
    with httpx.Client(base_url=fsim.base_url, headers=AUTH) as c:
        assert c.get(url(HEALTHY)).status_code == 200
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert fsim.errors == []


def test_ipv6_loopback() -> None:
    try:
        sim = Simulator(host="::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with sim:
        assert sim.base_url.startswith("http://[::1]:")
        assert httpx.get(sim.base_url + url(HEALTHY), headers=AUTH).status_code == 200


def test_serve_reports_a_busy_port() -> None:
    with Simulator() as sim:
        port = int(sim.base_url.rsplit(":", 1)[1])
        result = subprocess.run(
            [sys.executable, "-c", f"from leadping_tui.simulator import serve; serve(port={port})"],
            capture_output=True,
            text=True,
            timeout=60,  # bounds a hang; it fails at once
        )
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def _default_sigint() -> None:
    # A shell starts a background job with SIGINT ignored, and a child inherits
    # that: Python then never turns SIGINT into KeyboardInterrupt. The child
    # gets the default, however the suite was started (`pytest &` hung here).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_runs_until_interrupted() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from leadping_tui.simulator import serve; serve(shape='seed')"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        base_url = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert base_url, first
        listing = "".join(proc.stdout.readline() for _ in range(8))
        for demo in DEMO_NUMBERS:
            assert demo.number in listing
        response = httpx.get(base_url[0] + url(HEALTHY), headers=AUTH, timeout=30)
        assert isinstance(response.json()["messagesPossible"], str)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)  # bounds a hang; a clean exit is quick
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err
