"""Async client for ``GET /phone-numbers/{n}/status``.

One ``httpx.AsyncClient`` is shared for the life of the app (connection reuse
matters over slow links).  Every failure becomes a typed
:class:`~leadping_tui.api.errors.LeadPingError`; nothing raw escapes, and no
message ever holds the API key.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import hashlib
import json
import logging
import os
import re
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from leadping_tui import __version__
from leadping_tui.api import errors
from leadping_tui.api.error_kinds import kind_info
from leadping_tui.api.models import KNOWN_TOP_LEVEL_KEYS, PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.api.urls import check_base_url, is_loopback_url
from leadping_tui.logs.redact import Redactor, mask_secret
from leadping_tui.times import clock

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.leadping.ai"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)
# A status with tens of thousands of events is a few MB; anything far larger is
# a broken proxy or an attack, and would only hurt a long-running session.
# The cap counts *decoded* bytes as they stream in: a 1 MB gzip body can
# inflate to gigabytes, and a chunked body may never end.
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_RETRY_AFTER = 3600.0
DEFAULT_DEADLINE = 30.0
#: How long an idle connection is kept for the next poll (httpx's default is 5 s).
KEEPALIVE_SECONDS = 60.0
"""Seconds a whole request may take, answer included: a server that drips one
byte a second defeats every per-read timeout, never this."""
# Legitimate statuses nest four or five levels; deeper is an attack on the
# parser or on whatever later walks the tree (raw view, exports).
MAX_JSON_DEPTH = 64
# Only what we can inflate with a bounded output; brotli/zstd are never asked for.
_ACCEPT_ENCODING = "gzip, deflate"
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
            "Accept-Encoding": _ACCEPT_ENCODING,
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
        body = answer.content
        key = (number, endpoint, query)
        digest = hashlib.blake2b(body, digest_size=16).digest()
        last = self._last.get(key)
        if last is not None and last[0] == digest:
            # The same bytes as last time: no decoding, no validation.
            return dataclasses.replace(
                last[1], received_at=clock.now_utc(), elapsed=elapsed, unchanged=True
            )
        if len(body) > THREAD_PARSE_BYTES:
            raw, status = await asyncio.to_thread(
                _decode_and_parse, answer.headers, body, self.max_events, self._api_key
            )
        else:
            raw, status = _decode_and_parse(answer.headers, body, self.max_events, self._api_key)
        result = FetchResult(
            number=number,
            query=query,
            status=status,
            raw=raw,
            received_at=clock.now_utc(),
            elapsed=elapsed,
            size=len(body),
        )
        # One answer per number: bounded by the watchlist, not by the windows browsed.
        for old_key in [k for k in self._last if k[0] == number and k != key]:
            del self._last[old_key]
        self._last[key] = (digest, result)
        return result

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
            error = _status_error(
                answer.status_code, answer.headers, answer.content, self._redactor
            )
            error.request = _request_line(method, path, params)
            _log_failure(error)
            raise error
        return answer, elapsed

    async def _exchange(self, method: str, path: str, **kwargs: Any) -> Answer:
        headers = {"Authorization": f"Bearer {self._api_key}"}
        try:
            async with asyncio.timeout(self.deadline):
                async with self._http.stream(method, path, headers=headers, **kwargs) as response:
                    body = await _read_capped(response, self.max_body_bytes)
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


@dataclass(frozen=True)
class Answer:
    """An HTTP answer whose body has been read (decoded, within the cap)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


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


class _Inflater:
    """Decodes a Content-Encoding with a bounded output per call."""

    def __init__(self, encoding: str) -> None:
        codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise errors.BadResponse(
                f"The API answered with an encoding we did not ask for ({encoding[:40]})."
            )
        self._coding = codings[0] if codings else None
        self._zlib: Any = None
        if self._coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded ``data``; at most ``room + 1`` bytes (one more means "over the cap")."""
        if self._coding is None:
            return data
        if self._zlib is None:
            # "deflate" is zlib-wrapped by the RFC, raw by some servers.
            wrapped = bool(data) and data[0] & 0x0F == 8
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            return bytes(self._zlib.decompress(data, room + 1))
        except zlib.error:
            raise errors.BadResponse("The API sent a damaged compressed answer.") from None


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    if response.is_stream_consumed:
        # Built in memory (a mock transport in tests): already read and decoded.
        if len(response.content) > limit:
            raise errors.BadResponse(f"The response was over the {_size(limit)} limit.")
        return response.content
    inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    total = 0
    async for raw in response.aiter_raw():
        piece = inflater.feed(raw, limit - total)
        total += len(piece)
        if total > limit:
            raise errors.BadResponse(
                f"The response was over the {_size(limit)} limit; it was not read further."
            )
        chunks.append(piece)
    return b"".join(chunks)


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


def _status_error(
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


def _big_int(text: str) -> int | str:
    # Python refuses to turn more than 4,300 digits into an int (a DoS guard);
    # keep the digits as text, which the models read as "unknown".
    try:
        return int(text)
    except ValueError:
        return text


def loads_bounded(text: str | bytes) -> Any:
    """``json.loads`` that never raises RecursionError and survives huge integers.

    Raises ValueError (with a reason) for text that is not JSON or that nests
    deeper than :data:`MAX_JSON_DEPTH`.
    """
    try:
        value = json.loads(text, parse_int=_big_int)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if _too_deep(value, MAX_JSON_DEPTH):
        raise ValueError("JSON nested too deeply")
    return value


def _too_deep(value: Any, limit: int) -> bool:
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def _decode_json(headers: httpx.Headers, body: bytes, secret: str = "") -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
        if secret and secret in text:
            # A server that echoes the key must not get it into the status,
            # the raw view, exports, history or screenshots.
            text = text.replace(secret, mask_secret(secret))
        data = loads_bounded(text)
    except UnicodeDecodeError:
        data = None
        reason = "not JSON"
    except ValueError as exc:
        data = None
        reason = "nested too deeply" if "deeply" in str(exc) else "not JSON"
    else:
        reason = ""
    if reason:
        kind = headers.get("Content-Type", "unknown type").split(";")[0]
        if reason == "nested too deeply":
            raise errors.BadResponse(
                f"The API answered with JSON nested more than {MAX_JSON_DEPTH} levels deep."
            )
        raise errors.BadResponse(f"The API answered with something that is not JSON ({kind}).")
    if not isinstance(data, dict):
        raise errors.BadResponse(
            f"The API answered with a JSON {type(data).__name__}, not a status object."
        )
    if secret and "\\u" in text:
        # The key may also arrive spelt with JSON escapes.
        masked: dict[str, Any] = _mask_in_strings(data, secret)
        return masked
    return data


def _mask_in_strings(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, mask_secret(secret)) if secret in value else value
    if isinstance(value, list):
        return [_mask_in_strings(item, secret) for item in value]
    if isinstance(value, dict):
        return {
            _mask_in_strings(key, secret): _mask_in_strings(item, secret)
            for key, item in value.items()
        }
    return value


def _decode_and_parse(
    headers: httpx.Headers, body: bytes, max_events: int | None, secret: str = ""
) -> tuple[dict[str, Any], PhoneNumberStatus]:
    raw = _decode_json(headers, body, secret)
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
