"""The HTTP handler: reads a request, asks ``routes`` what to answer, delivers it.

Delivery is where faults happen: a reply can be delayed, dribbled out, cut
short, dropped or reset. Nothing here writes to stderr, because the simulator
often runs inside a full-screen TUI.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import struct
import traceback
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from leadping_tui.simulator.faults import Fault
from leadping_tui.simulator.fleet import LISTING_FAULT_KEY, LISTING_PATH, listing_reply
from leadping_tui.simulator.holds import Holds
from leadping_tui.simulator.payloads import Huge, World
from leadping_tui.simulator.problems import Reply, json_reply, problem
from leadping_tui.simulator.recording import RecordedRequest
from leadping_tui.simulator.routes import (
    CONTROL_PREFIX,
    ControlTarget,
    control_reply,
    is_authorized,
    match_api,
    not_found_reply,
    status_reply,
)

_MAX_BODY = 1 << 20
_NOT_JSON = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center>\n"
    b"<hr><center>cloudflare</center></body></html>\n"
)
_WRONG_SHAPE: list[dict[str, Any]] = [{"unexpected": True, "hint": "this is not a status"}]


class SimulatorHost(ControlTarget, Protocol):
    """What a handler needs from the simulator that serves it.

    Declared here, so that the handler never imports the server that imports it.
    """

    world: World
    holds: Holds
    organization: list[str]

    def now(self) -> datetime: ...

    def record(self, request: RecordedRequest) -> None: ...

    def note_error(self, text: str) -> None: ...

    def pause(self, seconds: float) -> bool: ...


class SimulatorHandler(BaseHTTPRequestHandler):
    """Serves one connection (HTTP/1.1 keep-alive) for a :class:`Simulator`."""

    protocol_version = "HTTP/1.1"
    server_version = "LeadPingSimulator/1.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections are closed after this long
    sim: SimulatorHost  # set on a subclass by the server

    def setup(self) -> None:
        """Turn off Nagle: headers and body go out as separate writes, and Nagle
        plus delayed ACKs would add ~40 ms to every response."""
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: stderr belongs to the TUI."""

    def do_GET(self) -> None:
        """Handle GET."""
        self._serve("GET")

    def do_POST(self) -> None:
        """Handle POST."""
        self._serve("POST")

    def do_DELETE(self) -> None:
        """Handle DELETE."""
        self._serve("DELETE")

    def do_PUT(self) -> None:
        """Handle PUT."""
        self._serve("PUT")

    def do_PATCH(self) -> None:
        """Handle PATCH."""
        self._serve("PATCH")

    # -- dispatch --------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if not length:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True  # a chunked body is not read; do not reuse
            return b""
        size = int(length) if length.isdigit() else -1
        if not 0 <= size <= _MAX_BODY:
            self.close_connection = True
            return b""
        return self.rfile.read(size)

    def _serve(self, method: str) -> None:
        try:
            self._dispatch(method)
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True
        except Exception:
            self.sim.note_error(traceback.format_exc())
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._send(problem(500, self.path, detail="The simulator failed."))

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        path = split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        body = self._read_body()
        now = self.sim.now()
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            self._send(control_reply(self.sim, method, path, query, body))
            return
        if path.rstrip("/") == LISTING_PATH:
            self._serve_listing(method, path, query, body)
            return
        api = match_api(path)
        number, endpoint = api if api else (None, None)
        self.sim.record(
            RecordedRequest(
                method=method,
                path=path,
                number=number,
                endpoint=endpoint,
                query=query,
                authorization=self.headers.get("Authorization"),
                user_agent=self.headers.get("User-Agent"),
                at=now,
                peer=f"{self.client_address[0]}:{self.client_address[1]}",
            )
        )
        if number is None:
            self._send(not_found_reply(method, path, now))
            return
        if self.sim.holds.wait(number):
            self._drop()
            return
        fault = self.sim.faults.take(number)
        if fault is not None and self._fault_replaces_reply(fault, path):
            return
        reply = status_reply(
            self.sim.world,
            self.sim.shape,
            method=method,
            path=path,
            number=number,
            query=query,
            authorization=self.headers.get("Authorization"),
            now=now,
            huge=Huge(fault.events, fault.actions) if fault and fault.kind == "huge" else None,
        )
        self._deliver(reply, fault)

    def _serve_listing(self, method: str, path: str, query: dict[str, str], body: bytes) -> None:
        now = self.sim.now()
        try:
            recorded = json.loads(body) if body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            recorded = "<not JSON>"
        self.sim.record(
            RecordedRequest(
                method=method,
                path=path,
                number=None,
                endpoint="organization",
                query=query,
                authorization=self.headers.get("Authorization"),
                user_agent=self.headers.get("User-Agent"),
                at=now,
                body=recorded,
            )
        )
        fault = self.sim.faults.take(LISTING_FAULT_KEY, exact=True)
        if fault is not None and self._fault_replaces_reply(fault, path):
            return
        reply = listing_reply(
            self.sim.world,
            self.sim.organization,
            path=path,
            body=body,
            authorized=is_authorized(self.headers.get("Authorization")),
            now=now,
            method=method,
        )
        self._deliver(reply, fault)

    # -- faults ----------------------------------------------------------------

    def _fault_replaces_reply(self, fault: Fault, path: str) -> bool:
        """Apply faults that happen before (or instead of) a normal reply."""
        if fault.kind == "latency" and self.sim.pause(fault.delay):
            self._drop()
            return True
        if fault.kind == "drop":
            self._drop()
            return True
        if fault.kind == "status":
            assert fault.status is not None
            self._send(problem(fault.status, path, trace="fault"))
            return True
        if fault.kind == "rate_limit":
            headers: tuple[tuple[str, str], ...] = ()
            if fault.retry_after is not None:
                headers = (("Retry-After", str(math.ceil(fault.retry_after))),)
            self._send(problem(429, path, trace="fault", headers=headers))
            return True
        if fault.kind == "not_json":
            self._send(Reply(200, _NOT_JSON, "text/html; charset=utf-8"))
            return True
        if fault.kind == "wrong_shape":
            self._send(json_reply(200, _WRONG_SHAPE))
            return True
        return False

    def _deliver(self, reply: Reply, fault: Fault | None) -> None:
        kind = fault.kind if fault else None
        if kind == "truncated":
            self._send_head(reply, len(reply.body) + 1024, close=True)
            self.wfile.write(reply.body[: len(reply.body) // 2])
        elif kind == "reset":
            self._send_head(reply, len(reply.body), close=True)
            self.wfile.write(reply.body[: max(1, len(reply.body) // 3)])
            self._reset()
        elif kind == "slow_body":
            assert fault is not None
            self._send_head(reply, len(reply.body))
            self._dribble(reply.body, fault.delay)
        else:
            self._send(reply)

    def _dribble(self, body: bytes, seconds: float) -> None:
        chunks = max(1, min(40, len(body)))
        size = -(-len(body) // chunks)
        for i in range(0, len(body), size):
            if i and self.sim.pause(seconds / chunks):
                self._drop()
                return
            self.wfile.write(body[i : i + size])

    def _drop(self) -> None:
        """Close without a (further) response."""
        self.close_connection = True

    def _reset(self) -> None:
        """Abort the connection with a TCP RST instead of a clean close."""
        self.close_connection = True
        linger = struct.pack("ii", 1, 0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.rfile.close()
        self.connection.close()

    # -- sending ---------------------------------------------------------------

    def _send_head(self, reply: Reply, length: int, *, close: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(length))
        for name, value in reply.headers:
            self.send_header(name, value)
        if close or self.close_connection:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()

    def _send(self, reply: Reply) -> None:
        self._send_head(reply, len(reply.body))
        self.wfile.write(reply.body)
