"""Async client for ``GET /phone-numbers/{n}/status``.

One ``httpx.AsyncClient`` is shared for the life of the app (connection reuse
matters over slow links).  Every failure becomes a typed
:class:`~leadping_tui.api.errors.LeadPingError`; nothing raw escapes, and no
message ever holds the API key.
"""

from __future__ import annotations

import asyncio
import errno
import json
import time
from typing import Any, Literal
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from leadping_tui import __version__, clock
from leadping_tui.api import errors
from leadping_tui.api.models import KNOWN_TOP_LEVEL_KEYS, PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.api.urls import check_base_url, is_loopback_url
from leadping_tui.redact import Redactor

DEFAULT_BASE_URL = "https://api.leadping.ai"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)
# A status with tens of thousands of events is a few MB; anything far larger is
# a broken proxy or an attack, and would only hurt a long-running session.
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_RETRY_AFTER = 3600.0
# Bodies above this are decoded and validated in a worker thread, so a
# 20,000-event response does not freeze the keyboard while it is read.
THREAD_PARSE_BYTES = 256 * 1024

Endpoint = Literal["status", "warmup"]

__all__ = ["FetchResult", "StatusClient", "check_base_url", "is_loopback_url", "status_path"]


def status_path(number: str, endpoint: Endpoint = "status") -> str:
    # The number is one path segment: "+" must become %2B and "/" must never
    # split the path, whatever the user typed.
    return f"/phone-numbers/{quote(number, safe='')}/{endpoint}"


class StatusClient:
    """Fetches and parses statuses.  Use as an async context manager."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None,
        allow_insecure_http: bool = False,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        max_events: int | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self._api_key = (api_key or "").strip()
        # The dashboard shows a few hundred events; parsing 20,000 it will
        # never draw costs a third of a second each refresh.  The raw
        # response keeps them all for the raw view and exports.
        self.max_events = max_events
        self._redactor = Redactor([self._api_key])
        headers = {"User-Agent": f"leadping-tui/{__version__}", "Accept": "application/json"}
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            # TLS is always verified. A plain-http base URL (the loopback
            # simulator) never uses TLS, so it skips building a TLS context.
            verify=self.base_url.startswith("https://"),
            follow_redirects=False,
            transport=transport,
        )

    async def __aenter__(self) -> StatusClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def fetch(
        self,
        number: str,
        query: StatusQuery | None = None,
        *,
        endpoint: Endpoint = "status",
    ) -> FetchResult:
        """Fetch one number's status, or raise a LeadPingError."""
        query = query or StatusQuery()
        response, elapsed = await self.send(
            "GET", status_path(number, endpoint), params=query.params()
        )
        body = response.content
        if len(body) > THREAD_PARSE_BYTES:
            raw, status = await asyncio.to_thread(_decode_and_parse, response, self.max_events)
        else:
            raw, status = _decode_and_parse(response, self.max_events)
        return FetchResult(
            number=number,
            query=query,
            status=status,
            raw=raw,
            received_at=clock.now_utc(),
            elapsed=elapsed,
            size=len(body),
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[httpx.Response, float]:
        """Make one authorised request; return a 200 response and its seconds, or raise.

        The status fetch and the organisation listing share this, so both map
        every transport failure and error status to the same typed errors.
        """
        if not self._api_key:
            raise errors.AuthenticationError("No API key is set.", status=401)
        if not self._api_key.isascii() or not self._api_key.isprintable():
            raise errors.AuthenticationError(
                "The API key has characters an HTTP header cannot carry; "
                "it should be plain ASCII. Paste it again.",
                status=401,
            )
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                path,
                params=params,
                json=json_body,
                headers={"Authorization": f"Bearer {self._api_key}"},
            )
            body = response.content
        except httpx.ConnectTimeout:
            raise errors.RequestTimeout("Timed out connecting to the API.") from None
        except httpx.ReadTimeout:
            raise errors.RequestTimeout("The API took too long to answer.") from None
        except httpx.TimeoutException:
            raise errors.RequestTimeout("The request to the API timed out.") from None
        except httpx.RemoteProtocolError as exc:
            raise _protocol_error(exc) from None
        except httpx.ConnectError as exc:
            raise _connect_error(exc) from None
        except httpx.ReadError:
            raise errors.NetworkError(
                "The connection was reset before the answer arrived."
            ) from None
        except httpx.WriteError:
            raise errors.NetworkError(
                "The connection was reset while sending the request."
            ) from None
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"Network error: {_describe(exc)}.") from None
        elapsed = time.perf_counter() - started
        if len(body) > MAX_BODY_BYTES:
            raise errors.BadResponse(
                f"The response was {len(body) // (1024 * 1024)} MB, over the "
                f"{MAX_BODY_BYTES // (1024 * 1024)} MB limit."
            )
        if response.status_code != 200:
            # A server or proxy may echo the Authorization header in its
            # problem text; the key must not reach the status line or logs.
            raise _status_error(response, self._redactor)
        return response, elapsed


