"""The first status request sent at process start (issue 12, leadping_tui.api.early).

Its answer becomes the dashboard's first status when the dashboard's first
request is exactly the one sent; no second request goes out for it. A failed,
refused, oversized or mismatched early request falls back to the normal
client. It keeps the client's rules: the key is masked in what it returns
and never logged, the body is capped, proxies and plain http are refused.
"""

from __future__ import annotations

import gzip
import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from app_harness import TEST_KEY, dashboard, make_app, on_fake_clock, settle, wait_until
from hostile_server import Connection, HostileServer, gzip_bomb_chunks

from leadping_tui.api import client as client_module
from leadping_tui.api import early as early_module
from leadping_tui.api import streaming
from leadping_tui.api.early import EarlyStatus, EarlyTarget, guess_target
from leadping_tui.simulator import Simulator
from leadping_tui.simulator.faults import Fault
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens import dashboard as dashboard_module

HEALTHY = "+12025550101"
OTHER = "+12025550102"
SIZE = (120, 40)
MASK = "sk_…5555"


def early_for(app: LeadPingApp, number: str, *, key: str | None = None) -> EarlyStatus:
    """The request the launcher would send for ``app``'s first status of ``number``."""
    runtime = app.runtime
    params = tuple(app.initial_query.params().items())
    return EarlyStatus(EarlyTarget(runtime.base_url, key or runtime.api_key or "", number, params))


def status_requests(sim: Any, number: str) -> list[Any]:
    return [r for r in sim.requests if r.number == number and r.endpoint == "status"]


