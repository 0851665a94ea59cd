"""What the user can do about an API error, in the app (issue 9 §5, issue 14 error kinds).

A 401 offers to enter a new key (Ctrl+K) and uses it at once; a 403 says it is a
permission, not a wrong key; C copies the selected number's error details,
as the error-kind table says, with the key masked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_harness import TEST_KEY, dashboard, make_app, settle
from textual.widgets import Input

from leadping_tui.simulator import Fault
from leadping_tui.store.settings import load_settings
from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.dialogs.api_key import ApiKeyDialog
from leadping_tui.ui.widgets.status_bar import BarState, StatusBar

NUMBER = "+12025550101"


def bar(app: LeadPingApp) -> BarState:
    state = dashboard(app).query_one(StatusBar).state
    assert state is not None
    return state


NEW_KEY = "sk_replacement_key_7777"


async def test_a_401_offers_to_enter_a_new_key_in_the_app(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sim.faults.set(Fault("status", status=401), NUMBER)
        await pilot.press("r")
        await settle(app, pilot)
        assert dashboard(app).errors[NUMBER].kind == "auth"
        assert "press Ctrl+K to enter a new one" in bar(app).message

        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyDialog)
        key_input = app.screen.query_one(Input)
        assert key_input.password
        sim.faults.clear()
        sim.clear_requests()
        key_input.value = NEW_KEY
        await pilot.press("enter")
        await settle(app, pilot)

        assert not isinstance(app.screen, ApiKeyDialog)
        loaded = load_settings(app.runtime.paths.settings_file, env={})
        assert loaded.settings.api_key_value() == NEW_KEY
        assert {request.authorization for request in sim.requests} == {f"Bearer {NEW_KEY}"}
        assert NUMBER not in dashboard(app).errors
        assert NEW_KEY not in app.export_screenshot()


async def test_c_copies_the_selected_numbers_api_error_details(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[NUMBER])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sim.faults.set(Fault("status", status=403), NUMBER)
        await pilot.press("r")
        await settle(app, pilot)
        assert dashboard(app).errors[NUMBER].kind == "forbidden"
        assert "LEADPING_API_KEY" not in bar(app).message
        await pilot.press("C")
        await pilot.pause()
        copied = app.clipboard
        assert f"number: {NUMBER}" in copied
        assert "kind: forbidden" in copied
        assert "HTTP status: 403" in copied
        assert "traceId: 00-" in copied
        assert "request: GET /phone-numbers/%2B12025550101/status" in copied
        assert TEST_KEY not in copied
