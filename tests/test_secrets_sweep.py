"""A planted API key must not come out of any channel but the settings file and the request.

Two distinctive keys are planted: an organisation-style ``sk_live_...`` key,
which the redactor would also catch by its shape, and an opaque key that
only explicit redaction can catch.  Each test then looks for the whole key,
for ``PLANTED`` and for the key's middle third (so a partly masked leak is
caught too) in one output channel: the ``status``, ``config`` and ``history``
commands, the debug log, exports, screenshots, the status bar and
notifications, every client error, crash output, tracebacks, ``repr()``\\ s,
and finally every file under the test's home.  The key is allowed in exactly
two places: the settings file (mode 0600) and the ``Authorization`` header
the simulator received.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import stat
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_harness import notices, on_fake_clock, wait_until, workers_done
from test_hostile_text import PayloadServer, screen_lines
from textual.events import Paste
from textual.widgets import Input

import leadping_tui.logs.redact as redact_module
from leadping_tui import cli
from leadping_tui.api.client import StatusClient
from leadping_tui.api.errors import LeadPingError
from leadping_tui.logs.debug_log import enable_file_log
from leadping_tui.reports.exports import export_status
from leadping_tui.runtime import Runtime, load_runtime
from leadping_tui.simulator import NOT_FOUND_NUMBER, Fault
from leadping_tui.store.paths import AppPaths
from leadping_tui.store.settings import load_settings
from leadping_tui.store.settings_save import update_settings
from leadping_tui.ui.app import AppConfig, LeadPingApp
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.widgets.status_bar import StatusBar

SK_KEY = "sk_live_PLANTED_0123456789abcdef"
OPAQUE_KEY = "lpk.PLANTEDopaque0123456789xyz"
KEYS = pytest.mark.parametrize("key", [SK_KEY, OPAQUE_KEY], ids=["sk", "opaque"])
NUMBER = "+12025550101"
BLOCKED = "+12025550104"
REPO = Path(__file__).resolve().parent.parent


def needles(key: str) -> tuple[str, ...]:
    third = len(key) // 3
    return (key, "PLANTED", key[third : 2 * third])


def leaks(text: str, key: str) -> list[str]:
    """The parts of ``key`` found in ``text`` (none is the only right answer)."""
    return [needle for needle in needles(key) if needle in text]


def assert_no_leak(text: str, key: str, where: str) -> None:
    found = leaks(text, key)
    assert not found, f"{where} shows {found!r}:\n{text[:3000]}"


@pytest.fixture(autouse=True)
def fresh_redactor(monkeypatch: pytest.MonkeyPatch) -> redact_module.Redactor:
    """A new app-wide redactor per test, so one test's key cannot hide another's leak."""
    redactor = redact_module.Redactor()
    monkeypatch.setattr(redact_module, "default_redactor", redactor)
    return redactor


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, **env: str
) -> tuple[int, str]:
    """Run the real CLI in-process; its exit code and everything it printed."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def settings_file() -> Path:
    return AppPaths.default().settings_file


