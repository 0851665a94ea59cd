"""The client over real loopback HTTP against the simulator: shapes and every error class."""

from __future__ import annotations

import socket
import threading
from typing import Any

import httpx
import pytest

from leadping_tui import __version__
from leadping_tui.api import client as client_module
from leadping_tui.api import errors, json_body
from leadping_tui.api.client import StatusClient, check_base_url, status_path
from leadping_tui.api.query import StatusQuery
from leadping_tui.simulator import Fault

KEY = "sk_live_planted_secret_9876"
HEALTHY = "+12025550101"


def client_for(sim: Any, **kwargs: Any) -> StatusClient:
    return StatusClient(base_url=sim.base_url, api_key=KEY, **kwargs)


async def fetch_error(sim: Any, number: str = HEALTHY, **kwargs: Any) -> errors.LeadPingError:
    async with client_for(sim, **kwargs) as client:
        with pytest.raises(errors.LeadPingError) as caught:
            await client.fetch(number, StatusQuery.window(7))
    error = caught.value
    assert KEY not in str(error) and KEY not in repr(error.args)
    return error


async def test_request_carries_auth_agent_encoded_number_and_window(sim: Any) -> None:
    async with client_for(sim) as client:
        result = await client.fetch(HEALTHY, StatusQuery.window(14))
    assert result.number == HEALTHY
    recorded = sim.requests[-1]
    assert recorded.authorization == f"Bearer {KEY}"
    assert recorded.user_agent == f"leadping-tui/{__version__}"
    assert "%2B12025550101" in recorded.path
    assert recorded.number == HEALTHY
    assert recorded.query == {"windowDays": "14"}
    assert result.status.traffic_metrics is not None
    assert result.status.traffic_metrics.window_days == 14


async def test_date_range_is_sent(sim: Any) -> None:
    from datetime import date

    query = StatusQuery.range(date(2026, 11, 1), date(2026, 11, 7))
    async with client_for(sim) as client:
        await client.fetch(HEALTHY, query)
    assert sim.requests[-1].query == {"startDate": "2026-11-01", "endDate": "2026-11-07"}


@pytest.mark.parametrize("shape", ["seed", "sdk"])
async def test_both_shapes_parse(sim: Any, shape: str) -> None:
    sim.shape = shape
    async with client_for(sim) as client:
        result = await client.fetch(HEALTHY, StatusQuery.window(7))
    warmup = result.status.sms_warmup
    assert warmup is not None
    # A number either way (seed: a string in the JSON); an integer stays an integer.
    assert isinstance(warmup.health_score, int | float)
    assert result.status.messages_possible is not None
    assert result.status.recent_events
    if shape == "seed":
        assert isinstance(result.raw["messagesPossible"], str)
        assert result.status.messages_warmed is not None
        assert warmup.recent_actions
    else:
        assert isinstance(result.raw["messagesPossible"], int)
        assert result.status.outbound_capacity is not None
        assert warmup.status == "In Progress"


async def test_warmup_endpoint(sim: Any) -> None:
    async with client_for(sim) as client:
        result = await client.fetch(HEALTHY, endpoint="warmup")
    assert result.status.sms_warmup is not None
    assert sim.requests[-1].endpoint == "warmup"


@pytest.mark.parametrize(
    ("code", "cls"), [(401, errors.AuthenticationError), (403, errors.PermissionDenied)]
)
async def test_auth_errors(sim: Any, code: int, cls: type[errors.LeadPingError]) -> None:
    sim.faults.set(Fault(kind="status", status=code))
    error = await fetch_error(sim)
    assert isinstance(error, cls)
    assert error.problem is not None and error.problem.title and error.problem.trace_id
    if code == 401:
        # A wrong key: say how to give another one; the challenge is read.
        assert "LEADPING_API_KEY" in error.hint and "press Ctrl+K" in error.hint
        assert error.retryable
    else:
        # A key without permission: another key is not the fix, and waiting will not help.
        assert "permission" in error.hint and "LEADPING_API_KEY" not in error.hint
        assert not error.retryable


