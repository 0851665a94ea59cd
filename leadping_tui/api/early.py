"""The first status request, sent at process start while the app is still importing.

Start-up spends most of its time importing Textual, pydantic and the app;
the first answer need not wait for that.  :func:`start_early_status` guesses
what the dashboard will ask first (its selected number, with the key and base
URL the settings will give) from the environment and the raw files, and
sends that one GET from a stdlib thread.  The dashboard uses the answer only
if the request it is about to make is exactly the one sent (same base URL,
key, number and query); otherwise, or if the early request failed, was not
200, or is not answered in time, the normal client makes the request as if
nothing had happened.

It keeps the client's rules (see :mod:`leadping_tui.api.client`): plain http
only to loopback (unless allowed) and never through a proxy; https only
without proxy settings here (with any, the normal client handles them), TLS
verified against the same CA bundle; no redirects; the same headers; the
same connect/read timeouts and whole-request deadline; the decoded body
capped at the same size with only gzip/deflate accepted.  Nothing is logged
and no error is kept: an error of any kind means "ask again normally".

Only the standard library and :mod:`leadping_tui.api.urls` are imported here,
so the request leaves before pydantic, httpx or Textual are loaded.
"""

from __future__ import annotations

import json
import threading
import time
import tomllib
import zlib
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from leadping_tui import __version__

if TYPE_CHECKING:
    from leadping_tui.api.query import StatusQuery
    from leadping_tui.api.result import FetchResult

#: The same values as the client's (leadping_tui.api.client): checked by a test.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
MAX_BODY_BYTES = 32 * 1024 * 1024
DEFAULT_BASE_URL = "https://api.leadping.ai"
DEFAULT_WINDOW_DAYS = 7
DEFAULT_DEADLINE = 30.0
#: Bodies up to this are parsed on the spot, larger ones in a thread (the client's rule).
THREAD_PARSE_BYTES = 256 * 1024
ENV_API_KEY = "LEADPING_API_KEY"
ENV_BASE_URL = "LEADPING_BASE_URL"
#: With any of these set, https requests go through the normal client, which honours them.
_TLS_OR_PROXY_VARIABLES = (
    "ALL_PROXY",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)
_READ_SIZE = 64 * 1024


@dataclass(frozen=True)
class EarlyTarget:
    """What the early request asks for: compared with the dashboard's first request."""

    base_url: str
    api_key: str = field(repr=False)
    number: str
    params: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EarlyAnswer:
    """A complete 200 answer: the decoded body (within the cap) and how long it took."""

    content_type: str
    body: bytes = field(repr=False)
    elapsed: float

    def result(
        self, number: str, query: StatusQuery, *, max_events: int | None, api_key: str
    ) -> FetchResult:
        """The answer as the client makes one: key masked, events capped, validated.

        Raises BadResponse for a body that is not a status (the caller asks again).
        """
        from leadping_tui.api import json_body
        from leadping_tui.api.result import FetchResult
        from leadping_tui.times import clock

        headers = {"Content-Type": self.content_type}
        raw, status = json_body.decode_and_parse(headers, self.body, max_events, api_key)
        return FetchResult(
            number=number,
            query=query,
            status=status,
            raw=raw,
            received_at=clock.now_utc(),
            elapsed=self.elapsed,
            size=len(self.body),
        )


class EarlyStatus:
    """One GET in a daemon thread; :meth:`take` hands its answer over once."""

    def __init__(self, target: EarlyTarget, *, deadline: float = DEFAULT_DEADLINE) -> None:
        self.target = target
        self.deadline = deadline
        self.future: Future[EarlyAnswer | None] = Future()
        self._taken = False
        self._thread = threading.Thread(target=self._run, name="early-status", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            answer = _get(self.target, self.deadline)
        except BaseException:  # any failure means "ask again normally"
            answer = None
        self.future.set_result(answer)

    def take(
        self, base_url: str, api_key: str | None, number: str, params: Mapping[str, str]
    ) -> Future[EarlyAnswer | None] | None:
        """The answer's future if this is the request that was sent early (once only)."""
        if self._taken:
            return None
        wanted = EarlyTarget(
            base_url.strip().rstrip("/"), (api_key or "").strip(), number, tuple(params.items())
        )
        if wanted != self.target:
            return None
        self._taken = True
        return self.future

    def discard(self) -> None:
        """The dashboard will not use it (another number, another key)."""
        self._taken = True


def _get(target: EarlyTarget, deadline: float) -> EarlyAnswer | None:
    import http.client

    started = time.perf_counter()
    parts = urlsplit(target.base_url)
    host = parts.hostname or ""
    path = f"{parts.path.rstrip('/')}/phone-numbers/{quote(target.number, safe='')}/status"
    if target.params:
        path += "?" + urlencode(target.params)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=CONNECT_TIMEOUT, context=_tls_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=CONNECT_TIMEOUT)
    try:
        connection.connect()
        if connection.sock is not None:
            connection.sock.settimeout(READ_TIMEOUT)
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": f"leadping-tui/{__version__}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
                "Authorization": f"Bearer {target.api_key}",
            },
        )
        response = connection.getresponse()
        if response.status != 200:
            return None  # the normal client asks again and reports it its way
        inflate = _inflater(response.getheader("Content-Encoding", "") or "")
        if inflate is None:
            return None
        chunks: list[bytes] = []
        total = 0
        while chunk := response.read1(_READ_SIZE):
            if time.perf_counter() - started > deadline:
                return None
            piece = inflate(chunk, MAX_BODY_BYTES - total)
            total += len(piece)
            if total > MAX_BODY_BYTES:
                return None
            chunks.append(piece)
        if time.perf_counter() - started > deadline:
            return None
        return EarlyAnswer(
            content_type=response.getheader("Content-Type", "") or "",
            body=b"".join(chunks),
            elapsed=time.perf_counter() - started,
        )
    finally:
        connection.close()


