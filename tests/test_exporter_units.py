"""The exporter's pure parts: the cached text, state sets, addresses, the unit, the budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client.exposition import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from leadping_tui.api.condition import Condition
from leadping_tui.api.errors import NetworkError, NotFoundError, RateLimitedError, ServerError
from leadping_tui.api.listing import PhoneNumberTableRow
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.exporter.board import Board
from leadping_tui.exporter.poller import overlay
from leadping_tui.exporter.readings import Reading, reading_from_status, state_slug
from leadping_tui.exporter.server import is_loopback, parse_listen
from leadping_tui.exporter.stats import response_code
from leadping_tui.exporter.unit import quote_word


def _states(text: str, number: str) -> dict[str, float]:
    family = next(
        f for f in text_string_to_metric_families(text) if f.name == "leadping_warmup_state"
    )
    return {s.labels["state"]: s.value for s in family.samples if s.labels["number"] == number}


def test_the_cached_scrape_text_is_what_prometheus_client_renders() -> None:
    board = Board()
    board.set_numbers({"+12025550101": 'quote " and \\ and\nnewline', "+12025550102": ""})
    board.update(
        Reading(
            number="+12025550101",
            label='quote " and \\ and\nnewline',
            up=True,
            condition=Condition.CRITICAL,
            state="suspended_for_review",
            health_score=12.5,
            counts={"sms_sent": 3.0},
            last_success=1_800_000_000.25,
        )
    )
    board.set_numbers({"+12025550102": "", "+12025550103": "new", "+12025550101": "relabelled"})
    text = board.render()
    assert text == generate_latest(board.collector()).decode("utf-8")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert [s.labels["number"] for s in families["leadping_up"].samples] == [
        "+12025550102",
        "+12025550103",
        "+12025550101",
    ]
    # An unknown state from the API is kept beside the known ones, and is the current one.
    states = _states(text, "+12025550101")
    assert states["suspended_for_review"] == 1
    assert sum(states.values()) == 1 and {"in_progress", "blocked", "unknown"} <= set(states)
    # A number never read: up 0, condition and state unknown, no values.
    assert _states(text, "+12025550103")["unknown"] == 1
    condition = {
        s.labels["condition"]: s.value
        for s in families["leadping_condition"].samples
        if s.labels["number"] == "+12025550103"
    }
    assert condition == {"ok": 0, "warning": 0, "critical": 0, "unknown": 1}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("In Progress", "in_progress"),
        ("Not Started", "not_started"),
        ("READY", "ready"),
        ("\x1b[31mEvil\x1b[0m state", "31mevil_0m_state"),
        (None, "unknown"),
        ("   ", "unknown"),
        ("x" * 500, "x" * 48),
    ],
)
def test_state_labels_are_stable_slugs(text: str | None, slug: str) -> None:
    assert state_slug(text) == slug
    assert all(ch.isalnum() or ch == "_" for ch in state_slug(text))


def test_a_score_that_is_no_verdict_yet_is_left_out() -> None:
    status = PhoneNumberStatus.model_validate(
        {"smsWarmup": {"status": "Not Started", "healthStatus": "Not Evaluated", "healthScore": 0}}
    )
    reading = reading_from_status("+12025550106", status, label="", at=1.0)
    assert reading.health_score is None
    assert reading.condition is Condition.UNKNOWN and reading.state == "not_started"


def test_a_listing_row_refreshes_readiness_but_keeps_the_statuss_other_signals() -> None:
    status = PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {"status": "In Progress", "healthStatus": "Healthy", "healthScore": 90},
            "outboundCapacity": {"healthStatus": "suspended"},
            "optOutMetrics": {"optOutRatePercent": 1.5},
        }
    )
    row = PhoneNumberTableRow.model_validate(
        {"number": "+12025550101", "warmup": {"state": "Paused", "healthScore": 55}}
    )
    merged = reading_from_status("+12025550101", overlay(status, row), label="", at=1.0)
    assert merged.state == "paused" and merged.health_score == 55
    assert merged.opt_out_rate_percent == 1.5
    # Capacity "suspended" from the status still makes it critical.
    assert merged.condition is Condition.CRITICAL
    alone = reading_from_status("+12025550101", overlay(None, row), label="", at=1.0)
    assert alone.state == "paused" and alone.condition is Condition.WARNING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:9999", ("127.0.0.1", 9999)),
        ("localhost", ("localhost", 17464)),
        (":0", ("127.0.0.1", 0)),
        ("[::1]:8000", ("::1", 8000)),
    ],
)
def test_listen_addresses(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text, 17464) == expected


@pytest.mark.parametrize("text", ["::1:80", "host:http", "[::1", "1.2.3.4:70000"])
def test_bad_listen_addresses_say_why(text: str) -> None:
    with pytest.raises(ValueError, match="--listen"):
        parse_listen(text, 17464)


def test_only_loopback_counts_as_local() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert not is_loopback("example.com")


def test_request_codes() -> None:
    assert response_code(None) == "200"
    assert response_code(ServerError("x", status=503)) == "503"
    assert response_code(NotFoundError("x")) == "404"
    assert response_code(RateLimitedError("x", retry_after=None)) == "429"
    assert response_code(NetworkError("x")) == "network"


def test_systemd_words_are_quoted_and_escaped() -> None:
    assert quote_word("/usr/bin/leadping-tui") == "/usr/bin/leadping-tui"
    assert quote_word("/home/a b/venv/bin/leadping-tui") == '"/home/a b/venv/bin/leadping-tui"'
    assert quote_word("50%") == "50%%"
    assert quote_word("$HOME") == "$$HOME"
    assert quote_word('say "hi"') == '"say \\"hi\\""'


def test_install_service_writes_a_unit_with_an_absolute_exec(tmp_path: Path) -> None:
    from leadping_tui.cli import main
    from leadping_tui.exporter.unit import unit_path

    assert main(["install-service", "--", "--listen", "127.0.0.1:9999", "+12025550101"]) == 0
    text = unit_path().read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = exec_line.removeprefix("ExecStart=").split()
    assert Path(command[0]).is_absolute()
    assert command[-4:] == ["exporter", "--listen", "127.0.0.1:9999", "+12025550101"]
    assert "RestartPreventExitStatus=2" in text
    assert "sk_" not in text  # the key is never written into the unit
    assert main(["install-service", "--uninstall"]) == 0
    assert not unit_path().exists()


def test_install_service_refuses_arguments_the_exporter_would_refuse() -> None:
    from leadping_tui.cli import main

    with pytest.raises(SystemExit) as raised:
        main(["install-service", "--", "--no-such-flag"])
    assert raised.value.code == 2


def test_requests_never_exceed_the_budget_in_a_simulated_quarter_hour() -> None:
    from benchmarks.exporter import max_per_minute, simulated_hour

    for organisation in (False, True):
        result = simulated_hour(300, hours=0.25, organisation=organisation, rpm=30)
        assert max_per_minute(result["sent"]) <= 30
        # The budget is used, not wasted: about 30 a minute over 15 minutes.
        assert len(result["sent"]) >= 30 * 14
        if organisation:
            # Every row is read from the listing (3 pages a round).
            assert result["rows_up"] == result["watched"] == 300


def test_a_429_holds_every_number_until_retry_after() -> None:
    """On a virtual clock: after a 429 with Retry-After 40, nothing is sent for 40 s."""
    import asyncio
    from datetime import UTC, datetime

    from benchmarks.exporter import VirtualTimeLoop
    from leadping_tui.api.query import StatusQuery
    from leadping_tui.api.result import FetchResult
    from leadping_tui.exporter.plan import Plan
    from leadping_tui.exporter.service_loop import build_parts

    loop = VirtualTimeLoop()
    sent: list[tuple[float, str]] = []
    status = PhoneNumberStatus.model_validate({"smsWarmup": {"status": "Ready"}})

    async def fetch(number: str) -> FetchResult:
        sent.append((loop.time(), number))
        await asyncio.sleep(0.2)
        if len(sent) == 3:
            raise RateLimitedError("Rate limited by the API (429).", retry_after=40)
        return FetchResult(number, StatusQuery.window(7), status, {}, datetime.now(UTC), 0.2, 1)

    async def scenario() -> Board:
        numbers = {f"+120255501{i:02d}": "" for i in range(10)}
        plan = Plan("127.0.0.1", 0, numbers, (), 60, 60.0, 7, False)
        _, board, _, poller = build_parts(plan, fetch, clock=loop.time, wall=loop.time)
        poller.watch(numbers)
        stop = asyncio.Event()
        task = loop.create_task(poller.run(stop))
        await asyncio.sleep(120)
        stop.set()
        await task
        await poller.aclose()
        return board

    try:
        board = loop.run_until_complete(scenario())
    finally:
        loop.close()
    limited_at = sent[2][0] + 0.2
    after = [at for at, _ in sent[3:]]
    assert after and min(after) >= limited_at + 40
    limited = board.get(sent[2][1])
    # Its error time stays; once retried after the hold it is up again.
    assert limited is not None and limited.last_error == pytest.approx(limited_at)
    assert limited.up and limited.last_success is not None
    assert limited.last_success >= limited_at + 40


def test_a_failed_listing_round_keeps_values_and_marks_the_numbers_down() -> None:
    """--organisation on a virtual clock: round 2 fails (503), round 3 recovers."""
    import asyncio

    from benchmarks.exporter import VirtualTimeLoop
    from leadping_tui.api.listing import ListingPage, ListingQuery
    from leadping_tui.api.listing_client import ListingPageResult
    from leadping_tui.api.result import FetchResult
    from leadping_tui.exporter.listing_rounds import ListingRounds
    from leadping_tui.exporter.plan import Plan
    from leadping_tui.exporter.service_loop import build_parts

    loop = VirtualTimeLoop()
    page = ListingPage.model_validate(
        {
            "items": [
                {"number": f"+120255501{i:02d}", "name": f"Line {i}", "warmup": {"state": "Ready"}}
                for i in range(5)
            ]
        }
    )
    calls: list[float] = []

    async def fetch_page(query: ListingQuery) -> ListingPageResult:
        calls.append(loop.time())
        await asyncio.sleep(0.2)
        if len(calls) == 2:
            raise ServerError("The API had a server error (503).", status=503)
        return ListingPageResult(page, 0.2, 1)

    async def fetch(number: str) -> FetchResult:
        await asyncio.sleep(3600)  # status polls never answer here: the listing alone counts
        raise AssertionError

    seen: list[list[Reading]] = []

    async def scenario() -> None:
        plan = Plan("127.0.0.1", 0, {}, (), 30, 60.0, 7, False, organisation=True)
        budget, board, _, poller = build_parts(plan, fetch, clock=loop.time, wall=loop.time)
        rounds = ListingRounds(
            poller, budget, fetch_page, interval=60.0, saved_labels={}, clock=loop.time
        )
        stop = asyncio.Event()
        tasks = [loop.create_task(poller.run(stop)), loop.create_task(rounds.run(stop))]
        for _ in range(3):
            await asyncio.sleep(30)  # mid-interval, after each round
            seen.append(board.readings())
            await asyncio.sleep(30)
        stop.set()
        await asyncio.gather(*tasks)
        await poller.aclose()

    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
    first, failed, recovered = seen
    assert len(first) == 5 and all(r.up and r.state == "ready" for r in first)
    assert all(r.label.startswith("Line ") for r in first)
    # The failed round: same numbers, same values, down, with the error time set.
    assert [r.number for r in failed] == [r.number for r in first]
    assert all(not r.up and r.state == "ready" and r.last_error for r in failed)
    for reading in recovered:
        assert reading.up and reading.last_success and reading.last_error
        assert reading.last_success > reading.last_error


def test_the_rounds_after_the_start_up_round_wait_an_interval() -> None:
    """The round read before serving is not read again at once when the loop starts."""
    import asyncio

    from benchmarks.exporter import VirtualTimeLoop
    from leadping_tui.api.listing import ListingPage, ListingQuery
    from leadping_tui.api.listing_client import ListingPageResult
    from leadping_tui.api.result import FetchResult
    from leadping_tui.exporter.listing_rounds import ListingRounds
    from leadping_tui.exporter.plan import Plan
    from leadping_tui.exporter.service_loop import build_parts

    loop = VirtualTimeLoop()
    page = ListingPage.model_validate({"items": [{"number": "+12025550101"}]})
    calls: list[float] = []

    async def fetch_page(query: ListingQuery) -> ListingPageResult:
        calls.append(loop.time())
        return ListingPageResult(page, 0.0, 1)

    async def fetch(number: str) -> FetchResult:
        await asyncio.sleep(3600)
        raise AssertionError

    async def scenario() -> None:
        plan = Plan("127.0.0.1", 0, {}, (), 30, 60.0, 7, False, organisation=True)
        budget, _, _, poller = build_parts(plan, fetch, clock=loop.time, wall=loop.time)
        rounds = ListingRounds(
            poller, budget, fetch_page, interval=60.0, saved_labels={}, clock=loop.time
        )
        stop = asyncio.Event()
        await rounds.round(stop)  # start-up: read before serving
        await asyncio.sleep(5)
        task = loop.create_task(rounds.run(stop))
        await asyncio.sleep(130)
        stop.set()
        await task
        await poller.aclose()

    start = loop.time()
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
    assert [round(at - start) for at in calls] == [0, 60, 120]
