"""The :class:`Simulator`: a LeadPing status API on loopback, in a daemon thread."""

from __future__ import annotations

import contextlib
import signal
import socket
import socketserver
import sys
import threading
import time
from datetime import datetime, timedelta
from http.server import ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from leadping_tui.simulator.clock import Clock, as_utc, floor_to, system_clock
from leadping_tui.simulator.faults import FaultRegistry
from leadping_tui.simulator.fleet import DEFAULT_FLEET, LISTING_PATH, fleet_numbers
from leadping_tui.simulator.handler import SimulatorHandler
from leadping_tui.simulator.holds import Hold, Holds
from leadping_tui.simulator.payloads import SHAPES, World
from leadping_tui.simulator.phone import NOT_FOUND_NUMBER
from leadping_tui.simulator.recording import RecordedRequest, RequestLog
from leadping_tui.simulator.scenarios import DEMO_NUMBERS

_MAX_ERRORS = 100


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[SimulatorHandler]) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn), which can
        # stall start-up for seconds on a badly configured resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client vanishing mid-request is normal here; never print a traceback."""

    def open_count(self) -> int:
        """How many client connections are being served."""
        with self._open_lock:
            return len(self._open)

    def close_connections(self) -> None:
        """Wake every handler blocked on a keep-alive connection so its thread ends."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Simulator:
    """The LeadPing status API on loopback, with fault injection.

    ``shape`` is ``"sdk"`` (the generated SDK's JSON) or ``"seed"`` (the
    reference page's, numbers as strings) and may be changed while running.
    ``clock`` returns aware UTC "now" (default: real time); data is a pure
    function of the number, the clock and the query. ``event_rate`` is roughly
    how many new events a warming number gets per minute. ``fleet`` is how
    many numbers the organisation listing holds (the demo numbers first).
    """

    def __init__(
        self,
        *,
        shape: str = "sdk",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        event_rate: float = 1.0,
        fleet: int = DEFAULT_FLEET,
    ) -> None:
        self._clock: Clock = clock or system_clock
        self.shape = shape
        self.host = host
        self.port = port
        # Scenario times are placed relative to this hour, so the demo numbers
        # always open in the state they are documented to show.
        self.anchor = floor_to(self.now(), timedelta(hours=1))
        self.world = World(self.anchor, event_rate)
        self.faults = FaultRegistry()
        self.organization: list[str] = fleet_numbers(fleet)
        """The numbers the listing returns, in order; tests may replace the list."""
        self.errors: list[str] = []
        self._log = RequestLog()
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.holds = Holds(self._stopping)
        self._lock = threading.Lock()

    # -- configuration ---------------------------------------------------------

    @property
    def shape(self) -> str:
        """The response shape: ``"seed"`` or ``"sdk"``."""
        return self._shape

    @shape.setter
    def shape(self, value: str) -> None:
        if value not in SHAPES:
            raise ValueError(f"unknown shape {value!r}; expected one of {SHAPES}")
        self._shape = value

    def now(self) -> datetime:
        """The simulator's current time (aware, UTC)."""
        return as_utc(self._clock())

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> Simulator:
        """Bind and serve in a daemon thread; returns self. Starting twice is a no-op."""
        with self._lock:
            if self._server is not None:
                return self
            handler = type("BoundHandler", (SimulatorHandler,), {"sim": self})
            self._stopping.clear()
            self._server = _HTTPServer((self.host, self.port), handler)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"leadping-simulator:{self._server.server_port}",
                daemon=True,
            )
            self._thread.start()
            return self

    def stop(self) -> None:
        """Stop serving, end open connections, join the thread. Idempotent."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None

    @property
    def open_connections(self) -> int:
        """Client connections currently open (keep-alive ones included)."""
        server = self._server
        return server.open_count() if server is not None else 0

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        server = self._server
        if server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{server.server_port}"

    # -- requests --------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the recorded API requests, oldest first (last 10 000)."""
        return self._log.items()

    def clear_requests(self) -> None:
        """Forget recorded requests."""
        self._log.clear()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Block until ``count`` requests are recorded (False on timeout); for tests."""
        return self._log.wait_for(count, timeout)

    def record(self, request: RecordedRequest) -> None:
        """Add ``request`` to the log (called by the handler)."""
        self._log.append(request)

    def note_error(self, text: str) -> None:
        """Keep an internal error's traceback where tests can see it (never stderr)."""
        if len(self.errors) < _MAX_ERRORS:
            self.errors.append(text)

    def hold(self, number: str) -> Hold:
        """Hold answers for ``number`` until ``.release()`` (for tests: a request in flight)."""
        return self.holds.hold(number)

    def pause(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if the simulator is stopping meanwhile."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()


def _describe_demo(base_url: str, shape: str, fleet: int = DEFAULT_FLEET) -> str:
    lines = [f"LeadPing simulator ({shape} shape) listening on {base_url}"]
    lines.append("Demo numbers:")
    lines += [f"  {d.number}  {d.summary}" for d in DEMO_NUMBERS]
    lines.append(f"  {NOT_FOUND_NUMBER}  answers 404 (not in your organisation)")
    lines.append(
        f"The organisation listing (POST {LISTING_PATH}) holds {fleet} numbers; "
        "try `leadping-tui import --base-url " + base_url + "`."
    )
    lines.append("Any non-empty bearer token is accepted. Press Ctrl-C to stop.")
    return "\n".join(lines)


def serve(
    *, port: int = 0, shape: str = "sdk", host: str = "127.0.0.1", fleet: int = DEFAULT_FLEET
) -> None:
    """Run a simulator in the foreground until Ctrl-C (or SIGTERM); exits cleanly."""

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        sim = Simulator(shape=shape, host=host, port=port, fleet=fleet).start()
    except OSError as exc:
        raise SystemExit(f"Cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        print(_describe_demo(sim.base_url, shape, len(sim.organization)), flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Simulator stopped.", file=sys.stderr, flush=True)
    finally:
        sim.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
