"""``leadping-tui exporter`` end to end: a real process, the real simulator, real scrapes.

Values are checked against what the simulator answers for the same number
and window (its clock is frozen, so both reads agree), in both response
shapes; the output is parsed with ``prometheus_client``'s own parser.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from leadping_tui import __version__
from leadping_tui.simulator import Simulator
from leadping_tui.simulator.clock import FrozenClock
from leadping_tui.simulator.faults import Fault
from leadping_tui.simulator.phone import NOT_FOUND_NUMBER
from leadping_tui.store.paths import AppPaths
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore
from tests.exporter_harness import API_KEY, LOG_LINE, Exporter, Metrics, wait_for

HEALTHY, ATTENTION, BLOCKED, NOT_STARTED = (
    "+12025550101",
    "+12025550102",
    "+12025550104",
    "+12025550106",
)
EXPECTED_CONDITION = {
    HEALTHY: "ok",
    ATTENTION: "warning",
    BLOCKED: "critical",
    NOT_STARTED: "unknown",
}


@pytest.fixture(scope="module")
def frozen_sim() -> Iterator[Simulator]:
    with Simulator(shape="sdk", clock=FrozenClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))) as s:
        yield s


@pytest.fixture
def fsim(frozen_sim: Simulator) -> Iterator[Simulator]:
    frozen_sim.faults.clear()
    frozen_sim.shape = "sdk"
    frozen_sim.clear_requests()
    yield frozen_sim
    frozen_sim.faults.clear()
    frozen_sim.shape = "sdk"


@pytest.fixture
def exporters() -> Iterator[list[Exporter]]:
    """Started exporters; each must stop with exit 0 on SIGTERM at the end."""
    started: list[Exporter] = []
    yield started
    try:
        for exporter in started:
            assert exporter.terminate() == 0, exporter.stderr
            assert "stopped" in exporter.stderr
            for line in exporter.lines:
                # One plain line per record: no ANSI when stderr is not a terminal.
                assert "\x1b" not in line and LOG_LINE.match(line), line
    finally:
        for exporter in started:
            exporter.kill()


def save_watchlist(entries: list[tuple[str, str]]) -> None:
    watchlist = Watchlist()
    for number, label in entries:
        watchlist = watchlist.add(number, label)
    WatchlistStore(AppPaths.default().watchlist_file).save(watchlist)


def api_status(sim: Simulator, number: str) -> dict[str, Any]:
    response = httpx.get(
        f"{sim.base_url}/phone-numbers/{number.replace('+', '%2B')}/status",
        params={"windowDays": "7"},
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def all_up(exporter: Exporter, numbers: list[str]) -> Metrics | None:
    metrics = exporter.scrape()
    ok = all(metrics.value("leadping_up", number=n) == 1 for n in numbers)
    return metrics if ok else None


@pytest.mark.parametrize("shape", ["sdk", "seed"])
def test_metrics_match_the_api_in_both_shapes(
    fsim: Simulator, exporters: list[Exporter], shape: str
) -> None:
    fsim.shape = shape
    save_watchlist([(HEALTHY, 'Main "line"')])
    numbers = list(EXPECTED_CONDITION)
    exporter = Exporter(fsim.base_url, *numbers)
    exporters.append(exporter)
    exporter.wait_serving()
    metrics = wait_for(lambda: all_up(exporter, numbers), what="every number polled")

    for number in numbers:
        raw = api_status(fsim, number)
        warmup, opt_outs, traffic = raw["smsWarmup"], raw["optOutMetrics"], raw["trafficMetrics"]
        condition = metrics.state("leadping_condition", "condition", number)
        assert condition == {
            c: float(c == EXPECTED_CONDITION[number])
            for c in ("ok", "warning", "critical", "unknown")
        }
        states = metrics.state("leadping_warmup_state", "state", number)
        assert sum(states.values()) == 1
        expected_state = "unknown"
        if shape == "sdk":
            expected_state = warmup["status"].lower().replace(" ", "_")
        assert states[expected_state] == 1
        assert metrics.value("leadping_warmup_progress_percent", number=number) == float(
            warmup["progressPercent"]
        )
        score = metrics.value("leadping_warmup_health_score", number=number)
        # A number that has not started has no verdict yet: no score sample.
        assert score == (None if number == NOT_STARTED else float(warmup["healthScore"]))
        assert metrics.value("leadping_opt_out_rate_percent", number=number) == pytest.approx(
            float(opt_outs["optOutRatePercent"])
        )
        assert metrics.value("leadping_messages_possible", number=number) == float(
            raw["messagesPossible"]
        )
        assert metrics.value("leadping_calls_possible", number=number) == float(
            raw["callsPossible"]
        )
        assert metrics.value("leadping_sms_sent_total", number=number) == float(
            traffic["smsSentCount"]
        )
        assert metrics.value("leadping_opt_outs_total", number=number) == float(
            opt_outs["optOutCount"]
        )
        delivery = metrics.value("leadping_delivery_success_rate_percent", number=number)
        reported = warmup.get("deliverySuccessRate")
        assert delivery == (None if reported is None else float(reported))
        assert metrics.value("leadping_last_success_timestamp_seconds", number=number)
        assert metrics.value("leadping_last_error_timestamp_seconds", number=number) is None

    # The label comes from the watchlist, only where one is set, escaped by the library.
    assert metrics.samples("leadping_up", number=HEALTHY)[0].labels["label"] == 'Main "line"'
    assert "label" not in metrics.samples("leadping_up", number=BLOCKED)[0].labels
    assert "window count" in metrics.families["leadping_sms_sent_total"].documentation.lower()
    assert metrics.families["leadping_sms_sent_total"].type == "gauge"
    assert metrics.value("leadping_exporter_info", version=__version__) == 1
    assert metrics.value("leadping_api_requests_total", code="200") >= len(numbers)
    assert metrics.value("leadping_api_request_duration_seconds_count") >= len(numbers)
    assert metrics.value("leadping_budget_tokens") is not None
    assert metrics.value("leadping_numbers_watched") == len(numbers)


def test_scrapes_never_make_api_requests(fsim: Simulator, exporters: list[Exporter]) -> None:
    exporter = Exporter(fsim.base_url, "--interval", "3600", HEALTHY)
    exporters.append(exporter)
    exporter.wait_serving()
    wait_for(lambda: all_up(exporter, [HEALTHY]))
    before = len(fsim.requests)
    for _ in range(20):
        exporter.scrape()
    assert exporter.get("/healthz").text == "ok\n"
    assert exporter.get("/nothing").status_code == 404
    assert len(fsim.requests) == before


def test_a_number_never_read_is_unknown_and_sigterm_stops_in_flight(
    fsim: Simulator, exporters: list[Exporter]
) -> None:
    slow = "+12025550105"
    save_watchlist([(HEALTHY, ""), (slow, "slow one")])
    # Its request hangs: it is never read while the test looks.
    fsim.faults.set(Fault("latency", delay=60), number=slow)
    exporter = Exporter(fsim.base_url)  # the saved watchlist
    exporters.append(exporter)
    exporter.wait_serving()
    metrics = wait_for(lambda: all_up(exporter, [HEALTHY]))
    wait_for(lambda: any(r.number == slow for r in fsim.requests), what="the slow request")
    metrics = exporter.scrape()
    assert metrics.state("leadping_condition", "condition", slow) == {
        "ok": 0,
        "warning": 0,
        "critical": 0,
        "unknown": 1,
    }
    assert metrics.state("leadping_warmup_state", "state", slow)["unknown"] == 1
    assert metrics.value("leadping_up", number=slow, label="slow one") == 0
    assert metrics.value("leadping_warmup_health_score", number=slow) is None
    # SIGTERM while that request is in flight: a clean, prompt exit 0 (checked by the fixture).


def test_an_outage_keeps_the_last_values_and_moves_the_error_time(
    fsim: Simulator, exporters: list[Exporter]
) -> None:
    # One poll a second (the floor is 15 s, lowered for this process), so
    # the outage shows at the next poll; the retry then waits the backoff (~5 s).
    exporter = Exporter(fsim.base_url, "--interval", "1", HEALTHY, min_interval=1)
    exporters.append(exporter)
    exporter.wait_serving()
    good = wait_for(lambda: all_up(exporter, [HEALTHY]))
    score = good.value("leadping_warmup_health_score", number=HEALTHY)
    fsim.faults.set(Fault("status", status=503))

    def down() -> Metrics | None:
        metrics = exporter.scrape()
        return metrics if metrics.value("leadping_up", number=HEALTHY) == 0 else None

    first = wait_for(down, timeout=30, what="leadping_up 0")
    first_error = first.value("leadping_last_error_timestamp_seconds", number=HEALTHY)
    assert first_error > first.value("leadping_last_success_timestamp_seconds", number=HEALTHY)
    # The last good values are still served.
    assert first.value("leadping_warmup_health_score", number=HEALTHY) == score
    assert first.state("leadping_condition", "condition", HEALTHY)["ok"] == 1
    assert first.value("leadping_api_requests_total", code="503") >= 1

    def error_moved() -> bool:
        later = exporter.scrape().value("leadping_last_error_timestamp_seconds", number=HEALTHY)
        return later is not None and later > first_error

    wait_for(error_moved, timeout=30, what="the error time to move on the retry")
    assert exporter.get("/healthz").status_code == 200


def test_record_writes_the_dashboards_history(fsim: Simulator, exporters: list[Exporter]) -> None:
    from leadping_tui.store.history import History

    exporter = Exporter(fsim.base_url, "--record", BLOCKED)
    exporter.wait_serving()
    wait_for(lambda: all_up(exporter, [BLOCKED]))
    assert exporter.terminate() == 0
    # Each API has its own history file, as in the dashboard.
    history, _ = History.open(AppPaths.default().for_api(fsim.base_url).history_db)
    with history:
        latest = history.latest(BLOCKED)
    assert latest is not None
    assert latest.condition.value == "critical"


def test_port_in_use_fails_before_any_request(fsim: Simulator) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        exporter = Exporter(fsim.base_url, "--listen", f"127.0.0.1:{port}", HEALTHY)
        assert exporter.exit_code() == 2
    assert "already in use" in exporter.stderr
    assert fsim.requests == []


@pytest.mark.parametrize(
    ("args", "key", "message"),
    [
        ([NOT_FOUND_NUMBER], API_KEY, "not a number of your organisation"),
        ([HEALTHY], None, "No API key"),
        (["+1 202 555"], API_KEY, "too short"),
        (["--listen", "0.0.0.0:0", HEALTHY], API_KEY, "--allow-remote"),
        ([], API_KEY, "No numbers to watch"),
        (["--organisation", HEALTHY], API_KEY, "not both"),
        (["--record", "--window", "30", HEALTHY], API_KEY, "default window"),
    ],
)
def test_bad_input_exits_non_zero_before_serving(
    fsim: Simulator, args: list[str], key: str | None, message: str
) -> None:
    exporter = Exporter(fsim.base_url, *args, key=key)
    assert exporter.exit_code() == 2
    assert message in exporter.stderr
    assert "serving" not in exporter.stderr


def test_the_exporter_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "from leadping_tui.exporter import board, command, poller, server, service_loop, unit\n"
        "from leadping_tui import cli\n"
        "cli._subcommand_parser('exporter')\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_organisation_watches_the_whole_listing_in_three_requests(
    fsim: Simulator, exporters: list[Exporter]
) -> None:
    from leadping_tui.simulator.fleet import fleet_numbers

    fleet = fleet_numbers(250)
    fsim.organization = fleet
    try:
        save_watchlist([(BLOCKED, "my own label")])
        # Status polls are slowed to a trickle (two a second for 250 numbers, and
        # none while a listing round runs) so the listing alone must fill the rows.
        exporter = Exporter(
            fsim.base_url, "--organisation", "--requests-per-minute", "120", "--interval", "600"
        )
        exporters.append(exporter)
        exporter.wait_serving()
        metrics = exporter.scrape()
    finally:
        fsim.organization = fleet_numbers(6)
    listing = [r for r in fsim.requests if r.method == "POST"]
    assert len(listing) == 3  # 250 numbers at 100 a page
    assert metrics.value("leadping_numbers_watched") == 250
    for number in fleet:
        assert metrics.value("leadping_up", number=number) == 1, number
        assert metrics.state("leadping_condition", "condition", number)["unknown"] in (0, 1)
    assert metrics.state("leadping_condition", "condition", BLOCKED)["critical"] == 1
    assert metrics.state("leadping_warmup_state", "state", BLOCKED)["blocked"] == 1
    # The user's label wins over the listing's name; other rows carry their name.
    assert metrics.samples("leadping_up", number=BLOCKED)[0].labels["label"] == "my own label"
    assert (
        metrics.samples("leadping_up", number=fleet[-1])[0]
        .labels["label"]
        .startswith("Campaign line")
    )


def test_organisation_with_a_key_that_may_not_list_exits_before_serving(fsim: Simulator) -> None:
    fsim.faults.set(Fault("status", status=403), number="organization")
    exporter = Exporter(fsim.base_url, "--organisation")
    assert exporter.exit_code() == 2
    assert "--organisation" in exporter.stderr and "403" in exporter.stderr
    assert "serving" not in exporter.stderr
