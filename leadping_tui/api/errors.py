"""Typed errors the UI and CLI can act on.

Each error carries a one-line ``message`` for the status line and a ``hint``
saying what the user can do.  None of them ever holds the API key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """The useful parts of an RFC 9457 problem body."""

    title: str | None = None
    detail: str | None = None
    status: int | None = None
    type: str | None = None
    trace_id: str | None = None

    @classmethod
    def from_json(cls, body: Any) -> Problem | None:
        if not isinstance(body, dict):
            return None

        def text(key: str) -> str | None:
            value = body.get(key)
            return value if isinstance(value, str) and value.strip() else None

        status = body.get("status")
        problem = cls(
            title=text("title"),
            detail=text("detail"),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            type=text("type"),
            trace_id=text("traceId"),
        )
        return problem if problem.title or problem.detail else None

    def summary(self) -> str:
        parts = [part for part in (self.title, self.detail) if part]
        return ": ".join(parts)


class LeadPingError(Exception):
    """Base class: something stopped us from getting a status."""

    #: Short machine-friendly kind, used in logs and tests.
    kind = "error"
    #: What the user can do about it.
    hint = ""
    #: Whether waiting and trying again can help.
    retryable = True

    def __init__(self, message: str, *, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problem = problem

    def __str__(self) -> str:
        return self.message


class ConfigurationError(LeadPingError):
    """The request cannot be made as configured (bad base URL, plain http)."""

    kind = "config"
    retryable = False


class InvalidQuery(LeadPingError):
    """A window or date range the API would reject."""

    kind = "query"
    retryable = False


class HttpStatusError(LeadPingError):
    """An HTTP answer with an error status; ``status`` holds the code."""

    def __init__(self, message: str, *, status: int, problem: Problem | None = None) -> None:
        super().__init__(message, problem=problem)
        self.status = status


class AuthenticationError(HttpStatusError):
    """401 or 403: the key is missing, wrong or lacks access."""

    kind = "auth"
    hint = "Check the API key: set LEADPING_API_KEY or run `leadping-tui config`."
    retryable = True  # the user may fix the key while the app keeps running


class NotFoundError(LeadPingError):
    """404: the number is not in this organisation."""

    kind = "not_found"
    hint = "Check the number: it is not in your organisation's account."


class RateLimitedError(LeadPingError):
    """429: the organisation's shared quota is spent."""

    kind = "rate_limited"
    hint = "Rate limited: waiting before the next try."

    def __init__(
        self, message: str, *, retry_after: float | None, problem: Problem | None = None
    ) -> None:
        super().__init__(message, problem=problem)
        self.retry_after = retry_after


class ServerError(HttpStatusError):
    """5xx, or another status the API does not document."""

    kind = "server"
    hint = "The LeadPing API is having trouble; retrying."


class RequestRejected(HttpStatusError):
    """400 or another 4xx: the API refused the request as made."""

    kind = "rejected"
    hint = "The API rejected the request; check the window and dates."
    retryable = False


class NetworkError(LeadPingError):
    """No HTTP answer: refused, reset, DNS failure or a timeout."""

    kind = "network"
    hint = "Offline or unreachable; retrying."


class RequestTimeout(NetworkError):
    """Connecting or reading took too long."""

    kind = "timeout"


class BadResponse(LeadPingError):
    """An answer that is not a status: not JSON, truncated, or the wrong shape."""

    kind = "bad_response"
    hint = "The API sent something unexpected; retrying."


class InternalError(LeadPingError):
    """A bug in leadping-tui itself, caught so the app stays up."""

    kind = "internal"
    hint = "This is a bug in leadping-tui; press C to copy the details for a report."

    def __init__(self, message: str, *, details: str) -> None:
        super().__init__(message)
        self.details = details
