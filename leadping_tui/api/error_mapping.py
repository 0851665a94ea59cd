"""Turning a failed exchange into a typed :class:`~leadping_tui.api.errors.LeadPingError`.

Transport failures (DNS, refused, TLS, a broken connection) and error statuses
(with their problem+json body, ``Retry-After`` and ``WWW-Authenticate``) each
get a message a person can act on.  No message holds the API key.
"""

from __future__ import annotations

import errno
import re

import httpx

from leadping_tui.api import errors
from leadping_tui.api.error_kinds import kind_info
from leadping_tui.api.json_body import loads_bounded
from leadping_tui.logs.redact import Redactor
from leadping_tui.times import clock

MAX_RETRY_AFTER = 3600.0


def describe(exc: Exception) -> str:
    # httpx messages can embed the URL but never headers, so they hold no key.
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _causes(exc: BaseException) -> str:
    """The messages of an exception and everything it was raised from."""
    seen: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(seen) < 8:
        seen.append(f"{current} {getattr(current, 'strerror', '') or ''}")
        if isinstance(current, OSError) and current.errno == errno.ECONNREFUSED:
            seen.append("connection refused")
        current = current.__cause__ or current.__context__
    return " ".join(seen).lower()


def connect_error(exc: httpx.ConnectError) -> errors.NetworkError:
    text = _causes(exc)
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or ("temporary failure in name resolution" in text)
        or "getaddrinfo" in text
        or "no address associated" in text
    ):
        return errors.NetworkError("Cannot resolve the API host name (DNS failure).")
    if "refused" in text:
        return errors.NetworkError("Connection refused by the API host.")
    if "certificate" in text or "ssl" in text:
        return errors.NetworkError(f"TLS verification failed: {describe(exc)}.")
    return errors.NetworkError(f"Cannot connect to the API: {describe(exc)}.")


def protocol_error(exc: httpx.RemoteProtocolError) -> errors.LeadPingError:
    text = str(exc).lower()
    if "incomplete" in text or "peer closed" in text or "content-length" in text:
        return errors.BadResponse("The response was cut off before it was complete.")
    if "without sending" in text or "disconnected" in text:
        return errors.NetworkError("The API closed the connection without answering.")
    return errors.NetworkError(f"The connection broke: {describe(exc)}.")


def _problem(body: bytes, redactor: Redactor | None) -> errors.Problem | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if redactor is not None:
        text = redactor.redact(text)
    try:
        return errors.Problem.from_json(loads_bounded(text))
    except ValueError:
        return None


def _with_problem(message: str, problem: errors.Problem | None) -> str:
    if problem is None:
        return message
    summary = problem.summary()
    fields = problem.field_summary()
    if fields:
        summary = f"{summary} ({fields})" if summary else fields
    return f"{message} ({summary})" if summary else message


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait, or None for no usable hint.

    ``0`` or a date in the past is no hint (the caller backs off
    exponentially); anything over an hour is capped at an hour.
    """
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = (when - clock.now_utc()).total_seconds()
    if seconds != seconds or seconds <= 0:  # NaN, zero or past
        return None
    return min(seconds, MAX_RETRY_AFTER)


_AUTH_PARAM = re.compile(r'\berror\s*=\s*"?([A-Za-z0-9_.-]{1,60})"?')


def _auth_error(headers: httpx.Headers) -> str | None:
    """The ``error`` of a ``WWW-Authenticate: Bearer error="invalid_token"`` challenge."""
    match = _AUTH_PARAM.search(headers.get("WWW-Authenticate", ""))
    return match.group(1) if match else None


def status_error(
    code: int, headers: httpx.Headers, body: bytes, redactor: Redactor | None = None
) -> errors.LeadPingError:
    problem = _problem(body, redactor)
    info = kind_info
    if code == 401:
        auth_error = _auth_error(headers)
        message = info("auth").message
        if auth_error:
            message = f"The API key was not accepted ({auth_error}, 401)."
        return errors.AuthenticationError(
            _with_problem(message, problem), status=code, problem=problem, auth_error=auth_error
        )
    if code == 403:
        return errors.PermissionDenied(
            _with_problem(info("forbidden").message, problem), status=code, problem=problem
        )
    if code == 404:
        return errors.NotFoundError(
            _with_problem(info("not_found").message, problem), problem=problem
        )
    if code == 429:
        return errors.RateLimitedError(
            _with_problem(info("rate_limited").message, problem),
            retry_after=_retry_after(headers),
            problem=problem,
        )
    if 400 <= code < 500:
        return errors.RequestRejected(
            _with_problem(f"The API rejected the request ({code}).", problem),
            status=code,
            problem=problem,
        )
    return errors.ServerError(
        _with_problem(f"The API had a server error ({code}).", problem),
        status=code,
        problem=problem,
    )
