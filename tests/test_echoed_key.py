"""A server that echoes the API key back in a status: the key is stored and shown nowhere.

Masked where third-party text enters (the client, before parsing), so the
raw view, exports, the history database and screenshots all get the mask.
"""

from __future__ import annotations

from pathlib import Path

from app_harness import TEST_KEY, dashboard, make_app, settle
from hostile_server import Connection, HostileServer

from leadping_tui.reports.exports import export_status
from leadping_tui.ui.widgets.raw_view import RawView

NUMBER = "+12025550101"
MASK = "sk_…5555"


def echo(connection: Connection) -> None:
    sent = connection.header("Authorization") or ""
    key = sent.removeprefix("Bearer ")
    connection.answer_json(
        200,
        {
            "phoneNumber": NUMBER,
            "smsWarmup": {"healthScore": 70, "pauseReason": f"debug: key={key}"},
            "recentEvents": [{"textPreview": f"you sent {sent}", "id": "e1"}],
            "debug": {"authorization": sent},
        },
    )


def every_file_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def test_an_echoed_key_is_masked_in_raw_view_exports_history_and_screenshots(
    tmp_path: Path,
) -> None:
    with HostileServer(echo) as server:
        app = make_app(server, tmp_path / "app", watchlist=[NUMBER])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = dashboard(app)
            result = screen.results[NUMBER]
            assert TEST_KEY not in str(result.raw)
            assert MASK in str(result.raw)

            await pilot.press("j")  # the raw view
            await pilot.pause()
            raw_text = screen.query_one(RawView).text
            assert MASK in raw_text and TEST_KEY not in raw_text
            shot = app.export_screenshot()
            assert TEST_KEY not in shot

            paths = export_status(result, tmp_path / "exports")
            for path in paths.all():
                assert TEST_KEY not in path.read_text(), path
        assert server.requests, "the server was asked"
    files = every_file_under(tmp_path / "app")
    assert any(path.suffix == ".sqlite3" for path in files), files  # the history was written
    for path in files:
        if path.name.startswith("settings"):
            continue  # where the user keeps the key on purpose
        assert TEST_KEY.encode() not in path.read_bytes(), path