def _describe(exc: Exception) -> str:
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


def _connect_error(exc: httpx.ConnectError) -> errors.NetworkError:
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
        return errors.NetworkError(f"TLS verification failed: {_describe(exc)}.")
    return errors.NetworkError(f"Cannot connect to the API: {_describe(exc)}.")


def _protocol_error(exc: httpx.RemoteProtocolError) -> errors.LeadPingError:
    text = str(exc).lower()
    if "incomplete" in text or "peer closed" in text or "content-length" in text:
        return errors.BadResponse("The response was cut off before it was complete.")
    if "without sending" in text or "disconnected" in text:
        return errors.NetworkError("The API closed the connection without answering.")
    return errors.NetworkError(f"The connection broke: {_describe(exc)}.")


def _problem(response: httpx.Response, redactor: Redactor | None) -> errors.Problem | None:
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if redactor is not None:
        text = redactor.redact(text)
    try:
        return errors.Problem.from_json(json.loads(text))
    except ValueError:
        return None


def _with_problem(message: str, problem: errors.Problem | None) -> str:
    return f"{message} ({problem.summary()})" if problem and problem.summary() else message


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - clock.now_utc()).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _status_error(
    response: httpx.Response, redactor: Redactor | None = None
) -> errors.LeadPingError:
    code = response.status_code
    problem = _problem(response, redactor)
    if code in (401, 403):
        message = (
            "The API key was not accepted (401)."
            if code == 401
            else "The API key lacks access to this number (403)."
        )
        return errors.AuthenticationError(
            _with_problem(message, problem), status=code, problem=problem
        )
    if code == 404:
        return errors.NotFoundError(
            _with_problem("Number not found in your organisation (404).", problem),
            problem=problem,
        )
    if code == 429:
        retry_after = _retry_after(response)
        return errors.RateLimitedError(
            _with_problem("Rate limited by the API (429).", problem),
            retry_after=retry_after,
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


def _decode_json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        raise errors.BadResponse(
            f"The API answered with something that is not JSON ({kind})."
        ) from None
    if not isinstance(data, dict):
        raise errors.BadResponse(
            f"The API answered with a JSON {type(data).__name__}, not a status object."
        )
    return data


def _decode_and_parse(
    response: httpx.Response, max_events: int | None
) -> tuple[dict[str, Any], PhoneNumberStatus]:
    raw = _decode_json(response)
    return raw, _parse_status(raw, max_events)


def _newest_events(events: list[Any], limit: int) -> list[Any]:
    # ISO 8601 UTC stamps sort as text; events without one go last.
    def stamp(event: Any) -> str:
        value = event.get("createdAt") if isinstance(event, dict) else None
        return value if isinstance(value, str) else ""

    return sorted(events, key=stamp, reverse=True)[:limit]


def _parse_status(raw: dict[str, Any], max_events: int | None = None) -> PhoneNumberStatus:
    if raw and not KNOWN_TOP_LEVEL_KEYS.intersection(raw):
        raise errors.BadResponse("The API answered with JSON that does not look like a status.")
    events = raw.get("recentEvents")
    trimmed = raw
    if max_events is not None and isinstance(events, list) and len(events) > max_events:
        trimmed = dict(raw, recentEvents=_newest_events(events, max_events))
    try:
        status = PhoneNumberStatus.model_validate(trimmed)
        if trimmed is not raw:
            status._events_total = len(events) if isinstance(events, list) else 0
        return status
    except ValidationError as exc:  # pragma: no cover - the models accept any dict
        raise errors.BadResponse(
            f"The status could not be read: {exc.error_count()} errors."
        ) from None
