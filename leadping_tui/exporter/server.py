"""The exporter's HTTP endpoint: ``/metrics`` and ``/healthz``, nothing else.

Bound first (so a port in use fails before any API request is spent), served
later, once the start-up check has passed.  Requests are answered from
memory in the server's threads; they never touch the API or the poll loop.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import socketserver
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client.exposition import CONTENT_TYPE_LATEST

Render = Callable[[], bytes]


class ListenError(Exception):
    """The address cannot be listened on; the message says why and what to do."""


def parse_listen(text: str, default_port: int) -> tuple[str, int]:
    """``HOST:PORT``, ``[v6]:PORT``, ``HOST`` or ``:PORT`` -> (host, port)."""
    text = text.strip()
    host, port_text = text, ""
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise ValueError(f"--listen {text!r}: missing ']' after the IPv6 address")
        host, rest = text[1:close], text[close + 1 :]
        if rest and not rest.startswith(":"):
            raise ValueError(f"--listen {text!r}: expected ':PORT' after ']'")
        port_text = rest[1:]
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    elif text.count(":") > 1:
        raise ValueError(f"--listen {text!r}: write an IPv6 address in brackets, [::1]:PORT")
    host = host or "127.0.0.1"
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"--listen {text!r}: the port must be a number from 0 to 65535")
    return host, int(port_text)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], render: Render, healthy: Callable[[], bool]):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.render = render
        self.healthy = healthy
        super().__init__(address, _Handler, bind_and_activate=False)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can
        # stall start-up for seconds on a badly configured resolver.
        socketserver.TCPServer.server_bind(self)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A scraper that hangs up mid-answer is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, CONTENT_TYPE_LATEST, self.server.render())
        elif path == "/healthz":
            if self.server.healthy():
                self._send(200, "text/plain; charset=utf-8", b"ok\n")
            else:
                self._send(503, "text/plain; charset=utf-8", b"stopping\n")
        elif path == "/":
            body = b'<html><body><a href="/metrics">metrics</a></body></html>\n'
            self._send(200, "text/html; charset=utf-8", body)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found: try /metrics\n")

    def do_HEAD(self) -> None:
        self._send(200 if self.path in ("/metrics", "/healthz") else 404, "text/plain", b"")

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes are not logged: one line per scrape would drown the useful ones."""


class MetricsServer:
    """Bind with :meth:`bind`, serve in a thread with :meth:`start`, :meth:`stop` once."""

    def __init__(self, host: str, port: int, render: Render) -> None:
        self._stopping = threading.Event()
        self._server = _Server((host, port), render, lambda: not self._stopping.is_set())
        self._thread: threading.Thread | None = None

    def bind(self) -> tuple[str, int]:
        """Bind and listen; raises :class:`ListenError` (port in use, bad address...)."""
        host, port = self._server.server_address[:2]
        try:
            self._server.server_bind()
            self._server.server_activate()
        except OSError as exc:
            self._server.server_close()
            raise ListenError(_listen_problem(str(host), int(port), exc)) from None
        bound = self._server.server_address
        return str(bound[0]), int(bound[1])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.5},
            name="leadping-exporter-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


def _listen_problem(host: str, port: int, exc: OSError) -> str:
    import errno

    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Cannot listen on {where}: the port is already in use (another exporter "
            "running?). Stop it, or choose another port with --listen HOST:PORT."
        )
    if exc.errno == errno.EACCES:
        return f"Cannot listen on {where}: permission denied (ports below 1024 need root)."
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"Cannot listen on {where}: this machine has no such address."
    return f"Cannot listen on {where}: {exc.strerror or exc}."
