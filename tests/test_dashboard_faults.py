"""The dashboard holds up when the API or the network misbehaves, and recovers by itself.

Every fault follows one script: a good status is on screen; the fault
starts; a refresh fails; the app is still running, the last good data is
still drawn (marked stale), the status bar says one calm sentence about it
and no notifications pile up; the fault goes away and, once the backoff has
passed on the scheduler's fake clock, fresh data is back and the message is
gone.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from app_harness import (
    TEST_KEY,
    FakeClock,
    dashboard,
    make_app,
    notices,
    on_fake_clock,
    settle,
    wait_until,
)
from hostile_server import Connection, HostileServer
from textual.pilot import Pilot

from leadping_tui.api.client import StatusClient
from leadping_tui.phone import format_number
from leadping_tui.simulator import Fault
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.poller import Poller
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.health_panel import WAITING, HealthPanel
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar

NUMBER, OTHER = "+12025550101", "+12025550105"
SIZE = (120, 40)
# The read timeout of the client that meets a slow API. It only ever waits
# for answers that take 10 s or more, so a loaded machine just notices later;
# good answers come through the app's own client and its default timeouts.
SHORT_READ = httpx.Timeout(5.0, read=0.3)


def poller(app: LeadPingApp) -> Poller:
    loop = dashboard(app)._poller
    assert loop is not None
    return loop


async def advance(app: LeadPingApp, pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    poller(app).wake()
    await settle(app, pilot)


def bar(app: LeadPingApp) -> BarState:
    state = dashboard(app).query_one(StatusBar).state
    assert state is not None
    return state


def score_text(app: LeadPingApp, number: str = NUMBER) -> str:
    warmup = dashboard(app).results[number].status.sms_warmup
    assert warmup is not None and warmup.health_score is not None
    return f"{round(warmup.health_score)}/100"


def count(sim: Any, number: str = NUMBER) -> int:
    return sum(1 for request in sim.requests if request.number == number)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class NoSuchHostTransport(httpx.AsyncBaseTransport):
    """What httpx raises when the API host name does not resolve (no real DNS query)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)


def refused_client() -> StatusClient:
    return StatusClient(base_url=f"http://127.0.0.1:{closed_port()}", api_key=TEST_KEY)


_DRIP: list[HostileServer] = []


