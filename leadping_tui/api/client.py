"""Async client for ``GET /phone-numbers/{n}/status``.

One ``httpx.AsyncClient`` is shared for the life of the app (connection reuse
matters over slow links).  Every failure becomes a typed
:class:`~leadping_tui.api.errors.LeadPingError`; nothing raw escapes, and no
message ever holds the API key.  The body is read by :mod:`.streaming` (bounded
decompression, size cap), failures are worded by :mod:`.error_mapping`, and
JSON is decoded and validated by :mod:`.json_body`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import httpx

from leadping_tui import __version__
from leadping_tui.api import errors, json_body
from leadping_tui.api.error_mapping import connect_error, describe, protocol_error, status_error
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.api.streaming import ACCEPT_ENCODING, MAX_BODY_BYTES, read_capped
from leadping_tui.api.urls import check_base_url, is_loopback_url
from leadping_tui.logs.redact import Redactor
from leadping_tui.times import clock

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.leadping.ai"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)
DEFAULT_DEADLINE = 30.0
#: How long an idle connection is kept for the next poll (httpx's default is 5 s).
KEEPALIVE_SECONDS = 60.0
"""Seconds a whole request may take, answer included: a server that drips one
byte a second defeats every per-read timeout, never this."""
# Bodies above this are decoded and validated in a worker thread, so a
# 20,000-event response does not freeze the keyboard while it is read.
THREAD_PARSE_BYTES = 256 * 1024

Endpoint = Literal["status", "warmup"]

__all__ = [
    "Answer",
    "FetchResult",
    "StatusClient",
    "check_base_url",
    "is_loopback_url",
    "status_path",
]


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
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = MAX_BODY_BYTES,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self._api_key = (api_key or "").strip()
        self.deadline = deadline
        self.max_body_bytes = max_body_bytes
        # The dashboard shows a few hundred events; parsing 20,000 it will
        # never draw costs a third of a second each refresh.  The raw
        # response keeps them all for the raw view and exports.
        self.max_events = max_events
        self._redactor = Redactor([self._api_key])
        # The last answer per (number, endpoint, query), by a digest of its body.
        self._last: dict[tuple[str, str, StatusQuery], tuple[bytes, FetchResult]] = {}
        headers = {
            "User-Agent": f"leadping-tui/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        https = self.base_url.startswith("https://")
        try:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers=headers,
                timeout=timeout,
                # TLS is always verified. A plain-http base URL (the loopback
                # simulator) never uses TLS, so it skips building a TLS context.
                verify=https,
                follow_redirects=False,
                transport=transport,
                # Plain http carries the key in clear: it must never reach a
                # proxy (HTTP_PROXY/ALL_PROXY), which may be off the machine.
                # https honours the proxy variables and NO_PROXY as usual.
                trust_env=https,
                # httpx closes an idle connection after 5 s, the default refresh:
                # every poll would pay a new connection (and a TLS handshake).
                limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
            )
        except ImportError as exc:
            raise errors.ConfigurationError(_proxy_import_problem(exc, env)) from None

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
        answer, elapsed = await self.send(
            "GET", status_path(number, endpoint), params=query.params()
        )
        return await self._result(number, endpoint, query, answer, elapsed)

    async def _result(
        self, number: str, endpoint: Endpoint, query: StatusQuery, answer: Answer, elapsed: float
    ) -> FetchResult:
        body = answer.content
        if len(body) <= THREAD_PARSE_BYTES:
            return self._result_now(number, endpoint, query, answer, elapsed)
        # Hashing 5 MiB is ~10 ms; in a thread it runs without the GIL.
        digest = await asyncio.to_thread(_digest, body)
        same = self._same_as_last(number, endpoint, query, digest, elapsed)
        if same is not None:
            return same
        raw, status = await asyncio.to_thread(
            json_body.decode_and_parse, answer.headers, body, self.max_events, self._api_key
        )
        return self._remember(number, endpoint, query, digest, (raw, status), elapsed, len(body))

    def _result_now(
        self, number: str, endpoint: Endpoint, query: StatusQuery, answer: Answer, elapsed: float
    ) -> FetchResult:
        body = answer.content
        digest = _digest(body)
        same = self._same_as_last(number, endpoint, query, digest, elapsed)
        if same is not None:
            return same
        parsed = json_body.decode_and_parse(answer.headers, body, self.max_events, self._api_key)
        return self._remember(number, endpoint, query, digest, parsed, elapsed, len(body))

    def _same_as_last(
        self, number: str, endpoint: Endpoint, query: StatusQuery, digest: bytes, elapsed: float
    ) -> FetchResult | None:
        last = self._last.get((number, endpoint, query))
        if last is None or last[0] != digest:
            return None
        # The same bytes as last time: no decoding, no validation.
        return dataclasses.replace(
            last[1], received_at=clock.now_utc(), elapsed=elapsed, unchanged=True
        )

    def _remember(
        self,
        number: str,
        endpoint: Endpoint,
        query: StatusQuery,
        digest: bytes,
        parsed: tuple[dict[str, Any], PhoneNumberStatus],
        elapsed: float,
        size: int,
    ) -> FetchResult:
        raw, status = parsed
        result = FetchResult(
            number=number,
            query=query,
            status=status,
            raw=raw,
            received_at=clock.now_utc(),
            elapsed=elapsed,
            size=size,
        )
        key = (number, endpoint, query)
        # One answer per number: bounded by the watchlist, not by the windows browsed.
        for old_key in [k for k in self._last if k[0] == number and k != key]:
            del self._last[old_key]
        self._last[key] = (digest, result)
        return result

    def remember(self, number: str, query: StatusQuery, body: bytes, result: FetchResult) -> None:
        """Know ``body`` as ``number``'s last answer (parsed outside, from the early request)."""
        digest = _digest(body)
        self._last[(number, "status", query)] = (digest, result)

    async def adopt(
        self, number: str, query: StatusQuery, content_type: str, body: bytes, elapsed: float
    ) -> FetchResult:
        """The result of a 200 answer fetched outside this client (the early request).

        Parsed exactly as :meth:`fetch` parses (key masked, events capped, a
        large body in a thread) and remembered, so the next poll's unchanged
        body is recognised.
        """
        answer = Answer(200, httpx.Headers({"Content-Type": content_type}), body)
        return await self._result(number, "status", query, answer, elapsed)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[Answer, float]:
        """Make one authorised request; return a 200 answer and its seconds, or raise.

        The status fetch and the organisation listing share this, so both map
        every transport failure and error status to the same typed errors.
        The body is streamed and its decoded size capped; the whole exchange
        has :attr:`deadline` seconds, however slowly the bytes arrive.
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
            answer = await self._exchange(method, path, params=params, json=json_body)
        except errors.LeadPingError as exc:
            exc.request = _request_line(method, path, params)
            _log_failure(exc)
            raise
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            # A server or proxy may echo the Authorization header in its
            # problem text; the key must not reach the status line or logs.
            error = status_error(answer.status_code, answer.headers, answer.content, self._redactor)
            error.request = _request_line(method, path, params)
            _log_failure(error)
            raise error
        return answer, elapsed

    async def _exchange(self, method: str, path: str, **kwargs: Any) -> Answer:
        headers = {"Authorization": f"Bearer {self._api_key}"}
        try:
            async with asyncio.timeout(self.deadline):
                async with self._http.stream(method, path, headers=headers, **kwargs) as response:
                    body = await read_capped(response, self.max_body_bytes)
                    return Answer(response.status_code, response.headers, body)
        except TimeoutError:
            raise errors.RequestTimeout(
                f"The API did not finish answering within {self.deadline:g} s."
            ) from None
        except httpx.ConnectTimeout:
            raise errors.RequestTimeout("Timed out connecting to the API.") from None
        except httpx.ReadTimeout:
            raise errors.RequestTimeout("The API took too long to answer.") from None
        except httpx.TimeoutException:
            raise errors.RequestTimeout("The request to the API timed out.") from None
        except httpx.RemoteProtocolError as exc:
            raise protocol_error(exc) from None
        except httpx.ConnectError as exc:
            raise connect_error(exc) from None
        except httpx.ReadError:
            raise errors.NetworkError(
                "The connection was reset before the answer arrived."
            ) from None
        except httpx.WriteError:
            raise errors.NetworkError(
                "The connection was reset while sending the request."
            ) from None
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"Network error: {describe(exc)}.") from None


@dataclass(frozen=True)
class Answer:
    """An HTTP answer whose body has been read (decoded, within the cap)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


def _digest(body: bytes) -> bytes:
    """What tells an answer from the last one (an unchanged body is not parsed again)."""
    return hashlib.blake2b(body, digest_size=16).digest()


def _log_failure(error: errors.LeadPingError) -> None:
    # The debug log keeps what support asks for (traceId, field errors); the
    # file handler's redacting filter masks any key in it.
    log.info("request failed: %s", errors.error_details(error).replace("\n", "; "))


def _request_line(method: str, path: str, params: Mapping[str, str] | None) -> str:
    query = "&".join(f"{key}={value}" for key, value in (params or {}).items())
    return f"{method} {path}" + (f"?{query}" if query else "")


def _proxy_import_problem(exc: ImportError, env: Mapping[str, str] | None) -> str:
    environ = os.environ if env is None else env
    names = ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
    for name in names:
        if environ.get(name, "").strip().lower().startswith("socks"):
            return (
                f"{name} asks for a SOCKS proxy, which needs the socks extra: "
                "`pip install 'httpx[socks]'`, or unset the variable."
            )
    return f"A proxy setting cannot be used: {str(exc).splitlines()[0][:200]}"
