"""A tiny loopback HTTP server that answers with whatever bytes a test writes.

For the cases the simulator cannot produce: decompression bombs, bodies that
never end, one byte a second, Retry-After values, WWW-Authenticate
challenges, deeply nested JSON.  Each connection gets the raw socket; the
test's ``respond`` writes a status line, headers and a body as it likes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any

Respond = Callable[["Connection"], None]


class Connection:
    """One accepted connection: the request head, and ways to answer."""

    def __init__(self, sock: socket.socket, head: bytes, stopping: threading.Event) -> None:
        self.sock = sock
        self.head = head
        self.stopping = stopping

    @property
    def request_line(self) -> str:
        return self.head.split(b"\r\n", 1)[0].decode("latin-1")

    def header(self, name: str) -> str | None:
        for line in self.head.decode("latin-1").split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None

    def send(self, data: bytes) -> bool:
        """Write ``data``; False once the client has gone (or the server stops)."""
        if self.stopping.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def answer(
        self,
        status: int,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}"]
        lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
        lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        self.send("\r\n".join(lines).encode("latin-1") + body)

    def answer_json(self, status: int, payload: Any, **kwargs: Any) -> None:
        self.answer(status, json.dumps(payload).encode(), **kwargs)

    def start_chunked(self, headers: dict[str, str] | None = None) -> bool:
        lines = ["HTTP/1.1 200 OK", "Content-Type: application/json"]
        lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
        lines += ["Transfer-Encoding: chunked", "", ""]
        return self.send("\r\n".join(lines).encode("latin-1"))

    def chunk(self, data: bytes) -> bool:
        return self.send(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def wait(self, seconds: float) -> bool:
        """Sleep (the server side of a slow drip); False when the server stops."""
        return not self.stopping.wait(seconds)


class HostileServer:
    """``with HostileServer(respond) as server: ... server.base_url ...``"""

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.requests: list[str] = []
        self.heads: list[bytes] = []
        self._stopping = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> HostileServer:
        self._accepter.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._accepter.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)

    def _accept(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(10)
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    data = sock.recv(65536)
                    if not data:
                        return
                    head += data
            except OSError:
                return
            connection = Connection(sock, head, self._stopping)
            self.heads.append(head)
            self.requests.append(connection.request_line)
            with contextlib.suppress(OSError):
                self.respond(connection)


def gzip_bomb_chunks(total: int, step: int = 1 << 20) -> Iterator[bytes]:
    """Pieces of one gzip stream that inflates to ``total`` zero bytes, made lazily."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(step)
    for _ in range(total // step):
        piece = compressor.compress(zeros)
        if piece:
            yield piece
    yield compressor.flush()
