"""RFC 9457 problem details, shaped like the LeadPing API's (ASP.NET style)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from leadping_tui.simulator.hashing import mix, stable_seed

_TYPES = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
    503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
}
_DETAILS = {
    401: "A valid bearer token is required to access this resource.",
    403: "Your API key does not have access to this phone number.",
    429: "Rate limit of 300 requests per 60 seconds exceeded. Please retry later.",
    500: "An unexpected error occurred while processing the request.",
    502: "The upstream messaging provider returned an invalid response.",
    503: "The service is temporarily unavailable. Please retry later.",
    504: "The upstream messaging provider did not respond in time.",
}

WWW_AUTHENTICATE = 'Bearer realm="leadping"'


@dataclass(frozen=True)
class Reply:
    """An HTTP response, ready to send."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def json_reply(status: int, payload: Any, *headers: tuple[str, str]) -> Reply:
    """A JSON response (compact, UTF-8, non-ASCII kept as is)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Reply(status, body, headers=headers)


def trace_id(*parts: str) -> str:
    """A W3C-style trace id, stable for the same inputs (so error screens snapshot)."""
    seed = stable_seed("|".join(parts))
    return f"00-{mix(seed, 1):016x}{mix(seed, 2):016x}-{mix(seed, 3):016x}-00"


def problem(
    status: int,
    instance: str,
    *,
    detail: str | None = None,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    trace: str = "",
    headers: tuple[tuple[str, str], ...] = (),
) -> Reply:
    """A problem+json response; 401 always carries ``WWW-Authenticate``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body: dict[str, Any] = {
        "type": _TYPES.get(status, "about:blank"),
        "title": title or phrase,
        "status": status,
        "detail": detail or _DETAILS.get(status, phrase + "."),
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    body["traceId"] = trace_id(str(status), instance, trace)
    if status == 401:
        headers = (("WWW-Authenticate", WWW_AUTHENTICATE), *headers)
    encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return Reply(status, encoded, "application/problem+json; charset=utf-8", headers)