def drip(connection: Connection) -> None:
    """Headers, then one byte at a time for ever: every read is quick, the answer never ends."""
    connection.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n{")
    while connection.wait(0.05) and connection.send(b" "):
        pass


@pytest.fixture(autouse=True, scope="module")
def _stop_drip_server() -> Iterator[None]:
    yield
    while _DRIP:
        _DRIP.pop().__exit__(None, None, None)


def drip_client() -> StatusClient:
    """A client whose server drips; its short deadline stands in for the 30 s default."""
    if not _DRIP:
        _DRIP.append(HostileServer(drip).__enter__())
    return StatusClient(base_url=_DRIP[0].base_url, api_key=TEST_KEY, deadline=0.3)


def no_dns_client() -> StatusClient:
    return StatusClient(
        base_url="https://api.leadping.invalid", api_key=TEST_KEY, transport=NoSuchHostTransport()
    )


@dataclass(frozen=True)
class Trouble:
    """One way things go wrong, and what the status bar should say about it."""

    says: tuple[str, ...]
    kind: str
    fault: Fault | None = None
    broken_client: Callable[[], StatusClient] | None = None
    """A client that cannot reach the API (the simulator cannot refuse a connection)."""
    short_timeout: bool = False
    """Met with a client that gives up after :data:`SHORT_READ` (instead of 30 s)."""


TROUBLES: dict[str, Trouble] = {
    "connection-refused": Trouble(
        ("Offline: Connection refused by the API host. Next try in 5 s.",),
        "network",
        broken_client=refused_client,
    ),
    "dns-failure": Trouble(
        ("Offline: Cannot resolve the API host name",), "network", broken_client=no_dns_client
    ),
    "connection-reset": Trouble(("Offline: The connection was reset",), "network", Fault("reset")),
    "dropped-connection": Trouble(
        ("Offline: The API closed the connection without answering.",), "network", Fault("drop")
    ),
    "read-timeout": Trouble(
        ("Slow or unreachable: The API took too long to answer.",),
        "timeout",
        Fault("latency", delay=30.0),
        short_timeout=True,
    ),
    "slow-body": Trouble(
        ("Slow or unreachable: The API took too long to answer.",),
        "timeout",
        Fault("slow_body", delay=400.0),  # 10 s between chunks
        short_timeout=True,
    ),
    "slow-drip": Trouble(
        ("Slow or unreachable: The API did not finish answering within 0.3 s.",),
        "timeout",
        broken_client=drip_client,
    ),
    "500": Trouble(("server error (500)",), "server", Fault("status", status=500)),
    "502": Trouble(("server error (502)",), "server", Fault("status", status=502)),
    "503": Trouble(("server error (503)",), "server", Fault("status", status=503)),
    "401": Trouble(
        ("(401)", "press Ctrl+K to enter a new one"), "auth", Fault("status", status=401)
    ),
    "404": Trouble(
        (f"{format_number(NUMBER)} is not in your organisation (404)",),
        "not_found",
        Fault("status", status=404),
    ),
    "429-retry-after": Trouble(
        ("Rate limited by the API: next try in 42 s",),
        "rate_limited",
        Fault("rate_limit", retry_after=42),
    ),
    "429-no-retry-after": Trouble(
        ("Rate limited by the API: next try in 5 s",), "rate_limited", Fault("rate_limit")
    ),
    "not-json": Trouble(("not JSON (text/html)",), "bad_response", Fault("not_json")),
    "wrong-shape": Trouble(("not a status object",), "bad_response", Fault("wrong_shape")),
    "truncated": Trouble(("cut off",), "bad_response", Fault("truncated")),
}


# One app rides out each group of troubles in turn, as a long-running session would.
GROUPS: dict[str, tuple[str, ...]] = {
    "network": ("connection-refused", "dns-failure", "connection-reset", "dropped-connection"),
    "timeouts": ("read-timeout", "slow-body", "slow-drip"),
    "server-errors": ("500", "502", "503"),
    "refusals": ("401", "404"),
    "rate-limits": ("429-retry-after", "429-no-retry-after"),
    "bad-bodies": ("not-json", "wrong-shape", "truncated"),
}


def test_every_trouble_is_in_a_group() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(TROUBLES)


@pytest.mark.parametrize("group", list(GROUPS))
async def test_a_failed_refresh_keeps_the_last_good_data_and_recovers_by_itself(
    sim: Any, tmp_path: Path, group: str
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for name in GROUPS[group]:
            await ride_out(app, pilot, clock, sim, TROUBLES[name], name)


async def ride_out(
    app: LeadPingApp, pilot: Pilot[int], clock: FakeClock, sim: Any, trouble: Trouble, name: str
) -> None:
    """Good data on screen, then ``trouble`` for two tries, then recovery."""
    screen = dashboard(app)
    health = screen.query_one(HealthPanel)
    good = screen.results[NUMBER]
    shown = score_text(app)
    assert shown in health.plain, name
    assert bar(app).mode == "live" and bar(app).message == "", name

    good_client = poller(app).client
    broken = trouble.broken_client() if trouble.broken_client else None
    if broken is not None:
        poller(app).client = broken
    impatient = None
    if trouble.short_timeout:
        impatient = StatusClient(base_url=sim.base_url, api_key=TEST_KEY, timeout=SHORT_READ)
        poller(app).client = impatient
    if trouble.fault is not None:
        sim.faults.set(trouble.fault, NUMBER)
    before = count(sim)
    clock.advance(2)
    await pilot.press("r")
    await settle(app, pilot)

    assert app.is_running and app.return_code is None, name
    if broken is None:
        assert count(sim) == before + 1, name
    assert screen.errors[NUMBER].kind == trouble.kind, name
    assert screen.results[NUMBER] is good, f"{name}: the last good status is kept"
    assert screen.results[NUMBER].received_at == good.received_at, name
    assert shown in health.plain, name
    assert health.has_class("-stale"), name
    state = bar(app)
    assert state.mode == "stale", name
    for words in trouble.says:
        assert words in state.message, (name, words, state.message)
    assert "\n" not in state.message, name
    assert notices(app) == [], name

    # Nothing goes before the backoff (or Retry-After) has passed.
    retry_at = app.scheduler.state(NUMBER).retry_at  # type: ignore[union-attr]
    assert retry_at is not None and retry_at > clock(), name
    before = count(sim)
    await advance(app, pilot, clock, 1)
    assert count(sim) == before, name

    # Still failing at the next try: one retry, one calm line, the data still there.
    await advance(app, pilot, clock, retry_at - clock() + 0.5)
    assert app.scheduler.state(NUMBER).failures == 2, name  # type: ignore[union-attr]
    if broken is None:
        assert count(sim) == before + 1, name
    assert screen.errors[NUMBER].kind == trouble.kind, name
    assert screen.results[NUMBER] is good, name
    assert bar(app).mode == "stale", name
    assert bar(app).message and "\n" not in bar(app).message, name
    assert notices(app) == [], name
    retry_at = app.scheduler.state(NUMBER).retry_at  # type: ignore[union-attr]
    assert retry_at is not None and retry_at > clock(), name

    # The trouble ends; the app comes back by itself once the backoff is over.
    before = count(sim)
    sim.faults.clear()
    if broken is not None or impatient is not None:
        poller(app).client = good_client
    for client in (broken, impatient):
        if client is not None:
            await client.aclose()
    await advance(app, pilot, clock, retry_at - clock() + 0.5)
    assert count(sim) == before + 1, name
    assert NUMBER not in screen.errors, name
    assert screen.results[NUMBER].received_at > good.received_at, name
    assert score_text(app) in health.plain, name
    assert not health.has_class("-stale"), name
    assert bar(app).mode == "live", name
    assert bar(app).message == "", name


async def test_retry_after_wins_over_r_and_holds_every_number(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER, OTHER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await advance(app, pilot, clock, 2)  # both numbers have loaded
        assert {NUMBER, OTHER} <= set(dashboard(app).results)
        sim.faults.set(Fault("rate_limit", retry_after=60), NUMBER)
        await pilot.press("r")
        await settle(app, pilot)
        assert "Rate limited by the API: next try in 1 min" in bar(app).message
        sim.faults.clear()
        sim.clear_requests()

        await pilot.press("r", "r", "r")
        await settle(app, pilot)
        assert sim.requests == [], "r must not jump a Retry-After"
        # The status bar already counts down: no toast per press.
        assert "next try in 1 min" in bar(app).message
        assert notices(app) == []

        # Looking at the other number, held by NUMBER's 429: r says why, once per press.
        await pilot.press("down")
        await settle(app, pilot)
        assert dashboard(app).selected == OTHER
        assert sim.requests == []
        await pilot.press("r")
        await settle(app, pilot)
        assert sim.requests == []
        assert [n.message for n in notices(app)] == [
            "Rate limited by the API (Retry-After): refreshing in 60 s."
        ]
        await pilot.press("up")
        await settle(app, pilot)

        # The quota is the organisation's: the other number, due after 20 s, waits too.
        app.scheduler.set_intervals(background=20)
        await advance(app, pilot, clock, 30)
        assert sim.requests == []
        dashboard(app)._tick()  # what the one-second timer does
        assert "next try in 30 s" in bar(app).message
        await advance(app, pilot, clock, 31)
        assert {r.number for r in sim.requests} == {NUMBER, OTHER}
        assert bar(app).message == ""
        assert bar(app).mode == "live"


async def test_a_huge_answer_shows_the_newest_500_events_and_says_so(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    on_fake_clock(app)
    sim.faults.set(Fault("huge", events=20_000, actions=50), NUMBER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        result = screen.results[NUMBER]
        assert len(result.raw["recentEvents"]) == 20_000
        assert result.status.events_total == 20_000
        log = screen.query_one(EventLog)
        await wait_until(pilot, lambda: log.table.row_count == 500, "the event log filled")
        assert log.note.startswith("showing 500 of 20,000 events (newest)")
        assert bar(app).mode == "live" and bar(app).message == ""
        assert notices(app) == []


async def test_first_load_against_a_closed_port_says_offline_and_keeps_running(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    on_fake_clock(app)
    app._client = refused_client()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert app.is_running
        assert NUMBER not in screen.results
        assert screen.errors[NUMBER].kind == "network"
        state = bar(app)
        assert state.mode == "stale"
        assert state.updated == "not loaded yet"
        assert state.message.startswith("Offline: Connection refused")
        assert screen.query_one(HealthPanel).plain.startswith(WAITING)
        assert notices(app) == []


async def test_quitting_while_a_request_hangs_exits_at_once(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim.hold(NUMBER)  # released by the sim fixture, after the app has gone
        clock.advance(2)
        await pilot.press("r")
        assert app.scheduler.in_flight_count == 1
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_slow_body_inside_the_timeout_is_waited_for(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = dashboard(app).results[NUMBER]
        sim.faults.set(Fault("slow_body", delay=0.6), NUMBER)
        held = sim.hold(NUMBER)
        clock.advance(2)
        await pilot.press("r")
        assert bar(app).mode == "loading"
        held.release()
        await settle(app, pilot)
        assert dashboard(app).results[NUMBER].received_at > first.received_at
        assert NUMBER not in dashboard(app).errors
        assert bar(app).mode == "live" and bar(app).message == ""


@pytest.mark.parametrize(
    ("code", "kind", "says"),
    [(403, "forbidden", "lacks permission"), (400, "rejected", "will refuse it again")],
)
async def test_a_refusal_that_will_not_change_is_not_retried_until_r(
    sim: Any, tmp_path: Path, code: int, kind: str, says: str
) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    clock = on_fake_clock(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        good = dashboard(app).results[NUMBER]
        sim.faults.set(Fault("status", status=code), NUMBER)
        clock.advance(2)
        await pilot.press("r")
        await settle(app, pilot)
        assert dashboard(app).errors[NUMBER].kind == kind
        assert dashboard(app).results[NUMBER] is good
        message = bar(app).message
        assert f"({code})" in message and says in message and "Press r" in message
        assert "retrying" not in message.lower() and "next try" not in message.lower()
        if code == 403:
            assert "LEADPING_API_KEY" not in message, "a 403 is not a wrong key"

        # No backoff loop of identical refusals, however long we wait.
        before = count(sim)
        for _ in range(3):
            await advance(app, pilot, clock, 600)
        assert count(sim) == before

        # The user asks: one try, and it recovers.
        sim.faults.clear()
        await pilot.press("r")
        await settle(app, pilot)
        assert count(sim) == before + 1
        assert NUMBER not in dashboard(app).errors


async def test_a_socks_proxy_without_the_extra_is_named_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    app = make_app(None, tmp_path, watchlist=[NUMBER])  # https://api.leadping.ai
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        error = dashboard(app).errors[NUMBER]
        assert error.kind == "config"
        state = app.scheduler.state(NUMBER)
        assert state is not None and not state.in_flight
        assert "ALL_PROXY" in bar(app).message and "socks" in bar(app).message
