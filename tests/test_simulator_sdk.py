# mypy: disable-error-code="import-untyped"
"""The simulator's ``sdk`` shape is readable by the official generated client (leadping 1.0.83).

Every object the SDK parses keeps unknown JSON keys in ``additional_data``; the
simulator's sdk shape must leave all of them empty, so every field it sends is
one the SDK knows.

Known SDK limitation: kiota-serialization-json resolves an enum by member
*name* (``"In Progress"`` -> ``enum["In Progress"]``), so the multi-word
values the API sends (``In Progress``, ``Not Started``, ``Needs Attention``,
``Not Evaluated``, ``Stage 0`` ... ``Stage 4``) come back as ``None``.
Single-word values (``Paused``, ``Blocked``, ``Ready``, ``Healthy``,
``cooling_down``, ``none``) parse. The tests below pin exactly that: the raw
JSON of every enum must be a documented value, and the SDK must read each
one as the table says (a member, or ``None`` where kiota drops it), so a
regression in either the simulator or the SDK is caught, not waved through.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from kiota_abstractions.api_error import APIError
from kiota_abstractions.authentication import ApiKeyAuthenticationProvider, KeyLocation
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_http.httpx_request_adapter import HttpxRequestAdapter
from kiota_http.middleware.options import RetryHandlerOption
from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory
from leadping.leadping_open_api_client import LeadpingOpenApiClient
from leadping.models.outbound_phone_number_capacity_sms_ramp_direction import (
    OutboundPhoneNumberCapacity_smsRampDirection as RampDirection,
)
from leadping.models.outbound_phone_number_capacity_voice_ramp_direction import (
    OutboundPhoneNumberCapacity_voiceRampDirection as VoiceRampDirection,
)
from leadping.models.paged_result_of_phone_number_table_row import (
    PagedResultOfPhoneNumberTableRow,
)
from leadping.models.phone_number_outbound_health_status import PhoneNumberOutboundHealthStatus
from leadping.models.phone_number_ownership import PhoneNumberOwnership
from leadping.models.phone_number_readiness_health_status import (
    PhoneNumberReadiness_healthStatus as RowHealth,
)
from leadping.models.phone_number_readiness_state import PhoneNumberReadiness_state as RowState
from leadping.models.phone_number_status_response import PhoneNumberStatusResponse
from leadping.models.problem_details import ProblemDetails
from leadping.models.sms_readiness_health_status import SmsReadinessHealthStatus
from leadping.models.sms_readiness_state import SmsReadinessState
from leadping.phone_numbers.item.status.status_request_builder import StatusRequestBuilder

from leadping_tui.simulator import DEMO_NUMBERS, Fault, FrozenClock, Simulator

# The generated SDK warns about its own deprecated request-configuration classes.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

T0 = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.UTC)
HEALTHY, ATTENTION, PAUSED, BLOCKED, READY, NOT_STARTED = (d.number for d in DEMO_NUMBERS)


@pytest.fixture
async def sdk() -> AsyncIterator[tuple[LeadpingOpenApiClient, Simulator]]:
    with Simulator(shape="sdk", clock=FrozenClock(T0)) as sim:
        # An API-key provider sending "Authorization: Bearer ..." works over plain
        # http; kiota's bearer-token providers insist on https.
        auth = ApiKeyAuthenticationProvider(
            KeyLocation.Header, "Bearer sk_test_sdk", "Authorization"
        )
        adapter = HttpxRequestAdapter(auth)
        adapter.base_url = sim.base_url
        yield LeadpingOpenApiClient(adapter), sim


def assert_no_unknown_fields(obj: Any, path: str = "response") -> None:
    """Walk the parsed model: no object may have kept unknown JSON keys."""
    extra = getattr(obj, "additional_data", None)
    if extra is None:
        return
    assert extra == {}, f"{path} has fields the SDK does not know: {sorted(extra)}"
    for name, value in vars(obj).items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                assert_no_unknown_fields(item, f"{path}.{name}[{i}]")
        else:
            assert_no_unknown_fields(value, f"{path}.{name}")


async def status(
    client: LeadpingOpenApiClient, number: str, **query: Any
) -> PhoneNumberStatusResponse:
    config = None
    if query:
        params = StatusRequestBuilder.StatusRequestBuilderGetQueryParameters(**query)
        config = RequestConfiguration(query_parameters=params)
    result = await client.phone_numbers.by_phone_number_id(number).status.get(config)
    assert isinstance(result, PhoneNumberStatusResponse)
    return result


async def test_sdk_reads_a_warming_number(
    sdk: tuple[LeadpingOpenApiClient, Simulator],
) -> None:
    client, sim = sdk
    r = await status(client, HEALTHY)
    assert_no_unknown_fields(r)
    assert r.number == HEALTHY and isinstance(r.messages_possible, int)
    warmup = r.sms_warmup
    assert warmup is not None and isinstance(warmup.health_score, int)
    assert 85 <= warmup.health_score <= 95 and warmup.warmup_enabled is True
    # The API sends "In Progress"; kiota drops it (see the module docstring).
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(
            f"{sim.base_url}/phone-numbers/%2B{HEALTHY[1:]}/status",
            headers={"Authorization": "Bearer sk_test_sdk"},
        )
    raw = response.json()
    assert raw["smsWarmup"]["status"] == "In Progress"
    assert warmup.status is None
    assert warmup.health_status == SmsReadinessHealthStatus.Healthy
    assert warmup.ui_state is not None and warmup.ui_state.tone == "success"
    traffic = r.traffic_metrics
    assert traffic is not None and traffic.window_days == 30 and traffic.trend
    assert len(traffic.trend) == 30
    bucket = traffic.trend[-1]
    assert isinstance(bucket.start_at, datetime.datetime) and bucket.start_at.tzinfo is not None
    assert isinstance(bucket.sms_sent_count, int) and bucket.sms_sent_count > 0
    capacity = r.outbound_capacity
    assert capacity is not None
    assert capacity.health_status == PhoneNumberOutboundHealthStatus.Warmup
    assert capacity.sms_ramp_direction == RampDirection.Up
    assert isinstance(capacity.sms_limit_today, int) and capacity.sms_limit_today > 0
    assert isinstance(capacity.sms_daily_resets_at, datetime.datetime)
    assert r.location is not None and r.location.location == "Washington, DC"
    assert r.location.time_zone_id == "America/New_York"
    assert r.recent_events and r.recent_events[0].is_demo is True
    assert isinstance(r.recent_events[0].created_at, datetime.datetime)
    assert sim.requests[-1].authorization == "Bearer sk_test_sdk"


@pytest.mark.parametrize(
    ("number", "state", "health", "outbound"),
    [
        (PAUSED, SmsReadinessState.Paused, None, PhoneNumberOutboundHealthStatus.Cooling_down),
        (
            BLOCKED,
            SmsReadinessState.Blocked,
            SmsReadinessHealthStatus.Blocked,
            PhoneNumberOutboundHealthStatus.Suspended,
        ),
        (
            READY,
            SmsReadinessState.Ready,
            SmsReadinessHealthStatus.Healthy,
            PhoneNumberOutboundHealthStatus.Healthy,
        ),
    ],
)
async def test_sdk_reads_single_word_states(
    sdk: tuple[LeadpingOpenApiClient, Simulator],
    number: str,
    state: SmsReadinessState,
    health: SmsReadinessHealthStatus | None,
    outbound: PhoneNumberOutboundHealthStatus,
) -> None:
    client, _ = sdk
    r = await status(client, number)
    assert_no_unknown_fields(r)
    assert r.sms_warmup is not None and r.sms_warmup.status == state
    assert r.sms_warmup.ui_state is not None and r.sms_warmup.ui_state.label == state
    # None where the raw value has a space ("Needs Attention"): what kiota reads, exactly.
    assert r.sms_warmup.health_status == health
    assert r.outbound_capacity is not None and r.outbound_capacity.health_status == outbound


async def test_sdk_reads_every_demo_number_without_unknown_fields(
    sdk: tuple[LeadpingOpenApiClient, Simulator],
) -> None:
    client, _ = sdk
    for demo in DEMO_NUMBERS:
        assert_no_unknown_fields(await status(client, demo.number), demo.number)


async def test_window_days_reaches_the_simulator(
    sdk: tuple[LeadpingOpenApiClient, Simulator],
) -> None:
    client, sim = sdk
    r = await status(client, ATTENTION, window_days=1)
    assert sim.requests[-1].query == {"windowDays": "1"}
    assert sim.requests[-1].number == ATTENTION
    assert r.traffic_metrics is not None and r.traffic_metrics.window_days == 1
    assert r.traffic_metrics.trend is not None and len(r.traffic_metrics.trend) == 24
    assert r.opt_out_metrics is not None and r.opt_out_metrics.window_days == 1
    assert isinstance(r.opt_out_metrics.opt_out_rate_percent, float)
    ranged = await status(
        client,
        ATTENTION,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 7),
    )
    assert sim.requests[-1].query == {"startDate": "2026-03-01", "endDate": "2026-03-07"}
    assert ranged.traffic_metrics is not None and ranged.traffic_metrics.window_days == 7


async def test_sdk_gets_problem_details(sdk: tuple[LeadpingOpenApiClient, Simulator]) -> None:
    client, sim = sdk
    with pytest.raises(ProblemDetails) as bad_query:
        await status(client, HEALTHY, window_days=0)
    assert bad_query.value.status == 400 and bad_query.value.errors is not None
    sim.faults.set(Fault("status", status=403, times=1))
    with pytest.raises(ProblemDetails) as forbidden:
        await status(client, HEALTHY)
    assert forbidden.value.status == 403 and forbidden.value.trace_id
    # kiota retries a 429 on its own (sleeping Retry-After); turn that off to see it.
    sim.faults.set(Fault("rate_limit", retry_after=30, times=1))
    no_retry: RequestConfiguration[Any] = RequestConfiguration(
        options=[RetryHandlerOption(should_retry=False)]
    )
    with pytest.raises(ProblemDetails) as limited:
        await client.phone_numbers.by_phone_number_id(HEALTHY).status.get(no_retry)
    assert limited.value.status == 429
    with pytest.raises(APIError) as missing:
        await status(client, "+12025550199")
    assert missing.value.response_status_code == 404


async def test_sdk_reads_every_page_of_the_organisation_listing() -> None:
    from leadping.models.paged_result_of_phone_number_table_row import (
        PagedResultOfPhoneNumberTableRow,
    )
    from leadping.models.phone_number_ownership import PhoneNumberOwnership
    from leadping.models.phone_number_readiness_state import PhoneNumberReadiness_state
    from leadping.models.request_data_options import RequestDataOptions

    with Simulator(shape="sdk", clock=FrozenClock(T0), fleet=230) as sim:
        auth = ApiKeyAuthenticationProvider(
            KeyLocation.Header, "Bearer sk_test_sdk", "Authorization"
        )
        adapter = HttpxRequestAdapter(auth)
        adapter.base_url = sim.base_url
        client = LeadpingOpenApiClient(adapter)
        numbers: list[str] = []
        token: str | None = None
        pages: list[PagedResultOfPhoneNumberTableRow] = []
        while True:
            body = RequestDataOptions(page_size=100, continuation_token=token, include_count=True)
            page = await client.phone_numbers.all.organization.post(body)
            assert isinstance(page, PagedResultOfPhoneNumberTableRow)
            assert_no_unknown_fields(page, f"page {len(pages)}")
            pages.append(page)
            numbers += [row.number for row in page.items or [] if row.number]
            token = page.continuation_token
            if not token:
                break
        assert [len(page.items or []) for page in pages] == [100, 100, 30]
        assert pages[0].total_count == 230 and pages[0].page_size == 100
        assert numbers == sim.organization
        first = pages[0].items[0] if pages[0].items else None
        assert first is not None and first.number == HEALTHY
        assert first.ownership == PhoneNumberOwnership.Organization
        assert first.sms_ready is False and isinstance(first.ten_dlc_campaign_status, str)
        assert first.warmup is not None and isinstance(first.warmup.health_score, int)
        blocked = next(row for row in pages[0].items or [] if row.number == BLOCKED)
        assert blocked.warmup is not None
        assert blocked.warmup.state == PhoneNumberReadiness_state.Blocked
        assert [r.endpoint for r in sim.requests] == ["organization"] * 3
        assert sim.requests[1].body["continuationToken"] == pages[0].continuation_token


# -- every enum: the raw JSON holds a documented value, and the SDK reads what it reads --------

_SN = SmsReadinessState
_SH = SmsReadinessHealthStatus
_OH = PhoneNumberOutboundHealthStatus
#: Documented value -> what kiota 1.9 hands back for it (None: it drops the value).
READINESS_READ: dict[str, Any] = {
    "Not Started": None,
    "In Progress": None,
    "Paused": _SN.Paused,
    "Blocked": _SN.Blocked,
    "Ready": _SN.Ready,
}
HEALTH_READ: dict[str, Any] = {
    "Not Evaluated": None,
    "Evaluating": _SH.Evaluating,
    "Healthy": _SH.Healthy,
    "Needs Attention": None,
    "Blocked": _SH.Blocked,
}
OUTBOUND_READ: dict[str, Any] = {
    "unknown": _OH.Unknown,
    "new": _OH.New,
    "healthy": _OH.Healthy,
    "warmup": _OH.Warmup,
    "limited": _OH.Limited,
    "cooling_down": _OH.Cooling_down,
    "suspended": _OH.Suspended,
    "disabled": _OH.Disabled,
}
SMS_RAMP_READ: dict[str, Any] = {
    "up": RampDirection.Up,
    "down": RampDirection.Down,
    "none": RampDirection.None_,
}
VOICE_RAMP_READ: dict[str, Any] = {
    "up": VoiceRampDirection.Up,
    "down": VoiceRampDirection.Down,
    "none": VoiceRampDirection.None_,
}
ROW_STATE_READ: dict[str, Any] = {
    "Not Started": None,
    "In Progress": None,
    "Paused": RowState.Paused,
    "Blocked": RowState.Blocked,
    "Ready": RowState.Ready,
}
ROW_HEALTH_READ: dict[str, Any] = {
    "Not Evaluated": None,
    "Evaluating": RowHealth.Evaluating,
    "Healthy": RowHealth.Healthy,
    "Needs Attention": None,
    "Blocked": RowHealth.Blocked,
}
#: "Stage 0" has a space, so kiota reads every call stage as None.
CALL_STAGE_READ: dict[str, Any] = {f"Stage {n}": None for n in range(5)}
OWNERSHIP_READ: dict[str, Any] = {
    "Unassigned": PhoneNumberOwnership.Unassigned,
    "Leadping": PhoneNumberOwnership.Leadping,
    "Organization": PhoneNumberOwnership.Organization,
}


def test_the_tables_hold_every_documented_value_of_the_sdk_enums() -> None:
    # If the SDK gains or renames a value, these tables (and the docs) need a look.
    for table, enum in (
        (READINESS_READ, SmsReadinessState),
        (HEALTH_READ, SmsReadinessHealthStatus),
        (OUTBOUND_READ, PhoneNumberOutboundHealthStatus),
        (SMS_RAMP_READ, RampDirection),
        (VOICE_RAMP_READ, VoiceRampDirection),
        (ROW_STATE_READ, RowState),
        (ROW_HEALTH_READ, RowHealth),
        (OWNERSHIP_READ, PhoneNumberOwnership),
    ):
        assert set(table) == {member.value for member in enum}, enum


def kiota_parse(raw: bytes, factory: Any) -> Any:
    """Parse ``raw`` exactly as the SDK parses a response body."""
    node = JsonParseNodeFactory().get_root_parse_node("application/json", raw)
    return node.get_object_value(factory)


def _read(table: dict[str, Any], raw_value: Any, where: str) -> Any:
    assert raw_value in table, f"{where}: {raw_value!r} is not a documented value"
    return table[raw_value]


def status_enums(raw: dict[str, Any], parsed: Any) -> Iterator[tuple[str, Any, Any]]:
    """(where, value the SDK should hand back, value it did) for every status enum."""
    warm, pw = raw["smsWarmup"], parsed.sms_warmup
    yield "status", _read(READINESS_READ, warm["status"], "status"), pw.status
    yield (
        "healthStatus",
        _read(HEALTH_READ, warm["healthStatus"], "healthStatus"),
        pw.health_status,
    )
    label = warm["uiState"]["label"]
    yield "uiState.label", _read(READINESS_READ, label, "label"), pw.ui_state.label
    cap, pc = raw["outboundCapacity"], parsed.outbound_capacity
    health = cap["healthStatus"]
    yield "capacity", _read(OUTBOUND_READ, health, "capacity"), pc.health_status
    for key, table, got in (
        ("smsRampDirection", SMS_RAMP_READ, pc.sms_ramp_direction),
        ("voiceRampDirection", VOICE_RAMP_READ, pc.voice_ramp_direction),
    ):
        yield key, _read(table, cap[key], key), got


async def test_every_status_enum_is_documented_and_read_as_kiota_reads_it() -> None:
    seen: dict[str, set[Any]] = {}
    with Simulator(shape="sdk", clock=FrozenClock(T0)) as sim:
        async with httpx.AsyncClient(base_url=sim.base_url, timeout=30) as http:
            for demo in DEMO_NUMBERS:
                response = await http.get(
                    f"/phone-numbers/{demo.number.replace('+', '%2B')}/status",
                    headers={"Authorization": "Bearer sk_test_sdk"},
                )
                assert response.status_code == 200
                parsed = kiota_parse(response.content, PhoneNumberStatusResponse)
                for where, expected, got in status_enums(response.json(), parsed):
                    assert got == expected, (demo.number, where, got)
                    seen.setdefault(where, set()).add(got)
    # The demo numbers reach both sides of kiota's limitation.
    assert None in seen["status"] and SmsReadinessState.Blocked in seen["status"]
    assert PhoneNumberOutboundHealthStatus.Cooling_down in seen["capacity"]


async def test_every_listing_enum_is_documented_and_read_as_kiota_reads_it() -> None:
    with Simulator(shape="sdk", clock=FrozenClock(T0), fleet=40) as sim:
        async with httpx.AsyncClient(base_url=sim.base_url, timeout=30) as http:
            response = await http.post(
                "/phone-numbers/all/organization",
                json={"pageSize": 100},
                headers={"Authorization": "Bearer sk_test_sdk"},
            )
    assert response.status_code == 200
    page = kiota_parse(response.content, PagedResultOfPhoneNumberTableRow)
    rows = response.json()["items"]
    assert len(rows) == len(page.items) == 40
    stages = set()
    for raw, row in zip(rows, page.items, strict=True):
        where = raw["number"]
        assert row.ownership == _read(OWNERSHIP_READ, raw["ownership"], where)
        warm = raw["warmup"]
        assert row.warmup.state == _read(ROW_STATE_READ, warm["state"], where)
        assert row.warmup.health_status == _read(ROW_HEALTH_READ, warm["healthStatus"], where)
        assert row.warmup.call_stage == _read(CALL_STAGE_READ, warm["callStage"], where)
        stages.add(warm["callStage"])
    assert len(stages) > 1


def test_raw_enum_values_survive_in_our_models_where_kiota_drops_them() -> None:
    # What the SDK cannot read, this app keeps as text.
    from leadping_tui.api.models import PhoneNumberStatus

    ours = PhoneNumberStatus.model_validate(
        json.loads('{"smsWarmup": {"status": "In Progress", "healthStatus": "Needs Attention"}}')
    )
    assert ours.sms_warmup is not None
    assert ours.sms_warmup.status == "In Progress"
    assert ours.sms_warmup.health_status == "Needs Attention"
