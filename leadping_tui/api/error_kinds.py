"""The one table of error kinds: message, hint, whether to retry, and what a details copy holds.

The TUI (status line, notices, the ``C`` copy) and the CLI (``status``'s
stderr) both read it, so a 403 says the same thing wherever it is shown.
Nothing here imports httpx or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "ErrorKind", "kind_info"]

# What a details copy may hold, in the order it is written.
DETAIL_FIELDS = (
    "kind",
    "message",
    "http_status",
    "problem",
    "field_errors",
    "trace_id",
    "www_authenticate",
    "retry_after",
    "request",
    "traceback",
)


@dataclass(frozen=True)
class ErrorKind:
    """How one kind of failure is presented and handled."""

    name: str
    message: str
    """What happened, when the answer itself says nothing more precise."""
    hint: str
    """What the user can do about it."""
    retry: bool
    """Whether waiting and trying again can help (a problem's ``retryable`` flag wins)."""
    details: tuple[str, ...]
    """The fields a details copy (``C`` in the TUI) holds, from :data:`DETAIL_FIELDS`."""


_HTTP = ("kind", "message", "http_status", "problem", "trace_id", "request")

KINDS: dict[str, ErrorKind] = {
    kind.name: kind
    for kind in (
        ErrorKind(
            "config",
            "The request cannot be made as configured.",
            "Fix the setting named above, then start leadping-tui again.",
            retry=False,
            details=("kind", "message"),
        ),
        ErrorKind(
            "query",
            "The window or date range is not valid.",
            "Pick another window (w) or date range (d).",
            retry=False,
            details=("kind", "message"),
        ),
        ErrorKind(
            "auth",
            "The API key was not accepted (401).",
            "The key is wrong, expired or revoked: press Ctrl+K to enter a new one, "
            "or set LEADPING_API_KEY or run `leadping-tui config`.",
            retry=True,  # the user may fix the key while the app keeps running
            details=(*_HTTP, "www_authenticate"),
        ),
        ErrorKind(
            "forbidden",
            "The API key may not read this number (403).",
            "The key is valid but lacks permission for this number or endpoint: ask your "
            "LeadPing administrator for access, or use a key of the organisation that owns it.",
            retry=False,
            details=_HTTP,
        ),
        ErrorKind(
            "not_found",
            "Number not found in your organisation (404).",
            "Check the number: it is not in your organisation's account.",
            retry=True,
            details=_HTTP,
        ),
        ErrorKind(
            "rate_limited",
            "Rate limited by the API (429).",
            "Rate limited: waiting before the next try.",
            retry=True,
            details=(*_HTTP, "retry_after"),
        ),
        ErrorKind(
            "rejected",
            "The API rejected the request.",
            "The API will refuse it again as it is: change the window or dates, "
            "or copy the details (C) for support.",
            retry=False,
            details=(*_HTTP[:4], "field_errors", *_HTTP[4:]),
        ),
        ErrorKind(
            "server",
            "The API had a server error.",
            "The LeadPing API is having trouble; retrying.",
            retry=True,
            details=_HTTP,
        ),
        ErrorKind(
            "network",
            "No answer from the API.",
            "Offline or unreachable; retrying.",
            retry=True,
            details=("kind", "message", "request"),
        ),
        ErrorKind(
            "timeout",
            "The API took too long to answer.",
            "Offline or unreachable; retrying.",
            retry=True,
            details=("kind", "message", "request"),
        ),
        ErrorKind(
            "bad_response",
            "The API sent something that is not a status.",
            "The API sent something unexpected; retrying.",
            retry=True,
            details=("kind", "message", "http_status", "request"),
        ),
        ErrorKind(
            "internal",
            "Unexpected error in leadping-tui.",
            "This is a bug in leadping-tui; press C to copy the details for a report.",
            retry=True,
            details=("kind", "message", "traceback"),
        ),
        ErrorKind(
            "error",
            "Something went wrong.",
            "",
            retry=True,
            details=("kind", "message"),
        ),
    )
}


def kind_info(name: str) -> ErrorKind:
    """The table row for ``name`` (the generic row for a kind it does not know)."""
    return KINDS.get(name, KINDS["error"])