async def test_not_found(sim: Any) -> None:
    error = await fetch_error(sim, "+12025550199")
    assert isinstance(error, errors.NotFoundError)
    assert "404" in error.message


async def test_rate_limited_with_and_without_retry_after(sim: Any) -> None:
    sim.faults.set(Fault(kind="rate_limit", retry_after=42))
    error = await fetch_error(sim)
    assert isinstance(error, errors.RateLimitedError)
    assert error.retry_after == 42
    sim.faults.set(Fault(kind="rate_limit"))
    error = await fetch_error(sim)
    assert isinstance(error, errors.RateLimitedError)
    assert error.retry_after is None


@pytest.mark.parametrize("code", [500, 502, 503])
async def test_server_errors(sim: Any, code: int) -> None:
    sim.faults.set(Fault(kind="status", status=code))
    error = await fetch_error(sim)
    assert isinstance(error, errors.ServerError)
    assert error.status == code


async def test_bad_request_reads_the_problem_detail(sim: Any) -> None:
    # The simulator rejects windowDays outside 1..365; the client's own
    # validation is bypassed by asking through a raw parameter.
    async with client_for(sim) as client:
        response = await client._http.get(
            status_path(HEALTHY), params={"windowDays": "0"}, headers={"Authorization": "Bearer x"}
        )
    assert response.status_code == 400
    from leadping_tui.api.error_mapping import status_error

    error = status_error(response.status_code, response.headers, response.content)
    assert isinstance(error, errors.RequestRejected)
    assert error.problem is not None and error.problem.detail


@pytest.mark.parametrize(
    ("fault", "cls", "text"),
    [
        (Fault(kind="not_json"), errors.BadResponse, "not JSON"),
        (Fault(kind="wrong_shape"), errors.BadResponse, ""),
        (Fault(kind="truncated"), errors.BadResponse, "cut off"),
        (Fault(kind="drop"), errors.NetworkError, ""),
        (Fault(kind="reset"), errors.NetworkError, ""),
    ],
)
async def test_broken_bodies_and_connections(
    sim: Any, fault: Fault, cls: type[errors.LeadPingError], text: str
) -> None:
    sim.faults.set(fault)
    error = await fetch_error(sim)
    assert isinstance(error, cls), error
    assert text in error.message


async def test_read_timeout_and_slow_body(sim: Any) -> None:
    timeout = httpx.Timeout(connect=2.0, read=0.3, write=2.0, pool=2.0)
    sim.faults.set(Fault(kind="latency", delay=1.0, times=1))
    error = await fetch_error(sim, timeout=timeout)
    assert isinstance(error, errors.RequestTimeout)
    # A slow body that keeps bytes flowing within the read timeout still arrives.
    sim.faults.set(Fault(kind="slow_body", delay=0.6, times=1))
    async with client_for(sim, timeout=httpx.Timeout(5.0)) as client:
        result = await client.fetch(HEALTHY)
    assert result.status.sms_warmup is not None


async def test_huge_response_parses(sim: Any) -> None:
    sim.faults.set(Fault(kind="huge", events=20_000, actions=500, times=1))
    async with client_for(sim) as client:
        result = await client.fetch(HEALTHY)
    assert len(result.status.recent_events) == 20_000
    assert result.size > 2_000_000


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with StatusClient(base_url=f"http://127.0.0.1:{port}", api_key=KEY) as client:
        with pytest.raises(errors.NetworkError, match="refused"):
            await client.fetch(HEALTHY)