def save_key_in_file(key: str) -> Path:
    path = settings_file()
    update_settings(path, api_key=key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


# -- the status command ------------------------------------------------------------------------

STATUS_CASES: dict[str, tuple[Fault | None, str, list[str]]] = {
    "ok": (None, NUMBER, []),
    "ok-json": (None, NUMBER, ["--json"]),
    "ok-csv": (None, BLOCKED, ["--format", "csv"]),
    "401": (Fault("status", status=401), NUMBER, []),
    "403": (Fault("status", status=403), NUMBER, []),
    "404": (None, NOT_FOUND_NUMBER, []),
    "429": (Fault("rate_limit", retry_after=3), NUMBER, []),
    "500": (Fault("status", status=500), NUMBER, []),
    "not-json": (Fault("not_json"), NUMBER, []),
    "truncated": (Fault("truncated"), NUMBER, []),
    "reset": (Fault("reset"), NUMBER, []),
}


@KEYS
@pytest.mark.parametrize("case", list(STATUS_CASES))
def test_status_command_output(
    key: str,
    case: str,
    sim: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fault, number, extra = STATUS_CASES[case]
    if fault is not None:
        sim.faults.set(fault)
    code, output = run_cli(
        ["status", number, *extra],
        capsys,
        monkeypatch,
        LEADPING_API_KEY=key,
        LEADPING_BASE_URL=sim.base_url,
    )
    assert_no_leak(output, key, f"`status` ({case})")
    assert output.strip(), "the command printed nothing"
    assert code in (0, 1, 2, 3)
    # The key did go out, in the one place it belongs.
    assert {request.authorization for request in sim.requests} == {f"Bearer {key}"}


@KEYS
def test_status_command_network_errors_and_a_key_from_the_file(
    key: str,
    closed_port_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_key_in_file(key)
    for args in (
        ["status", NUMBER, "--base-url", closed_port_url],
        ["status", NUMBER, "--base-url", "https://leadping.invalid"],
        ["status", NUMBER, "--base-url", "http://example.com"],  # refused: plain http
        ["status", "not-a-number"],
        ["status", NUMBER, "--from", "2026-13-01"],
    ):
        code, output = run_cli(args, capsys, monkeypatch)
        assert code == 3 and "leadping-tui:" in output
        assert_no_leak(output, key, " ".join(args))


# -- config and history ------------------------------------------------------------------------


@KEYS
def test_config_command_masks_the_key_from_env_and_file(
    key: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = run_cli(["config"], capsys, monkeypatch, LEADPING_API_KEY=key)
    assert code == 0 and f"…{key[-4:]}" in output and "from LEADPING_API_KEY" in output
    assert_no_leak(output, key, "`config` (key from the environment)")
    monkeypatch.delenv("LEADPING_API_KEY")
    save_key_in_file(key)
    code, output = run_cli(["config"], capsys, monkeypatch)
    assert code == 0 and f"…{key[-4:]}" in output and "from the settings file" in output
    assert_no_leak(output, key, "`config` (key from the file)")


BROKEN_SETTINGS = {
    "list": 'api_key = ["{key}"]',
    "table": 'api_key = {{ k = "{key}" }}',
    "space": 'api_key = "{key} x"',
    "typo": 'api_kye = "{key}"',
    "syntax": 'api_key = "{key}" trailing junk',
    "twice": 'api_key = "{key}"\napi_key = "{key}"',
    "other-field": 'timezone = "{key}"\nrefresh_seconds = "{key}"',
    "nested": '[alerts]\nbell = "{key}"',
    "url": 'base_url = "https://{key}@example.com/?t={key}"',
}


@KEYS
@pytest.mark.parametrize("broken", list(BROKEN_SETTINGS))
def test_a_broken_settings_file_is_reported_without_its_key(
    key: str, broken: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN_SETTINGS[broken].format(key=key) + "\n", encoding="utf-8")
    path.chmod(0o600)
    problems = [str(problem) for problem in load_settings(path).problems]
    assert problems, "the broken file was not reported"
    assert_no_leak("\n".join(problems), key, f"settings problems ({broken})")
    _code, output = run_cli(["config"], capsys, monkeypatch)
    assert_no_leak(output, key, f"`config` with a broken file ({broken})")
    _code, output = run_cli(
        ["status", NUMBER, "--base-url", "http://127.0.0.1:9"], capsys, monkeypatch
    )
    assert_no_leak(output, key, f"`status` with a broken file ({broken})")


# -- the client's errors -------------------------------------------------------------------------

CLIENT_FAULTS = [
    Fault("status", status=400),
    Fault("status", status=401),
    Fault("status", status=403),
    Fault("status", status=409),
    Fault("status", status=500),
    Fault("status", status=503),
    Fault("rate_limit"),
    Fault("rate_limit", retry_after=7),
    Fault("not_json"),
    Fault("truncated"),
    Fault("drop"),
    Fault("reset"),
    Fault("wrong_shape"),
]


def _error_texts(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(error, LeadPingError):
        parts += [error.message, error.hint, repr(error.problem), repr(vars(error))]
    return "\n".join(parts)


@KEYS
async def test_every_client_error_is_free_of_the_key(
    key: str, sim: Any, closed_port_url: str
) -> None:
    seen: set[str] = set()
    async with StatusClient(base_url=sim.base_url, api_key=key) as client:
        assert_no_leak(repr(client) + repr(client._http) + repr(client._http.headers), key, "repr")
        for fault in CLIENT_FAULTS:
            sim.faults.set(fault)
            with pytest.raises(LeadPingError) as caught:
                await client.fetch(NUMBER)
            seen.add(caught.value.kind)
            assert_no_leak(_error_texts(caught.value), key, f"{fault.kind} {fault.status}")
        sim.faults.clear()
        with pytest.raises(LeadPingError) as caught:
            await client.fetch(NOT_FOUND_NUMBER)
        assert_no_leak(_error_texts(caught.value), key, "404")
    import httpx

    quick = httpx.Timeout(0.3)
    sim.faults.set(Fault("latency", delay=2.0, times=1))
    async with StatusClient(base_url=sim.base_url, api_key=key, timeout=quick) as client:
        with pytest.raises(LeadPingError) as caught:
            await client.fetch(NUMBER)
        assert_no_leak(_error_texts(caught.value), key, "timeout")
    async with StatusClient(base_url=closed_port_url, api_key=key) as client:
        with pytest.raises(LeadPingError) as caught:
            await client.fetch(NUMBER)
        assert_no_leak(_error_texts(caught.value), key, "connection refused")
    with pytest.raises(LeadPingError) as caught:
        StatusClient(base_url="http://example.com", api_key=key)
    assert_no_leak(_error_texts(caught.value), key, "configuration")
    assert {"auth", "rate_limited", "server", "rejected", "bad_response", "network"} <= seen


@KEYS
async def test_a_server_that_echoes_the_token_does_not_leak_it(key: str) -> None:
    server = PayloadServer()
    server.problems[NUMBER] = (
        401,
        lambda authorization: {"title": "Unauthorized", "detail": f"rejected {authorization}"},
    )
    try:
        async with StatusClient(base_url=server.base_url, api_key=key) as client:
            with pytest.raises(LeadPingError) as caught:
                await client.fetch(NUMBER)
    finally:
        server.close()
    assert server.authorizations == [f"Bearer {key}"]
    assert_no_leak(_error_texts(caught.value), key, "an echoed token")


# -- a whole dashboard session: log, screens, exports, history, files ------------------------------


def session_runtime(sim: Any, key: str) -> Runtime:
    """The runtime ``leadping-tui`` builds: default (XDG) paths, the key from the file."""
    save_key_in_file(key)
    runtime = load_runtime(env={})
    assert runtime.api_key == key and runtime.api_key_source == "file"
    return replace(runtime, base_url=sim.base_url)


@pytest.fixture
def debug_log() -> Iterator[None]:
    """Take the handlers ``enable_file_log`` adds off the shared loggers afterwards."""
    names = ("leadping_tui", "httpx", "httpcore")
    before = {name: list(logging.getLogger(name).handlers) for name in names}
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name in names:
        logger = logging.getLogger(name)
        for handler in logger.handlers[:]:
            if handler not in before[name]:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(levels[name])


def all_files(*roots: Path) -> list[Path]:
    return sorted({path for root in roots for path in root.rglob("*") if path.is_file()})


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


@KEYS
async def test_a_whole_session_leaves_the_key_only_in_the_settings_file(
    key: str,
    sim: Any,
    tmp_path: Path,
    isolated_user_dirs: Path,
    debug_log: None,
    fresh_redactor: redact_module.Redactor,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = session_runtime(sim, key)
    # What commands/dashboard.py does before it starts the app.
    fresh_redactor.add(runtime.api_key)
    log_file = enable_file_log(runtime.paths.log_file, fresh_redactor)
    logger = logging.getLogger("leadping_tui.test")
    app = LeadPingApp(AppConfig(runtime=runtime, numbers=[NUMBER, BLOCKED, NOT_FOUND_NUMBER]))
    clock = on_fake_clock(app)
    screens: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _wait_for_dashboard(app, pilot)
        screens.append("\n".join(screen_lines(app)) + app.export_screenshot())
        # Failures of every kind, each drawn in the status bar.
        for fault, kind in (
            (Fault("status", status=401), "auth"),
            (Fault("status", status=500), "server"),
            (Fault("drop"), "network"),
            (Fault("rate_limit"), "rate_limited"),  # last: it holds every later request
        ):
            sim.faults.set(fault)
            clock.now += 3_600  # past any backoff: every number is due again
            await _wait_for_error(app, pilot, kind)
            bar = app.screen.query_one(StatusBar).state
            screens.append(repr(bar) + "\n".join(screen_lines(app)) + app.export_screenshot())
            sim.faults.clear()
        # Things that log: our own records, with the key in every part of a record.
        logger.warning("header %s", f"Authorization: Bearer {key}")
        logger.debug("plain key %s in args", key, stack_info=True)
        try:
            raise RuntimeError(f"failure holding {key}")
        except RuntimeError:
            logger.exception("a bug with the key in the exception")
        # An export from the dashboard's own data.
        result = app.screen.results[NUMBER] if isinstance(app.screen, DashboardScreen) else None
        assert result is not None
        export_dir = tmp_path / "exports"
        exported = export_status(result, export_dir)
        await pilot.press("j")
        await pilot.pause()
        screens.append("\n".join(screen_lines(app)) + app.export_screenshot())
        notes = [f"{n.title}\n{n.message}" for n in notices(app)]
        assert_no_leak("\n".join(notes), key, "notifications")
        assert_no_leak(repr(app.runtime) + repr(app.config) + repr(app.settings), key, "reprs")
    for index, shown in enumerate(screens):
        assert_no_leak(shown, key, f"screen {index}")

    log_text = "".join(text_of(path) for path in log_file.parent.glob("leadping-tui.log*"))
    assert "HTTP Request" in log_text and "a bug with the key" in log_text
    assert_no_leak(log_text, key, "the debug log")
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    for path in exported.all():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    for args in (["history", NUMBER], ["history", NUMBER, "--csv"], ["history", BLOCKED, "--json"]):
        code, output = run_cli(args, capsys, monkeypatch)
        assert code == 0 and output.strip()
        assert_no_leak(output, key, " ".join(args))

    # Every file the session left: only the settings file may hold the key.
    holders = [
        path for path in all_files(isolated_user_dirs, tmp_path) if leaks(text_of(path), key)
    ]
    assert holders == [runtime.paths.settings_file]
    assert stat.S_IMODE(runtime.paths.settings_file.stat().st_mode) == 0o600
    assert {request.authorization for request in sim.requests} == {f"Bearer {key}"}


async def _wait_for_dashboard(app: LeadPingApp, pilot: Any) -> None:
    def shown() -> bool:
        screen = app.screen
        return isinstance(screen, DashboardScreen) and NUMBER in screen.results

    await wait_until(pilot, shown, "the dashboard to show a status")
    await workers_done(app)
    await pilot.pause()


async def _wait_for_error(app: LeadPingApp, pilot: Any, kind: str) -> None:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    screen._poller.wake()  # type: ignore[union-attr]

    def arrived() -> bool:
        error = screen.errors.get(NUMBER)
        return error is not None and error.kind == kind

    await wait_until(pilot, arrived, f"a {kind} error on the dashboard")
    await workers_done(app)
    screen._tick()
    await pilot.pause()


# -- the first-run screen -------------------------------------------------------------------------


async def enter_key_on_first_run(app: LeadPingApp, pilot: Any, key: str) -> None:
    """Press k, type the key's first characters and paste the rest, as people do."""
    await pilot.press("k")
    await pilot.pause()
    key_input = app.screen.query_one("#api-key", Input)
    await pilot.press(*key[:4])
    key_input.post_message(Paste(key[4:]))
    await pilot.pause()
    assert key_input.value == key and key_input.password


@KEYS
async def test_typing_the_key_on_the_first_run_screen_never_shows_it(
    key: str, sim: Any, isolated_user_dirs: Path, fresh_redactor: redact_module.Redactor
) -> None:
    runtime = replace(load_runtime(env={}), base_url=sim.base_url)
    assert runtime.api_key is None
    app = LeadPingApp(AppConfig(runtime=runtime, numbers=[NUMBER]))
    # Every notice as it is posted: a toast may time out before a slow machine
    # gets the dashboard up.
    posted: list[str] = []
    show_notice = app.notify

    def recording(message: str, **options: Any) -> None:
        posted.append(f"{options.get('title', '')}\n{message}")
        show_notice(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await enter_key_on_first_run(app, pilot, key)
        assert_no_leak("\n".join(screen_lines(app)) + app.export_screenshot(), key, "typing")
        await pilot.press("enter")
        await _wait_for_dashboard(app, pilot)
        shown = "\n".join(screen_lines(app)) + app.export_screenshot()
        notes = "\n".join(posted)
        assert f"…{key[-4:]}" in notes
    assert_no_leak(shown, key, "the dashboard after the first run")
    assert_no_leak(notes, key, "the first-run notifications")
    assert {request.authorization for request in sim.requests} == {f"Bearer {key}"}
    holders = [p for p in all_files(isolated_user_dirs) if leaks(text_of(p), key)]
    assert holders == [settings_file()]
    assert stat.S_IMODE(settings_file().stat().st_mode) == 0o600


async def test_a_key_entered_on_the_first_run_screen_is_redacted_from_then_on(
    sim: Any, fresh_redactor: redact_module.Redactor
) -> None:
    runtime = replace(load_runtime(env={}), base_url=sim.base_url)
    app = LeadPingApp(AppConfig(runtime=runtime, numbers=[NUMBER]))
    async with app.run_test(size=(100, 32)) as pilot:
        await enter_key_on_first_run(app, pilot, OPAQUE_KEY)
        await pilot.press("enter")
        await _wait_for_dashboard(app, pilot)
    assert OPAQUE_KEY in fresh_redactor
    assert_no_leak(fresh_redactor.redact(f"boom {OPAQUE_KEY}"), OPAQUE_KEY, "redaction")


# -- crash output and tracebacks, in a real process ------------------------------------------------

_CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from leadping_tui import cli
    from leadping_tui.ui.app import LeadPingApp
    from leadping_tui.ui.widgets.health_panel import HealthPanel

    original_run = LeadPingApp.run

    def headless_run(self, *args, **kwargs):
        kwargs["headless"] = True  # no terminal in the test; the crash path is the same
        return original_run(self, *args, **kwargs)

    def broken_show(self, ctx):
        secret = os.environ["LEADPING_API_KEY"]  # a local holding the key, like a request frame
        raise RuntimeError("panel failed while holding " + secret)

    LeadPingApp.run = headless_run
    HealthPanel.show = broken_show
    sys.exit(cli.main(sys.argv[1:]))
    """
)
_TRACEBACK_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from leadping_tui import cli
    from leadping_tui.reports import status_report

    def broken(*args, **kwargs):
        key = os.environ["LEADPING_API_KEY"]
        try:
            raise KeyError(key)
        except KeyError as inner:
            raise ValueError("could not print the status for " + key) from inner

    status_report.text_summary = broken
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def _run_script(
    script: str, args: list[str], key: str, *, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        LEADPING_API_KEY=key,
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
        TERM="xterm-256color",
    )
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@KEYS
def test_a_crash_inside_the_app_prints_a_redacted_traceback(key: str, sim: Any) -> None:
    # The dashboard starts only with a terminal for its keys: give it one to read.
    keyboard, terminal = os.openpty()
    try:
        done = _run_script(_CRASH_SCRIPT, [NUMBER, "--base-url", sim.base_url], key, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(keyboard)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "RuntimeError: panel failed while holding" in output
    assert f"…{key[-4:]}" in output
    assert_no_leak(output, key, "Textual's crash output")


@KEYS
def test_an_uncaught_exception_in_the_cli_prints_a_redacted_traceback(key: str, sim: Any) -> None:
    done = _run_script(_TRACEBACK_SCRIPT, ["status", NUMBER, "--base-url", sim.base_url], key)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "ValueError: could not print the status for" in output and "KeyError" in output
    assert_no_leak(output, key, "the CLI's traceback")


# -- repr() of everything that holds the key -------------------------------------------------------


@KEYS
def test_reprs_of_objects_holding_the_key(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADPING_API_KEY", key)
    runtime = load_runtime()
    assert runtime.api_key == key
    loaded = runtime.loaded
    assert loaded is not None
    config = AppConfig(runtime=runtime, numbers=[NUMBER])
    client = StatusClient(base_url="http://127.0.0.1:9", api_key=key)
    try:
        shown = [
            repr(runtime),
            str(runtime),
            repr(runtime.settings),
            str(runtime.settings),
            repr(runtime.settings.model_dump()),
            runtime.settings.model_dump_json(),
            repr(loaded),
            repr(config),
            repr(client),
            repr(vars(client._http)),
            repr(client._http.headers),
        ]
    finally:
        asyncio.run(client.aclose())
    for text in shown:
        assert_no_leak(text, key, f"repr {text[:60]!r}")