def _tls_context() -> Any:
    # httpx verifies against certifi's bundle: the same trust here.
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _inflater(encoding: str) -> Any:
    """A bounded decoder for ``encoding``, or None for one the client would refuse."""
    codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
    codings = [coding for coding in codings if coding != "identity"]
    if not codings:
        return lambda data, room: data
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        return None
    state: dict[str, Any] = {}
    gzip = codings[0] != "deflate"

    def feed(data: bytes, room: int) -> bytes:
        decoder = state.get("zlib")
        if decoder is None:
            if gzip:
                bits = 16 + zlib.MAX_WBITS
            else:  # "deflate" is zlib-wrapped by the RFC, raw by some servers
                bits = zlib.MAX_WBITS if data and data[0] & 0x0F == 8 else -zlib.MAX_WBITS
            decoder = state["zlib"] = zlib.decompressobj(bits)
        return bytes(decoder.decompress(data, room + 1))

    return feed


# -- guessing the dashboard's first request -------------------------------------


def guess_target(
    *,
    settings_file: Path,
    watchlist_file: Path,
    base_url_flag: str | None,
    allow_insecure_flag: bool,
    env: Mapping[str, str],
) -> EarlyTarget | None:
    """The request the dashboard will most likely make first, or None if unsure or unsafe.

    Reads the settings and the watchlist as they are on disk, with the
    settings' precedence (flag, then environment, then file).  A wrong guess
    only costs the request: the dashboard compares before using it.
    """
    raw = _read_settings(settings_file)
    if raw is None:
        return None
    key = env.get(ENV_API_KEY, "").strip() or _text(raw.get("api_key"))
    base_url = (
        (base_url_flag or "").strip()
        or env.get(ENV_BASE_URL, "").strip()
        or _text(raw.get("base_url"))
        or DEFAULT_BASE_URL
    )
    window = raw.get("default_window_days", DEFAULT_WINDOW_DAYS)
    if not key or not key.isascii() or any(ch.isspace() or not ch.isprintable() for ch in key):
        return None  # the settings would refuse it: no request with it
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 365:
        return None
    insecure = allow_insecure_flag or raw.get("allow_insecure_http") is True
    if not _allowed(base_url, insecure, env):
        return None
    number = _selected_number(watchlist_file)
    if number is None:
        return None
    return EarlyTarget(base_url.rstrip("/"), key, number, (("windowDays", str(window)),))


def _allowed(base_url: str, insecure: bool, env: Mapping[str, str]) -> bool:
    from leadping_tui.api.urls import is_loopback_url

    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or (port is not None and not 1 <= port <= 65535):
        return False
    if parts.username or parts.password or parts.query or parts.fragment:
        return False  # the settings refuse such a URL and use another one
    if parts.scheme == "http":
        return insecure or is_loopback_url(base_url)
    if parts.scheme != "https":
        return False
    return not any(
        env.get(name, "").strip() or env.get(name.lower(), "").strip()
        for name in _TLS_OR_PROXY_VARIABLES
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read_settings(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return None  # the settings loader will say what is wrong


def _selected_number(path: Path) -> str | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        return None
    numbers = [
        entry["number"]
        for entry in doc["entries"]
        if isinstance(entry, dict) and isinstance(entry.get("number"), str)
    ]
    selected = doc.get("selected")
    if isinstance(selected, str) and selected in numbers:
        return selected
    return numbers[0] if numbers else None
