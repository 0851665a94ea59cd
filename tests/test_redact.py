"""The API key never appears whole: messages, args, exceptions, tracebacks."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from leadping_tui.logs.redact import (
    RedactingFilter,
    Redactor,
    default_redactor,
    install_excepthook_redaction,
    mask_secret,
    redact,
)

KEY = "sk_live_9f8e7d6c5b4a39281706ZQXW"
MASK = "sk_…ZQXW"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


@pytest.fixture
def redactor() -> Redactor:
    return Redactor([KEY])


@pytest.mark.parametrize(
    "secret,mask",
    [
        (KEY, MASK),
        ("sk_0123456789abcdefWXYZ", "sk_…WXYZ"),
        ("abcdefghijklmnopqrstuvwxyz", "abc…wxyz"),
        (JWT, "eyJ…sR8U"),
        ("sk_short99", "sk_…"),  # too short to also show the end
        ("shortkey", "…"),
    ],
)
def test_mask_shape(secret: str, mask: str) -> None:
    assert mask_secret(secret) == mask


def test_known_secret_is_masked_everywhere(redactor: Redactor) -> None:
    text = f"key={KEY}; again:{KEY}!"
    assert redactor.redact(text) == f"key={MASK}; again:{MASK}!"


def test_masks_are_stable_and_idempotent(redactor: Redactor) -> None:
    text = f"Authorization: Bearer {KEY} and {JWT} and sk_other1234567890"
    once = redactor.redact(text)
    assert once == Redactor([KEY]).redact(text)  # same mask from a new instance
    assert redactor.redact(once) == once  # masks are never masked again
    assert KEY not in once and JWT not in once and "sk_other1234567890" not in once


def test_unknown_credentials_are_masked_by_shape() -> None:
    r = Redactor()
    assert r.redact(f"Authorization: Bearer {JWT}") == "Authorization: Bearer eyJ…sR8U"
    assert r.redact("bearer abcdefgh12345678ijkl") == "bearer abc…ijkl"
    assert r.redact("use sk_test_abcdefgh1234 here") == "use sk_…1234 here"
    assert r.redact(f"token {JWT}.") == "token eyJ…sR8U."
    # Ordinary text survives.
    assert r.redact("Bearer realm=api, sk_ alone, skeleton key") == (
        "Bearer realm=api, sk_ alone, skeleton key"
    )


def test_secret_that_does_not_look_like_a_key(redactor: Redactor) -> None:
    odd = "pa$$w0rd!with*symbols(1234)"
    redactor.add(odd)
    assert odd in redactor
    assert redactor.redact(f"x {odd} y") == f"x {mask_secret(odd)} y"
    assert "pa$$w0rd" not in redactor.redact(f"Bearer {odd}")


def test_add_ignores_blank_and_tiny(redactor: Redactor) -> None:
    redactor.add(None)
    redactor.add("   ")
    redactor.add("ab")
    assert redactor.redact("ab cd") == "ab cd"
    redactor.add(f"  {KEY}\n")  # pasted with whitespace
    assert KEY in redactor


def test_overlapping_secrets_are_masked_whole() -> None:
    long = KEY + "EXTRA_SUFFIX"
    r = Redactor([KEY, long])
    assert r.redact(long) == mask_secret(long)


def test_non_strings_are_redacted() -> None:
    r = Redactor([KEY])
    assert r.redact({"api_key": KEY}) == "{'api_key': '" + MASK + "'}"


def _logger_with_filter(redactor: Redactor) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter(redactor))
    logger = logging.getLogger(f"test_redact.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_filter_masks_message_args_and_exceptions(redactor: Redactor) -> None:
    logger, stream = _logger_with_filter(redactor)
    logger.info(f"planted {KEY}")
    logger.info("headers %s", {"Authorization": f"Bearer {KEY}"})
    logger.debug("key=%(key)s", {"key": KEY})
    try:
        raise RuntimeError(f"request failed with key {KEY}")
    except RuntimeError:
        logger.exception("boom %s", KEY)
    logger.info("bad format %d", KEY)  # a broken call still gets redacted
    logger.warning("stack", stack_info=True)
    out = stream.getvalue()
    assert KEY not in out
    assert out.count(MASK) >= 6
    assert "RuntimeError: request failed with key " + MASK in out
    assert "Traceback (most recent call last)" in out


def test_filter_on_child_logger_records(redactor: Redactor) -> None:
    logger, stream = _logger_with_filter(redactor)
    logger.getChild("api").error("child %s", KEY)
    assert KEY not in stream.getvalue()
    assert MASK in stream.getvalue()


def test_excepthook_redacts_tracebacks(
    redactor: Redactor, capsys: pytest.CaptureFixture[str]
) -> None:
    uninstall = install_excepthook_redaction(redactor)
    try:
        assert install_excepthook_redaction(redactor)() is None  # second install is a no-op
        try:
            raise ValueError(f"bad key {KEY}") from KeyError(KEY)
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        uninstall()
    err = capsys.readouterr().err
    assert KEY not in err
    assert f"ValueError: bad key {MASK}" in err
    assert f"KeyError: '{MASK}'" in err
    assert sys.excepthook is not None and not hasattr(sys.excepthook, "_leadping_redactor")


def test_thread_excepthook_redacts(redactor: Redactor, capsys: pytest.CaptureFixture[str]) -> None:
    uninstall = install_excepthook_redaction(redactor)
    try:

        def work() -> None:
            raise RuntimeError(KEY)

        thread = threading.Thread(target=work, name="fetcher")
        thread.start()
        thread.join()
    finally:
        uninstall()
    err = capsys.readouterr().err
    assert "Exception in thread fetcher" in err
    assert KEY not in err and MASK in err


def test_uncaught_exception_in_a_real_process_is_redacted() -> None:
    script = textwrap.dedent(
        f"""
        from leadping_tui.logs.redact import default_redactor, install_excepthook_redaction
        default_redactor.add({KEY!r})
        install_excepthook_redaction()
        raise SystemError("Authorization: Bearer " + {KEY!r})
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 1
    assert KEY not in done.stderr
    assert f"SystemError: Authorization: Bearer {MASK}" in done.stderr


def test_default_redactor_and_module_redact() -> None:
    secret = "sk_default_only_0000111122223333"
    default_redactor.add(secret)
    assert secret in default_redactor
    assert redact(f"x {secret}") == f"x {mask_secret(secret)}"