def _raising_transport(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("exc", "cls", "text"),
    [
        # A sandbox cannot make DNS fail on demand, so these few use a mock transport.
        (httpx.ConnectError("[Errno -2] Name or service not known"), errors.NetworkError, "DNS"),
        (httpx.ConnectTimeout("timed out"), errors.RequestTimeout, "connecting"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]"), errors.NetworkError, "TLS"),
    ],
)
async def test_transport_failures_a_server_cannot_produce(
    exc: Exception, cls: type[errors.LeadPingError], text: str
) -> None:
    async with StatusClient(
        base_url="https://api.leadping.ai", api_key=KEY, transport=_raising_transport(exc)
    ) as client:
        with pytest.raises(cls, match=text):
            await client.fetch(HEALTHY)


async def test_missing_key_is_an_auth_error_without_a_request(sim: Any) -> None:
    async with StatusClient(base_url=sim.base_url, api_key="") as client:
        with pytest.raises(errors.AuthenticationError):
            await client.fetch(HEALTHY)
    assert sim.requests == []


def test_plain_http_only_to_loopback() -> None:
    assert check_base_url("http://127.0.0.1:9000/") == "http://127.0.0.1:9000"
    assert check_base_url("http://localhost:9000") == "http://localhost:9000"
    with pytest.raises(errors.ConfigurationError, match="allow-insecure-http"):
        check_base_url("http://api.example.com")
    assert check_base_url("http://api.example.com", allow_insecure_http=True)
    with pytest.raises(errors.ConfigurationError):
        check_base_url("ftp://api.example.com")


def test_number_is_one_encoded_path_segment() -> None:
    assert status_path("+12025550101") == "/phone-numbers/%2B12025550101/status"
    assert status_path("../admin?x=1") == "/phone-numbers/..%2Fadmin%3Fx%3D1/status"


async def test_dashboard_client_parses_only_the_newest_events(sim: Any) -> None:
    sim.faults.set(Fault(kind="huge", events=20_000, actions=500, times=1))
    async with client_for(sim, max_events=2_000) as client:
        result = await client.fetch(HEALTHY)
    status = result.status
    assert len(status.recent_events) == 2_000
    assert status.events_total == 20_000
    assert len(result.raw["recentEvents"]) == 20_000
    newest = max(event["createdAt"] for event in result.raw["recentEvents"])
    assert (
        max(e.created_at for e in status.recent_events if e.created_at)
        .isoformat()
        .startswith(newest[:19])
    )


async def test_a_big_body_is_hashed_and_parsed_off_the_event_loop(
    sim: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, list[bool]] = {"digest": [], "parse": []}

    def recorded(name: str, original: Any) -> Any:
        def call(*args: Any) -> Any:
            threads[name].append(threading.current_thread() is threading.main_thread())
            return original(*args)

        return call

    monkeypatch.setattr(client_module, "_digest", recorded("digest", client_module._digest))
    monkeypatch.setattr(
        json_body, "decode_and_parse", recorded("parse", json_body.decode_and_parse)
    )
    sim.faults.set(Fault(kind="huge", events=2_000, actions=50, times=1))
    async with client_for(sim) as client:
        result = await client.fetch(HEALTHY)
    assert result.size > client_module.THREAD_PARSE_BYTES
    assert threads == {"digest": [False], "parse": [False]}, "on the event loop's thread"


def test_json_decoding_calls_python_once_per_object(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each call is a point where the parsing thread can hand the GIL to the
    # event loop; json.loads alone holds it for the whole body.
    seen: list[dict[str, Any]] = []

    def each(value: dict[str, Any]) -> dict[str, Any]:
        seen.append(value)
        return value

    monkeypatch.setattr(json_body, "_each_object", each)
    assert json_body.loads_bounded('{"a": [{"b": 1}, {"c": {"d": 2}}]}') == {
        "a": [{"b": 1}, {"c": {"d": 2}}]
    }
    assert len(seen) == 4


async def test_a_non_ascii_key_is_an_auth_error_not_a_crash(sim: Any) -> None:
    async with StatusClient(base_url=sim.base_url, api_key="sk_live_caf\u00e9_1234") as client:
        with pytest.raises(errors.AuthenticationError, match="ASCII"):
            await client.fetch(HEALTHY)
    assert sim.requests == []
