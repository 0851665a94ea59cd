"""Files the app writes are private whatever the umask, and never written through a symlink.

Run under umask 000, the worst a user's shell can hand us: folders the app
creates must still be 0700, files 0600, and a symlink planted where the app
writes (log, alert log, export, screenshot) must neither be followed nor
have its target chmod'ed.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadping_tui.alerts.alert_log import AlertLog
from leadping_tui.alerts.rules import Alert
from leadping_tui.api.condition import Condition
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.logs.debug_log import LOGGER_NAME, enable_file_log
from leadping_tui.logs.redact import Redactor
from leadping_tui.reports.exports import export_status

NUMBER = "+12025550101"


@pytest.fixture(autouse=True)
def umask_000() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file some attacker wants appended to or opened up."""
    target = tmp_path / "victim.txt"
    target.write_text("precious\n")
    target.chmod(0o600)
    return target


def an_alert() -> Alert:
    return Alert(NUMBER, "condition", Condition.WARNING, "t", "m", datetime.now(UTC), "k")


def a_result() -> FetchResult:
    body = {"phoneNumber": NUMBER, "smsWarmup": {"healthScore": 80}}
    return FetchResult(
        number=NUMBER,
        query=StatusQuery.window(7),
        status=PhoneNumberStatus.model_validate(body),
        raw=body,
        received_at=datetime.now(UTC),
        elapsed=0.1,
        size=100,
    )


def test_exports_make_private_folders_and_files(tmp_path: Path) -> None:
    folder = tmp_path / "exports" / "deep" / "down"
    paths = export_status(a_result(), folder)
    for created in (tmp_path / "exports", tmp_path / "exports" / "deep", folder):
        assert mode(created) == 0o700, created
    for path in paths.all():
        assert mode(path) == 0o600, path


def test_an_export_replaces_a_planted_symlink_instead_of_writing_through_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "exports"
    when = datetime(2026, 1, 2, 3, 4, 5)
    folder.mkdir()
    # A dangling link at the exact name the export will use, aimed elsewhere.
    elsewhere = tmp_path / "elsewhere.json"
    planted = folder / "leadping-12025550101-20260102-030405.json"
    planted.symlink_to(elsewhere)
    paths = export_status(a_result(), folder, now=when)
    assert paths.json == planted
    assert not elsewhere.exists(), "the export was written through the symlink"
    assert not paths.json.is_symlink() and mode(paths.json) == 0o600


def test_the_alert_log_is_private_and_refuses_a_symlink(tmp_path: Path, victim: Path) -> None:
    log = AlertLog(tmp_path / "state" / "app" / "alerts.jsonl")
    log.append(an_alert())
    assert mode(tmp_path / "state") == 0o700
    assert mode(log.path) == 0o600

    planted = AlertLog(tmp_path / "planted.jsonl")
    planted.path.symlink_to(victim)
    with pytest.raises(OSError):
        planted.append(an_alert())
    assert victim.read_text() == "precious\n" and mode(victim) == 0o600


@pytest.fixture
def clean_logging() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in (LOGGER_NAME, "httpx", "httpcore")]
    before = [list(logger.handlers) for logger in loggers]
    yield
    for logger, handlers in zip(loggers, before, strict=True):
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers = handlers


def test_the_debug_log_and_its_rotations_are_private(
    tmp_path: Path, clean_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leadping_tui.logs.debug_log as log_setup

    path = tmp_path / "logs" / "sub" / "leadping-tui.log"
    monkeypatch.setattr(log_setup, "MAX_BYTES", 2000)
    enable_file_log(path, Redactor())
    logger = logging.getLogger(LOGGER_NAME)
    for index in range(200):
        logger.info("line %d %s", index, "x" * 50)
    assert mode(tmp_path / "logs") == 0o700
    rotated = sorted(path.parent.iterdir())
    assert len(rotated) >= 2, rotated
    for file in rotated:
        assert mode(file) == 0o600, file


def test_the_debug_log_refuses_a_symlink(tmp_path: Path, victim: Path, clean_logging: None) -> None:
    path = tmp_path / "leadping-tui.log"
    path.symlink_to(victim)
    with pytest.raises(OSError):
        enable_file_log(path, Redactor())
    assert victim.read_text() == "precious\n" and mode(victim) == 0o600


async def test_an_in_app_screenshot_is_private(tmp_path: Path) -> None:
    from app_harness import make_app

    app = make_app(None, tmp_path / "app", api_key=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        saved = app.deliver_screenshot(filename="shot.svg", path=str(tmp_path / "shots" / "x"))
    assert saved is not None
    assert mode(tmp_path / "shots") == 0o700
    assert mode(Path(saved)) == 0o600
