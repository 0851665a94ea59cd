"""Keep the API key out of logs, tracebacks and anything else printed.

A :class:`Redactor` knows the secrets in use (the app adds the API key at
start-up to :data:`default_redactor`) and replaces them with a stable mask
such as ``sk_…1234``. It also masks anything that merely looks like a
credential: ``Bearer <token>``, ``sk_...`` keys and JWTs, so a key the app
was never told about (a stale one in an error message) is caught too.

Masks are fixed points: redacting already redacted text changes nothing.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from types import TracebackType

__all__ = [
    "RedactingFilter",
    "Redactor",
    "default_redactor",
    "install_excepthook_redaction",
    "mask_secret",
    "redact",
]

MIN_SECRET_LENGTH = 4
"""Shorter "secrets" are ignored: masking every ``abc`` in a log helps nobody."""

_ELLIPSIS = "…"
# Every pattern needs 8+ characters in a row from a set that excludes "…",
# and no piece of a mask is that long, so masks are never masked again.
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)")
_SK_KEY = re.compile(r"\bsk_[A-Za-z0-9_]{8,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")


def mask_secret(secret: str) -> str:
    """A recognisable but useless form of ``secret``, e.g. ``sk_…1234``.

    Keeps the type prefix up to the first ``_`` when it is short (``sk_``),
    else the first 3 characters, then ``…`` and the last 4. Secrets too short
    to spare that many characters show less (down to just ``…``).
    """
    underscore = secret.find("_")
    long_enough = len(secret) >= 16
    if 0 < underscore <= 4:
        prefix = secret[: underscore + 1]
    elif long_enough:
        prefix = secret[:3]
    else:
        prefix = ""
    tail = secret[-4:] if long_enough else ""
    return f"{prefix}{_ELLIPSIS}{tail}"


class Redactor:
    """Masks known secrets and credential look-alikes in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: frozenset[str] = frozenset()
        self._known: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Remember ``secret`` (surrounding whitespace ignored) so it is always masked."""
        if secret is None:
            return
        secret = secret.strip()
        if len(secret) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            if secret in self._secrets:
                return
            secrets = self._secrets | {secret}
            # Longest first, so a secret that contains another is masked whole.
            ordered = sorted(secrets, key=len, reverse=True)
            pattern = re.compile("|".join(re.escape(s) for s in ordered))
            # Readers take the pair without the lock; publish the pattern last.
            self._secrets = secrets
            self._known = pattern

    def __contains__(self, secret: object) -> bool:
        return isinstance(secret, str) and secret.strip() in self._secrets

    def redact(self, text: object) -> str:
        """``text`` (``str()`` of it if not a string) with every secret masked."""
        result = text if isinstance(text, str) else str(text)
        known = self._known
        if known is not None:
            result = known.sub(lambda m: mask_secret(m.group(0)), result)
        result = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{mask_secret(m.group(3))}", result)
        result = _SK_KEY.sub(lambda m: mask_secret(m.group(0)), result)
        return _JWT.sub(lambda m: mask_secret(m.group(0)), result)


default_redactor = Redactor()
"""The app-wide redactor; the API key is added to it at start-up."""


def redact(text: object) -> str:
    """Redact ``text`` with :data:`default_redactor`."""
    return default_redactor.redact(text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the message, its args and tracebacks.

    Attach it to the *handler* (a filter on a logger does not see records
    propagated from child loggers). The message is formatted here, so later
    formatters see only the redacted text.
    """

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self._redactor = redactor if redactor is not None else default_redactor

    def filter(self, record: logging.LogRecord) -> bool:
        redactor = self._redactor
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the secret check
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redactor.redact(message)
        record.args = None
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = redactor.redact(text)
            # Formatters re-render exc_info only when exc_text is unset; clear
            # it anyway so no handler can print the raw traceback.
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redactor.redact(record.stack_info)
        return True


_ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def install_excepthook_redaction(redactor: Redactor | None = None) -> Callable[[], None]:
    """Print uncaught exceptions (main thread and others) with secrets masked.

    Wraps :data:`sys.excepthook` and :data:`threading.excepthook`. Returns a
    function that puts the previous hooks back. Installing twice is harmless.
    """
    chosen = redactor if redactor is not None else default_redactor
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook
    if getattr(previous_hook, "_leadping_redactor", None) is chosen:
        return lambda: None

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        _write_redacted(chosen, "", exc_type, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        _write_redacted(
            chosen,
            f"Exception in thread {name}:\n",
            args.exc_type,
            args.exc_value,
            args.exc_traceback,
        )

    hook._leadping_redactor = chosen  # type: ignore[attr-defined]
    sys.excepthook = hook
    threading.excepthook = thread_hook

    def uninstall() -> None:
        if sys.excepthook is hook:
            sys.excepthook = previous_hook
        if threading.excepthook is thread_hook:
            threading.excepthook = previous_thread_hook

    return uninstall


def _write_redacted(
    redactor: Redactor,
    header: str,
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
) -> None:
    stream = sys.stderr
    if stream is None:  # pythonw and friends: nowhere to print
        return
    try:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
    except Exception:
        text = f"{exc_type.__name__}: (the traceback could not be formatted)\n"
    stream.write(redactor.redact(header + text))
    stream.flush()