async def test_an_early_answer_is_the_first_status_and_no_second_request_goes_out(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    early = early_for(app, HEALTHY)
    assert early.future.result(timeout=10) is not None  # answered while "importing"
    app.config.early_status = early
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert screen.results[HEALTHY].raw.get("smsWarmup")
        assert not screen.errors
        sent = status_requests(sim, HEALTHY)
        assert len(sent) == 1
        assert sent[0].authorization == f"Bearer {TEST_KEY}"
        assert sent[0].user_agent == f"leadping-tui/{client_module.__version__}"


async def test_the_client_remembers_the_early_body(tmp_path: Path) -> None:
    # A simulator whose clock stands still answers the same bytes each time.
    still = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with Simulator(shape="sdk", clock=lambda: still) as sim:
        app = make_app(sim, tmp_path, watchlist=[HEALTHY])
        on_fake_clock(app)
        app.config.early_status = early_for(app, HEALTHY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            screen = dashboard(app)
            assert not screen.results[HEALTHY].unchanged
            await pilot.press("r")
            await wait_until(pilot, lambda: len(status_requests(sim, HEALTHY)) == 2, "the refresh")
            await settle(app, pilot)
            assert screen.results[HEALTHY].unchanged  # recognised, not parsed again


async def test_an_early_request_still_on_its_way_is_waited_for_not_repeated(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    held = sim.hold(HEALTHY)
    try:
        app.config.early_status = early_for(app, HEALTHY)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: len(status_requests(sim, HEALTHY)) == 1, "the GET")
            screen = dashboard(app)
            assert HEALTHY not in screen.results
            held.release()
            await wait_until(pilot, lambda: HEALTHY in screen.results, "the early answer")
            await settle(app, pilot)
            assert len(status_requests(sim, HEALTHY)) == 1
    finally:
        held.release()


async def test_while_the_early_answer_is_on_its_way_nothing_else_starts(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing round, the background polls and the client wait for the first status."""
    # No fallback within the test: only the first status finishes start-up.
    monkeypatch.setattr(dashboard_module, "DEFERRED_FALLBACK", 600.0)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER], listing=True)
    on_fake_clock(app)
    held = sim.hold(HEALTHY)
    try:
        app.config.early_status = early_for(app, HEALTHY)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: len(status_requests(sim, HEALTHY)) == 1, "the GET")
            screen = dashboard(app)
            for _ in range(5):
                await pilot.pause()
            assert not any(worker.group == "listing" for worker in app.workers)
            assert [r for r in sim.requests if r.number != HEALTHY] == []
            assert not screen.startup_finished
            held.release()
            await wait_until(pilot, lambda: HEALTHY in screen.results, "the early answer")
            await wait_until(
                pilot,
                lambda: any(r.endpoint == "organization" for r in sim.requests),
                "the listing round after the first status",
            )
            await settle(app, pilot)
            assert len(status_requests(sim, HEALTHY)) == 1
    finally:
        held.release()


async def test_a_failed_early_request_falls_back_to_the_normal_request(
    sim: Any, tmp_path: Path
) -> None:
    sim.faults.set(Fault("status", status=503, times=1), HEALTHY)
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    early = early_for(app, HEALTHY)
    assert early.future.result(timeout=10) is None  # the 503 is not handed over
    app.config.early_status = early
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        await wait_until(pilot, lambda: HEALTHY in screen.results, "the normal request")
        assert not screen.errors
        assert len(status_requests(sim, HEALTHY)) == 2


async def test_an_early_request_for_another_number_or_key_is_not_used(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    early = early_for(app, OTHER)
    assert early.future.result(timeout=10) is not None
    app.config.early_status = early
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        assert screen.results[HEALTHY].raw.get("smsWarmup")
        assert len(status_requests(sim, HEALTHY)) == 1
        assert OTHER not in screen.results
    assert early.take(app.runtime.base_url, "sk_another", OTHER, app.initial_query.params()) is None


def echo(connection: Connection) -> None:
    sent = connection.header("Authorization") or ""
    connection.answer_json(
        200,
        {
            "phoneNumber": HEALTHY,
            "smsWarmup": {"healthScore": 70, "pauseReason": f"debug: {sent}"},
            "debug": {"authorization": sent},
        },
    )


async def test_an_early_answer_echoing_the_key_is_masked_and_nothing_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with HostileServer(echo) as server:
        app = make_app(server, tmp_path, watchlist=[HEALTHY])
        early = early_for(app, HEALTHY)
        assert early.future.result(timeout=10) is not None
        app.config.early_status = early
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            result = dashboard(app).results[HEALTHY]
            assert TEST_KEY not in str(result.raw) and MASK in str(result.raw)
            assert len(server.requests) == 1
    assert TEST_KEY not in caplog.text


def test_the_early_body_is_capped_decoded_and_a_bomb_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(early_module, "MAX_BODY_BYTES", 64 * 1024)

    def bomb(connection: Connection) -> None:
        if connection.start_chunked({"Content-Encoding": "gzip"}):
            for piece in gzip_bomb_chunks(8 * 1024 * 1024):
                if not connection.chunk(piece):
                    return
            connection.chunk(b"")

    def small_gzip(connection: Connection) -> None:
        body = gzip.compress(b'{"phoneNumber": "+12025550101"}')
        connection.answer(200, body, headers={"Content-Encoding": "gzip"})

    def brotli(connection: Connection) -> None:
        connection.answer(200, b"{}", headers={"Content-Encoding": "br"})

    for respond, expected in ((bomb, None), (brotli, None), (small_gzip, b"+12025550101")):
        with HostileServer(respond) as server:
            early = EarlyStatus(
                EarlyTarget(server.base_url, TEST_KEY, HEALTHY, (("windowDays", "7"),))
            )
            answer = early.future.result(timeout=20)
            if expected is None:
                assert answer is None, respond.__name__
            else:
                assert answer is not None and expected in answer.body
            assert server.heads and b"Bearer " + TEST_KEY.encode() in server.heads[0]
            assert b"gzip, deflate" in server.heads[0]


def test_the_early_request_keeps_the_clients_limits() -> None:
    timeout = client_module.DEFAULT_TIMEOUT
    assert timeout.connect == early_module.CONNECT_TIMEOUT
    assert timeout.read == early_module.READ_TIMEOUT
    assert streaming.ACCEPT_ENCODING == "gzip, deflate"  # what the early request sends
    assert early_module.MAX_BODY_BYTES == client_module.MAX_BODY_BYTES
    assert early_module.DEFAULT_DEADLINE == client_module.DEFAULT_DEADLINE
    assert early_module.THREAD_PARSE_BYTES == client_module.THREAD_PARSE_BYTES
    assert early_module.DEFAULT_BASE_URL == client_module.DEFAULT_BASE_URL


def _files(tmp_path: Path, settings: str = "", selected: str | None = None) -> dict[str, Any]:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(settings, encoding="utf-8")
    watchlist_file = tmp_path / "watchlist.json"
    entries = ", ".join(f'{{"number": "{n}", "label": ""}}' for n in (HEALTHY, OTHER))
    chosen = f'"{selected}"' if selected else "null"
    watchlist_file.write_text(
        f'{{"version": 1, "selected": {chosen}, "entries": [{entries}]}}', encoding="utf-8"
    )
    return {"settings_file": settings_file, "watchlist_file": watchlist_file}


def test_the_guess_follows_the_settings_precedence(tmp_path: Path) -> None:
    files = _files(
        tmp_path,
        'api_key = "sk_file_key"\nbase_url = "https://file.example"\ndefault_window_days = 30\n',
        selected=OTHER,
    )
    from_file = guess_target(**files, base_url_flag=None, allow_insecure_flag=False, env={})
    assert from_file == EarlyTarget(
        "https://file.example", "sk_file_key", OTHER, (("windowDays", "30"),)
    )
    env = {"LEADPING_API_KEY": " sk_env_key ", "LEADPING_BASE_URL": "https://env.example/"}
    from_env = guess_target(**files, base_url_flag=None, allow_insecure_flag=False, env=env)
    assert from_env is not None
    assert (from_env.api_key, from_env.base_url) == ("sk_env_key", "https://env.example")
    flagged = guess_target(
        **files, base_url_flag="http://127.0.0.1:9/", allow_insecure_flag=False, env=env
    )
    assert flagged is not None and flagged.base_url == "http://127.0.0.1:9"
    first = guess_target(
        **_files(tmp_path, 'api_key = "sk_k"\n'),
        base_url_flag=None,
        allow_insecure_flag=False,
        env={},
    )
    assert first is not None and first.number == HEALTHY
    assert first.base_url == client_module.DEFAULT_BASE_URL


@pytest.mark.parametrize(
    ("settings", "flag", "env"),
    [
        ("", None, {}),  # no key
        ('api_key = "sk_k"\n', "http://api.example", {}),  # plain http off loopback
        ('api_key = "sk_k"\n', None, {"HTTPS_PROXY": "http://proxy:3128"}),  # the client's job
        ('api_key = "sk_k"\n', None, {"all_proxy": "socks5://proxy:1080"}),
        ('api_key = "sk_k"\n', None, {"SSL_CERT_FILE": "/etc/ssl/mine.pem"}),
        ('api_key = "sk_k"\ndefault_window_days = 0\n', None, {}),  # the model would refuse it
        ('api_key = "sk_k"\nthis is not toml', None, {}),
        ('api_key = "sk_k\\u00e9"\n', None, {}),  # not ASCII: no header can carry it
        ('api_key = "sk_a b"\n', None, {}),  # the settings refuse inner spaces
        ('api_key = "sk_k"\nbase_url = "https://u:p@api.example"\n', None, {}),  # credentials
        ('api_key = "sk_k"\nbase_url = "https://api.example/?x=1"\n', None, {}),  # a query
    ],
)
def test_no_early_request_when_unsure_or_unsafe(
    tmp_path: Path, settings: str, flag: str | None, env: dict[str, str]
) -> None:
    files = _files(tmp_path, settings)
    assert guess_target(**files, base_url_flag=flag, allow_insecure_flag=False, env=env) is None


def test_plain_http_off_loopback_only_when_allowed(tmp_path: Path) -> None:
    files = _files(tmp_path, 'api_key = "sk_k"\nallow_insecure_http = true\n')
    target = guess_target(
        **files, base_url_flag="http://api.example", allow_insecure_flag=False, env={}
    )
    assert target is not None and target.base_url == "http://api.example"


def test_the_early_module_loads_no_heavy_library() -> None:
    code = (
        "import sys, leadping_tui.api.early, leadping_tui.store.paths; "
        "print(sorted(m for m in ('pydantic', 'httpx', 'textual') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


async def test_with_an_early_answer_the_listing_waits_for_the_first_status(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY], listing=True)
    on_fake_clock(app)
    early = early_for(app, HEALTHY)
    assert early.future.result(timeout=10) is not None
    app.config.early_status = early
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: any(r.endpoint == "organization" for r in sim.requests),
            "the listing round",
        )
        screen = dashboard(app)
        # The status was in hand (and drawn) before the listing went out.
        assert HEALTHY in screen.results
        await settle(app, pilot)
        assert len(status_requests(sim, HEALTHY)) == 1
        await wait_until(pilot, lambda: HEALTHY in app.fleet, "the round read")
