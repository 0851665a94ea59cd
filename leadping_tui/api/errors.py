"""Typed errors the UI and CLI can act on.

Each error carries a one-line ``message`` for the status line and a ``hint``
saying what the user can do; both, and whether to retry, come from the one
table in :mod:`leadping_tui.api.error_kinds`.  None of them ever holds the
API key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadping_tui.api.error_kinds import kind_info

_MAX_FIELD_ERRORS = 20
_MAX_TEXT = 500


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:_MAX_TEXT]


@dataclass(frozen=True)
class Problem:
    """The useful parts of an RFC 9457 problem body."""

    title: str | None = None
    detail: str | None = None
    status: int | None = None
    type: str | None = None
    trace_id: str | None = None
    instance: str | None = None
    field_errors: tuple[tuple[str, str], ...] = ()
    """``errors`` of a validation problem: (field, message) pairs."""
    retryable: bool | None = None
    """The body's own ``retryable`` flag, when it has one."""

    @classmethod
    def from_json(cls, body: Any) -> Problem | None:
        """The problem in ``body``, or None when it holds none of a problem's members."""
        if not isinstance(body, dict):
            return None
        status = body.get("status")
        retryable = body.get("retryable")
        problem = cls(
            title=_text(body.get("title")),
            detail=_text(body.get("detail")),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            type=_text(body.get("type")),
            trace_id=_text(body.get("traceId")) or _text(body.get("traceid")),
            instance=_text(body.get("instance")),
            field_errors=_field_errors(body.get("errors")),
            retryable=retryable if isinstance(retryable, bool) else None,
        )
        return None if problem == cls() else problem

    def summary(self) -> str:
        """``title: detail``, or the type when the body has nothing else to say."""
        parts = [part for part in (self.title, self.detail) if part]
        if not parts and self.type and self.type != "about:blank":
            parts = [self.type]
        return ": ".join(parts)

    def field_summary(self) -> str:
        """``field: message; ...`` of a validation problem ("" when it has none)."""
        return "; ".join(f"{name}: {message}" for name, message in self.field_errors)


def _field_errors(value: Any) -> tuple[tuple[str, str], ...]:
    # ASP.NET sends {"windowDays": ["must be 1-365"]}; others a plain string.
    if not isinstance(value, dict):
        return ()
    pairs: list[tuple[str, str]] = []
    for name, messages in list(value.items())[:_MAX_FIELD_ERRORS]:
        items = messages if isinstance(messages, list) else [messages]
        texts = [text for item in items if (text := _text(item))]
        if texts:
            pairs.append((str(name)[:100], " ".join(texts)[:_MAX_TEXT]))
    return tuple(pairs)


class LeadPingError(Exception):
    """Base class: something stopped us from getting a status."""

    #: Short machine-friendly kind, the key into the error-kind table.
    kind = "error"

    def __init__(self, message: str, *, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problem = problem
        #: ``GET /path?query``, when a request was made (for the details copy).
        self.request: str | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def hint(self) -> str:
        """What the user can do about it."""
        return kind_info(self.kind).hint

    @property
    def retryable(self) -> bool:
        """Whether waiting and trying again can help; the problem's own flag wins."""
        if self.problem is not None and self.problem.retryable is not None:
            return self.problem.retryable
        return kind_info(self.kind).retry


class ConfigurationError(LeadPingError):
    """The request cannot be made as configured (bad base URL, plain http, proxy)."""

    kind = "config"


class InvalidQuery(LeadPingError):
    """A window or date range the API would reject."""

    kind = "query"


class HttpStatusError(LeadPingError):
    """An HTTP answer with an error status; ``status`` holds the code."""

    def __init__(self, message: str, *, status: int, problem: Problem | None = None) -> None:
        super().__init__(message, problem=problem)
        self.status = status


class AuthenticationError(HttpStatusError):
    """401 or 403: the key is missing, wrong or lacks access."""

    kind = "auth"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        problem: Problem | None = None,
        auth_error: str | None = None,
    ) -> None:
        super().__init__(message, status=status, problem=problem)
        #: The ``error`` of the ``WWW-Authenticate`` challenge (``invalid_token``...).
        self.auth_error = auth_error


class PermissionDenied(AuthenticationError):
    """403: the key is valid but may not read this number or endpoint."""

    kind = "forbidden"


class NotFoundError(LeadPingError):
    """404: the number is not in this organisation."""

    kind = "not_found"


class RateLimitedError(LeadPingError):
    """429: the organisation's shared quota is spent."""

    kind = "rate_limited"

    def __init__(
        self, message: str, *, retry_after: float | None, problem: Problem | None = None
    ) -> None:
        super().__init__(message, problem=problem)
        self.retry_after = retry_after


class ServerError(HttpStatusError):
    """5xx, or another status the API does not document."""

    kind = "server"


class RequestRejected(HttpStatusError):
    """400 or another 4xx: the API refused the request as made."""

    kind = "rejected"


class NetworkError(LeadPingError):
    """No HTTP answer: refused, reset, DNS failure or a timeout."""

    kind = "network"


class RequestTimeout(NetworkError):
    """Connecting or reading took too long, or the whole answer missed its deadline."""

    kind = "timeout"


class BadResponse(LeadPingError):
    """An answer that is not a status: not JSON, truncated, too large or the wrong shape."""

    kind = "bad_response"


class InternalError(LeadPingError):
    """A bug in leadping-tui itself, caught so the app stays up."""

    kind = "internal"

    def __init__(self, message: str, *, details: str) -> None:
        super().__init__(message)
        self.details = details


def error_details(error: LeadPingError) -> str:
    """The plain-text details copy of ``error`` (what ``C`` copies), per the kind table.

    Third-party text is included as received (already redacted by the client);
    whoever shows it must still make it terminal-safe.
    """
    problem = error.problem
    status = getattr(error, "status", None)
    if status is None and problem is not None:
        status = problem.status
    lines: list[str] = []
    for field in kind_info(error.kind).details:
        if field == "kind":
            lines.append(f"kind: {error.kind}")
        elif field == "message":
            lines.append(f"message: {error.message}")
        elif field == "http_status" and status is not None:
            lines.append(f"HTTP status: {status}")
        elif field == "problem" and problem is not None:
            for name in ("type", "title", "detail", "instance"):
                value = getattr(problem, name)
                if value:
                    lines.append(f"problem {name}: {value}")
        elif field == "field_errors" and problem is not None:
            lines += [f"field {name}: {message}" for name, message in problem.field_errors]
        elif field == "trace_id" and problem is not None and problem.trace_id:
            lines.append(f"traceId: {problem.trace_id}")
        elif field == "www_authenticate" and getattr(error, "auth_error", None):
            lines.append(f"WWW-Authenticate error: {getattr(error, 'auth_error', '')}")
        elif field == "retry_after":
            retry_after = getattr(error, "retry_after", None)
            lines.append(
                "Retry-After: none" if retry_after is None else f"Retry-After: {retry_after:g} s"
            )
        elif field == "request" and error.request:
            lines.append(f"request: {error.request}")
        elif field == "traceback" and isinstance(error, InternalError):
            lines.append(error.details.rstrip())
    return "\n".join(lines)
