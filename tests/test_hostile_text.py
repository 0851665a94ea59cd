"""Third-party text in the real dashboard: shown literally, never interpreted, never overflowing.

The simulator's texts are fixed, so these tests serve their own payloads from
a tiny loopback HTTP server (:class:`PayloadServer`) and point the real app
at it with ``make_app``: the text travels the whole way, through the client,
the models, the screen and the panels, to the rendered terminal lines.

"The screen" below is what the terminal would show: the compositor's full
update (the same one ``App.export_screenshot`` renders) printed to a
recording console and read back as plain text, one string per row.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from app_harness import drawn, make_app, tables_filled, wait_until, workers_done
from rich.cells import cell_len, split_graphemes
from strategies import forbidden_controls
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from leadping_tui.store.paths import AppPaths
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.event_detail import EventDetailScreen
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.screens.dashboard_drawing import MIN_TABS_ROWS
from leadping_tui.ui.textual_compat import screen_lines, screen_strips
from leadping_tui.ui.widgets.actions_table import ActionsTable
from leadping_tui.ui.widgets.capacity_panel import CapacityPanel
from leadping_tui.ui.widgets.event_log import EventLog
from leadping_tui.ui.widgets.health_panel import HealthPanel
from leadping_tui.ui.widgets.status_bar import StatusBar
from leadping_tui.ui.widgets.watchlist_sidebar import WatchlistSidebar

NUMBER = "+12025550101"
OTHER = "+12025550102"
THIRD = "+12025550103"
SIZE = (120, 40)

QUIT_CLICK = "[@click=app.quit]boom[/]"
LINK = "[link=https://evil.example]click[/link]"
RED = "[red]x[/red]"
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# -- a loopback server for hand-made payloads ----------------------------------------------


class PayloadServer:
    """Answers ``GET /phone-numbers/{n}/status`` with whatever payload a test sets.

    ``payloads[number]`` is sent as JSON with 200; ``problems[number] =
    (status, body)`` is sent as ``application/problem+json`` (``body`` may be
    a function of the request's ``Authorization`` header).  That header of
    every request is kept in ``authorizations``.
    """

    def __init__(self) -> None:
        self.payloads: dict[str, Any] = {}
        self.problems: dict[str, tuple[int, Any]] = {}
        self.authorizations: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                authorization = self.headers.get("Authorization", "")
                owner.authorizations.append(authorization)
                parts = urlsplit(self.path).path.split("/")
                number = unquote(parts[2]) if len(parts) > 3 else ""
                if number in owner.problems:
                    code, body = owner.problems[number]
                    body = body(authorization) if callable(body) else body
                    kind = "application/problem+json"
                else:
                    code, body = 200, owner.payloads.get(number, {"number": number})
                    kind = "application/json"
                data = json.dumps(body).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[PayloadServer]:
    running = PayloadServer()
    yield running
    running.close()


# -- payloads and screens ---------------------------------------------------------------------


def payload_with(
    *,
    reason: str = "",
    pause: str = "",
    text: str = "",
    label: str = "",
    tone: str = "warning",
    description: str = "",
    provider: str = "delivered",
    health_reason: str = "",
    body: str = "",
    extra_event_fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A seed-shaped status with the given third-party text in its text fields."""
    events = [
        {
            "id": f"ev{index}",
            "createdAt": f"2026-11-27T1{index}:00:00Z",
            "label": label or f"Reply {index}",
            "eventType": "sms.inbound",
            "direction": "inbound",
            "fromPhoneNumber": "+12025550177",
            "toPhoneNumber": NUMBER,
            "textPreview": text or f"hello {index}",
            "providerStatus": provider,
            "isOptOut": False,
            **(extra_event_fields or {}),
        }
        for index in range(3)
    ]
    return {
        "number": NUMBER,
        "messagesPossible": "120",
        "callsPossible": "4",
        "smsWarmup": {
            "status": "Blocked" if reason else "In Progress",
            "healthStatus": "Healthy",
            "healthScore": "64",
            "progressPercent": "40",
            "pauseReason": pause or None,
            "blockReason": reason or None,
            "uiState": {"tone": tone, "description": description or "Warming up"},
            "recentActions": [
                {
                    "id": f"act{index}",
                    "fromPhoneNumber": NUMBER,
                    "toPhoneNumber": "+12025550177",
                    "body": body or f"body {index}",
                    "scheduledAt": f"2026-11-27T0{index}:00:00Z",
                    "executedAt": f"2026-11-27T0{index}:00:05Z",
                }
                for index in range(3)
            ],
        },
        "outboundCapacity": {"healthStatus": "limited", "healthReason": health_reason or None},
        "recentEvents": events,
    }


def click_actions_on_screen(app: LeadPingApp) -> set[str]:
    """Every ``@click`` action any rendered cell would run."""
    found: set[str] = set()
    for strip in screen_strips(app):
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            for key, value in meta.items():
                if key.startswith("@"):
                    found.add(f"{key}={value}")
    return found


def assert_terminal_safe(app: LeadPingApp) -> list[str]:
    """Rows are exactly the terminal's size and hold no control or bidi character."""
    lines = screen_lines(app)
    width, height = app.size
    assert len(lines) == height
    for line in lines:
        assert cell_len(line) == width, f"row is {cell_len(line)} cells wide: {line!r}"
        assert not forbidden_controls(line), repr(line)
        assert not BIDI_CONTROLS.intersection(line), repr(line)
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "&#27;" not in svg and "&#x1b;" not in svg.lower()
    return lines


def dashboard(app: LeadPingApp) -> DashboardScreen:
    for screen in app.screen_stack:
        if isinstance(screen, DashboardScreen):
            return screen
    raise AssertionError(f"no dashboard in {app.screen_stack!r}")


async def toast_drawn(app: LeadPingApp, pilot: Pilot[int], marker: str) -> str:
    """Wait until a toast holding ``marker`` is on screen; its text, its lines joined.

    The toast is a box on the right of the screen: its lines are the screen
    rows' last characters from the column where ``marker`` starts.
    """

    def rows() -> list[str]:
        lines = screen_lines(app)
        found = [(y, line.find(marker)) for y, line in enumerate(lines) if marker in line]
        if not app.screen.query("Toast") or not found:
            return []
        top, x = found[0]
        box = [line[x:].rstrip(" ▌▐▊▎│") for line in lines[top:]]
        return box[: next((i for i, row in enumerate(box) if not row.strip()), len(box))]

    await wait_until(pilot, lambda: bool(rows()), f"a toast saying {marker!r}")
    return " ".join(row.strip() for row in rows())


async def loaded(app: LeadPingApp, pilot: Pilot[int], number: str = NUMBER) -> DashboardScreen:
    """Wait for the first answer for ``number`` to be drawn."""
    await wait_until(
        pilot,
        lambda: (
            any(isinstance(s, DashboardScreen) for s in app.screen_stack)
            and (number in dashboard(app).results or number in dashboard(app).errors)
        ),
        f"the first answer for {number}",
    )
    await workers_done(app)
    await pilot.pause()
    screen = dashboard(app)
    await wait_until(pilot, lambda: screen.deferred_ready, "the tabs to mount")
    await tables_filled(screen, pilot)
    await drawn(app, pilot)
    return screen


def assert_alive(app: LeadPingApp) -> None:
    assert app.is_running, "the app stopped"
    assert app.return_code is None


async def click_every(app: LeadPingApp, pilot: Pilot[int], word: str) -> int:
    """Click each place on screen where ``word`` is shown; how many there were."""
    clicks = 0
    for y, line in enumerate(screen_lines(app)):
        start = line.find(word)
        while start != -1:
            x = cell_len(line[:start])
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            clicks += 1
            assert_alive(app)
            start = line.find(word, start + 1)
    return clicks


def char_at_cell(line: str, x: int) -> str:
    """The grapheme drawn in terminal column ``x`` of ``line`` (as Rich measures it)."""
    spans, _total = split_graphemes(line)
    used = 0
    for start, stop, width in spans:
        if width and used <= x < used + width:
            return line[start:stop]
        used += width
    return ""


def assert_edge_holds(app: LeadPingApp, lines: list[str], widget_id: str) -> None:
    """The right border of ``widget_id`` is in the same column on every row it spans."""
    region = dashboard(app).query_one(f"#{widget_id}").region
    inner = lines[region.y + 1 : region.bottom - 1]  # between the corners
    edges = {char_at_cell(line, region.right - 1) for line in inner}
    assert len(edges) == 1 and edges != {" "}, f"{widget_id} right edge moved: {edges}"


def table_plain(table: Any) -> list[str]:
    return [" | ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]


# -- markup ------------------------------------------------------------------------------------


async def test_markup_lookalikes_are_shown_as_typed_and_never_act(
    server: PayloadServer, tmp_path: Path
) -> None:
    server.payloads[NUMBER] = payload_with(
        reason=QUIT_CLICK,
        pause=LINK,
        text=f"{QUIT_CLICK} {LINK}",
        label=RED,
        tone=RED,
        description=f"{QUIT_CLICK} then {RED}",
        provider=RED,
        health_reason=QUIT_CLICK,
        body=f"{LINK} {QUIT_CLICK}",
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        health = screen.query_one(HealthPanel).plain
        assert f"✗ BLOCKED  {QUIT_CLICK}" in health
        assert f"❚❚ PAUSED  {LINK}" in health
        assert f"Tone {RED}" in health
        assert f"{QUIT_CLICK} then {RED}" in health
        assert QUIT_CLICK in screen.query_one(CapacityPanel).plain
        events = "\n".join(table_plain(screen.query_one(EventLog).table))
        assert f"{QUIT_CLICK} {LINK}" in events and RED in events
        # Only the visible tab's table is filled: show the actions first.
        screen.query_one(TabbedContent).active = "tab-actions"
        # The table mounts and fills once its tab shows, a slice per frame: wait for the row.
        await wait_until(
            pilot,
            lambda: any(
                f"{LINK} {QUIT_CLICK}" in row
                for table in screen.query(ActionsTable)  # mounted when first shown
                for row in table_plain(table)
            ),
            "the action's row in the actions table",
        )

        lines = assert_terminal_safe(app)
        shown = "\n".join(lines)
        for text in (QUIT_CLICK, RED, f"Tone {RED}"):
            assert text in shown, text
        # No cell carries an action or a link that came from the payload.
        assert not any("quit" in action for action in click_actions_on_screen(app))
        assert not any(
            segment.style is not None and segment.style.link
            for strip in screen_strips(app)
            for segment in strip
        )
        # Clicking the words that would be live links or actions does nothing harmful.
        assert await click_every(app, pilot, "boom") >= 2
        screen.query_one(TabbedContent).active = "tab-actions"
        # The body column runs off the right edge (the table scrolls sideways).
        await wait_until(
            pilot,
            lambda: "[link=https://evil.ex" in "\n".join(screen_lines(app)),
            "the action's body on screen",
        )
        assert_terminal_safe(app)
        await click_every(app, pilot, "evil")
        assert_alive(app)


# Alert toasts quote third-party reasons: LeadPingApp.notify turns markup off.


async def test_alert_toast_shows_a_reason_literally_and_clicking_it_does_not_quit(
    server: PayloadServer, tmp_path: Path
) -> None:
    server.payloads[NUMBER] = payload_with(reason=QUIT_CLICK)
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(app, pilot)
        toast = await toast_drawn(app, pilot, "Block reason:")
        assert "Block reason: [@click=app.quit]boom[/]" in toast
        assert await click_every(app, pilot, "boom") >= 2  # the toast and the health panel
        assert_alive(app)


async def test_a_reason_with_a_stray_closing_tag_does_not_crash_the_app(
    server: PayloadServer, tmp_path: Path
) -> None:
    server.payloads[NUMBER] = payload_with(reason="[/bold] carrier says no")
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(app, pilot)
        # Drawn, not just queued: a markup error would be raised while rendering it.
        toast = await toast_drawn(app, pilot, "Block reason:")
        assert_alive(app)
        assert "Block reason: [/bold] carrier says no" in toast


# -- escapes and controls -------------------------------------------------------------------


async def test_escape_sequences_and_controls_are_neutralised(
    server: PayloadServer, tmp_path: Path
) -> None:
    osc_title = "\x1b]0;pwned\x07"
    hyperlink = "\x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\"
    server.payloads[NUMBER] = payload_with(
        reason="\x1b[2J\x1b[Hwiped",
        pause=f"{osc_title}title",
        text=f"{hyperlink} bell\x07 nul\x00 csi\x9b2J del\x7f",
        label="\x1b[31mred",
        description="c1\x85next\x8dline",
        provider="\x1b[5mblink",
        health_reason="back\x08space",
        body="\x1bPq#0;2;0;0;0\x1b\\sixel",
        extra_event_fields={"\x1b[2Jkey": "\x1b]52;c;ZXZpbA==\x07"},
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        health = screen.query_one(HealthPanel).plain
        assert "␛[2J␛[Hwiped" in health
        assert "␛]0;pwned␇title" in health
        assert not forbidden_controls(health)
        events = "\n".join(table_plain(screen.query_one(EventLog).table))
        assert "␛]8;;http://x␛\\here" in events and "bell␇ nul␀ csi\\x9b2J del␡" in events
        assert not forbidden_controls(events)
        shown = "\n".join(assert_terminal_safe(app))
        assert "␛[2J␛[Hwiped" in shown

        screen.query_one(TabbedContent).active = "tab-actions"
        await wait_until(
            pilot,
            lambda: "␛Pq#0;2;0;0;0␛\\sixel" in "\n".join(screen_lines(app)),
            "the action's body on screen",
        )
        assert_terminal_safe(app)

        await pilot.press("j")  # raw JSON: escapes as JSON writes them (mounted when first shown)
        await wait_until(
            pilot,
            lambda: any("\\u001b[2J" in line for line in screen_lines(app)),
            "the raw JSON on screen",
        )
        assert_terminal_safe(app)
        await pilot.press("j")
        await pilot.pause()
        assert_alive(app)


async def test_problem_details_from_the_api_are_literal_in_the_status_line(
    server: PayloadServer, tmp_path: Path
) -> None:
    server.problems[NUMBER] = (
        500,
        {
            "title": "[/bold] Internal \x1b[2J error",
            "detail": f"{QUIT_CLICK} \u202eesrever\x07",
            "status": 500,
        },
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        bar = dashboard(app).query_one(StatusBar)
        await wait_until(
            pilot, lambda: bar.state is not None and "(500)" in bar.state.message, "the error"
        )
        lines = assert_terminal_safe(app)
        message = next(line for line in lines if "(500)" in line)
        assert "[/bold] Internal ␛[2J error" in message
        assert f"{QUIT_CLICK} esrever␇" in message
        assert not any("quit" in action for action in click_actions_on_screen(app))
        await click_every(app, pilot, "boom")
        assert_alive(app)


# -- bidi, wide characters and long lines ---------------------------------------------------------


async def test_rtl_override_does_not_reverse_the_rest_of_the_row(
    server: PayloadServer, tmp_path: Path
) -> None:
    server.payloads[NUMBER] = payload_with(
        reason="abc\u202edef", label="abc\u202edef", description="\u2067isolated\u2069 tail"
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        lines = assert_terminal_safe(app)
        assert any("✗ BLOCKED  abcdef" in line for line in lines)
        assert any("isolated tail" in line for line in lines)
        row = next(line for line in lines if "abcdef" in line and "hello" in line)
        # The cells around the label still read left to right, in column order.
        assert row.index("↓ in") < row.index("abcdef") < row.index("hello")
        assert "abcdef" in table_plain(screen.query_one(EventLog).table)[0]


WIDE_TEXT = "👨‍👩‍👧‍👦 漢字テスト 🇺🇸 한국어 " * 4
LONG_TEXT = "W" * 5_000


def _regions(app: LeadPingApp) -> dict[str, Any]:
    screen = dashboard(app)
    ids = ("status-bar", "sidebar", "health", "capacity", "metrics", "tabs", "events")
    return {name: screen.query_one(f"#{name}").region for name in ids}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_wide_characters_and_long_lines_keep_the_layout(
    server: PayloadServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    server.payloads[NUMBER] = payload_with()
    server.payloads[OTHER] = payload_with(
        reason=WIDE_TEXT + LONG_TEXT,
        pause="界" * 2_500,
        text=WIDE_TEXT + LONG_TEXT,
        label=WIDE_TEXT,
        tone=LONG_TEXT,
        description=LONG_TEXT,
        provider=WIDE_TEXT,
        health_reason=LONG_TEXT,
        body="界" * 2_500,
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER, OTHER])
    async with app.run_test(size=size) as pilot:
        await loaded(app, pilot, NUMBER)
        before = _regions(app)
        plain_lines = assert_terminal_safe(app)
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        sidebar.focus()
        await pilot.press("down")
        await loaded(app, pilot, OTHER)
        await wait_until(pilot, lambda: dashboard(app).selected == OTHER, "the second number")
        await pilot.pause()
        after = _regions(app)
        # Panel heights follow their content (the top panels grow up to a cap);
        # hostile text must not move anything sideways, widen anything, or
        # squeeze the tabs below their minimum.
        for name, region in after.items():
            assert (region.x, region.width) == (before[name].x, before[name].width), name
        for name in ("status-bar", "sidebar"):
            assert after[name] == before[name], name
        assert after["tabs"].height >= MIN_TABS_ROWS
        assert after["tabs"].bottom == before["tabs"].bottom
        hostile_lines = assert_terminal_safe(app)
        assert len(hostile_lines) == len(plain_lines)
        for widget_id in ("sidebar", "health", "capacity", "metrics"):
            if dashboard(app).query_one(f"#{widget_id}").display:
                assert_edge_holds(app, hostile_lines, widget_id)
        events = dashboard(app).query_one(EventLog).table
        for row in events.shown_rows:
            assert max(cell.cell_len for cell in row.cells) <= 120
            assert row.cells[4].plain.endswith("…")  # the preview
        dashboard(app).query_one(TabbedContent).active = "tab-actions"
        # The table mounts and fills once its tab shows, a slice per frame.
        await wait_until(
            pilot,
            lambda: any(
                table.shown_rows and not table.filling
                for table in dashboard(app).query(ActionsTable)
            ),
            "the actions table to fill",
        )
        actions = dashboard(app).query_one(ActionsTable)
        assert all(row.cells[2].plain.endswith("…") for row in actions.shown_rows)  # body
        dashboard(app).query_one(TabbedContent).active = "tab-actions"
        await pilot.pause()
        assert_terminal_safe(app)
        assert_alive(app)


# -- the sidebar ---------------------------------------------------------------------------------


async def test_watchlist_labels_are_literal_and_fit_their_rows(
    server: PayloadServer, tmp_path: Path
) -> None:
    labels = {
        NUMBER: QUIT_CLICK,
        OTHER: "\x1b[2Jesc abc\u202edef",
        THIRD: "界😀" * 40,
    }
    for number in labels:
        server.payloads[number] = payload_with()
    paths = AppPaths.under(tmp_path)
    paths.watchlist_file.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "version": 1,
        "selected": NUMBER,
        "entries": [{"number": number, "label": label} for number, label in labels.items()],
    }
    paths.watchlist_file.write_text(json.dumps(document), encoding="utf-8")
    app = make_app(server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        bar = dashboard(app).query_one(StatusBar)
        await wait_until(
            pilot, lambda: bar.state is not None and bar.state.label == QUIT_CLICK, "the label"
        )
        lines = assert_terminal_safe(app)
        shown = "\n".join(lines)
        assert QUIT_CLICK in shown
        # ESC and the bidi override removed; the row gives the state word room
        # first, so a long label is cut (visibly) on screen.
        sidebar = dashboard(app).query_one(WatchlistSidebar)
        assert "[2Jesc abc" in sidebar.row_text(OTHER)
        assert "界😀" in sidebar.row_text(THIRD) and "…" in shown
        # Nothing from a label spills past the sidebar's right edge.
        assert_edge_holds(app, lines, "sidebar")
        assert not any("quit" in action for action in click_actions_on_screen(app))
        await click_every(app, pilot, "boom")
        assert_alive(app)


# -- the event detail dialog --------------------------------------------------------------------


async def test_event_detail_shows_every_hostile_field_literally(
    server: PayloadServer, tmp_path: Path
) -> None:
    preview = f"{QUIT_CLICK}\nsecond line \x1b[2J\r\nthird \u202eline\n" + "界" * 3_000
    server.payloads[NUMBER] = payload_with(
        text=preview,
        label=LINK,
        provider=RED,
        extra_event_fields={"[@click=app.quit]key[/]": {"nested": "\x1b]0;t\x07"}},
    )
    app = make_app(server, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        table = screen.query_one(EventLog).table
        table.focus()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, EventDetailScreen), "the detail dialog"
        )
        await pilot.pause()
        lines = assert_terminal_safe(app)
        shown = "\n".join(lines)
        assert QUIT_CLICK in shown
        assert "second line ␛[2J" in shown
        assert "third line" in shown
        assert LINK in shown and RED in shown
        assert "[@click=app.quit]key[/]" in shown
        # An unknown field's value is shown as JSON, which escapes controls itself.
        assert '{"nested": "\\u001b]0;t\\u0007"}' in shown
        # The preview keeps its line breaks: each part starts its own row.
        first = next(y for y, line in enumerate(lines) if QUIT_CLICK in line and "█" in line)
        assert "second line" in lines[first + 1] and "third line" in lines[first + 2]
        assert not any("quit" in action for action in click_actions_on_screen(app))
        await click_every(app, pilot, "boom")
        assert isinstance(app.screen, EventDetailScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "closing")
        assert_alive(app)
