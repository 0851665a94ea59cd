"""Reading the organisation listing and importing it into the watchlist."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from leadping_tui import cli
from leadping_tui.api import errors
from leadping_tui.api.client import StatusClient
from leadping_tui.api.listing import ListingReader, PhoneNumberTableRow
from leadping_tui.api.listing_client import ListingNotAllowed, read_organisation
from leadping_tui.refresh.budget import Priority, TokenBucket
from leadping_tui.simulator import Fault, Simulator
from leadping_tui.simulator.fleet import LISTING_FAULT_KEY
from leadping_tui.store.fleet_import import plan_import
from leadping_tui.store.paths import AppPaths
from leadping_tui.store.watchlist import Watchlist
from leadping_tui.store.watchlist_file import WatchlistStore

KEY = "sk_test_import_5150"


@pytest.fixture
def fleet250() -> Iterator[Simulator]:
    with Simulator(fleet=250) as sim:
        yield sim


def listing_requests(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.endpoint == "organization"]


def run_import(sim: Simulator, *args: str) -> int:
    return cli.main(["import", "--base-url", sim.base_url, *args])


def write(watchlist: Watchlist) -> None:
    store = WatchlistStore(AppPaths.default().watchlist_file)
    store.load()  # so the save replaces what is there rather than merging with it
    store.save(watchlist)


def saved() -> Watchlist:
    store = WatchlistStore(AppPaths.default().watchlist_file)
    return store.load().watchlist


def test_import_reads_a_250_number_fleet_in_3_requests(
    fleet250: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEADPING_API_KEY", KEY)
    write(Watchlist().add("+12025550102", "My label").add("+19175550000", "Not listed"))
    writes: list[Path] = []
    from leadping_tui.store import watchlist_file as watchlist_module

    real_write = watchlist_module.atomic_write_text
    monkeypatch.setattr(
        watchlist_module,
        "atomic_write_text",
        lambda path, text: (writes.append(path), real_write(path, text))[1],
    )
    assert run_import(fleet250) == 0
    out = capsys.readouterr().out
    assert "Read 250 numbers" in out and "in 3 pages" in out
    assert "Added 249, already there 1, skipped 0." in out
    requests = listing_requests(fleet250)
    assert len(requests) == 3 and len(fleet250.requests) == 3
    assert [r.body.get("pageSize") for r in requests] == [100, 100, 100]
    assert all(r.authorization == f"Bearer {KEY}" for r in requests)
    assert len(writes) == 1  # saved once, not per number
    watchlist = saved()
    assert len(watchlist) == 251
    assert watchlist.numbers()[:2] == ("+12025550102", "+19175550000")
    assert watchlist.get("+12025550102").label == "My label"  # type: ignore[union-attr]
    assert watchlist.get("+12025550101").label == "Main line"  # type: ignore[union-attr]
    assert KEY not in out


def test_replace_keeps_only_listed_numbers_with_the_users_labels_and_order(
    fleet250: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEADPING_API_KEY", KEY)
    write(
        Watchlist()
        .add("+12025550105", "Mine first")
        .add("+19175550000", "Gone")
        .add("+12025550101")
    )
    assert run_import(fleet250, "--search", "sales", "--replace") == 0
    out = capsys.readouterr().out
    assert "removed 3 not in the listing" in out
    assert saved().numbers() == ("+12025550103", "+12025550104")

    write(Watchlist().add("+12025550105", "Mine first").add("+19175550000", "Gone"))
    assert run_import(fleet250, "--replace") == 0
    watchlist = saved()
    assert watchlist.numbers()[0] == "+12025550105" and "+19175550000" not in watchlist
    assert watchlist.get("+12025550105").label == "Mine first"  # type: ignore[union-attr]
    assert len(watchlist) == 250


def test_import_says_why_when_the_key_cannot_list(
    fleet250: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEADPING_API_KEY", KEY)
    fleet250.faults.set(Fault("status", status=403), LISTING_FAULT_KEY)
    assert run_import(fleet250) == 1
    err = capsys.readouterr().err
    assert "Cannot list the organisation's numbers (403)" in err
    assert "Traceback" not in err


def test_plan_import_names_unlabelled_numbers_but_never_relabels() -> None:
    rows = {
        "+12025550101": PhoneNumberTableRow(number="+12025550101", name="Listing A"),
        "+12025550102": PhoneNumberTableRow(number="+12025550102", name="Listing\x1b[31m B"),
        "+12025550103": PhoneNumberTableRow(number="+12025550103", name=None),
    }
    start = Watchlist().add("+12025550101").add("+12025550102", "Mine").select("+12025550102")
    outcome = plan_import(start, rows, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert outcome.added == ("+12025550103",)
    assert outcome.already == ("+12025550101", "+12025550102")
    assert outcome.labelled == ("+12025550101",)
    labels = [entry.label for entry in outcome.watchlist]
    assert labels == ["Listing A", "Mine", ""]
    assert outcome.watchlist.selected == "+12025550102"
    again = plan_import(outcome.watchlist, rows)
    assert not again.changed


# -- bad pages: a server cannot be made to send these, so a mock transport does --


def mock_client(pages: Callable[[dict[str, Any], int], httpx.Response]) -> StatusClient:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return pages(json.loads(request.content), calls["n"])

    return StatusClient(
        base_url="https://api.example.test",
        api_key=KEY,
        transport=httpx.MockTransport(handler),
    )


ODD_ROW = {
    "number": "+12025550111",
    "ownership": "Reseller",
    "warmup": None,
    "brandNewField": [1, 2],
    "smsReady": "yes",
}


async def test_a_looping_token_with_odd_rows_neither_crashes_nor_loops() -> None:
    seen: list[dict[str, Any]] = []

    def pages(body: dict[str, Any], n: int) -> httpx.Response:
        seen.append(body)
        items = [
            ODD_ROW,
            dict(ODD_ROW, warmup={"state": "Frozen", "healthStatus": "Weird", "callStage": 7}),
            {"number": "not a number"},
            "not even an object",
            {"number": f"+1202555{n:04d}", "warmup": {"state": "Blocked"}},
        ]
        return httpx.Response(200, json={"items": items, "continuationToken": "again"})

    async with mock_client(pages) as client:
        reader = await read_organisation(client)
    assert reader.pages == 2 and len(seen) == 2
    assert reader.stop_reason is not None and "a second time" in reader.stop_reason
    assert list(reader.rows) == ["+12025550111", "+12025550001", "+12025550002"]
    assert reader.rows["+12025550111"].ownership == "Reseller"
    assert reader.rows["+12025550111"].unknown_fields == {"brandNewField": [1, 2]}
    assert reader.rows["+12025550111"].sms_ready is True
    reasons = [skip.reason for skip in reader.skipped]
    assert any("listed twice" in reason for reason in reasons)
    assert any("not an E.164 number" in reason for reason in reasons)


async def test_an_endless_listing_is_capped() -> None:
    def pages(body: dict[str, Any], n: int) -> httpx.Response:
        return httpx.Response(200, json={"items": [], "continuationToken": f"t{n}"})

    async with mock_client(pages) as client:
        reader = await read_organisation(client, reader=ListingReader(max_pages=7))
    assert reader.pages == 7 and reader.stop_reason is not None
    assert "7 pages" in reader.stop_reason


async def test_the_reported_page_size_is_followed_and_tokens_take_budget() -> None:
    bodies: list[dict[str, Any]] = []

    def pages(body: dict[str, Any], n: int) -> httpx.Response:
        bodies.append(body)
        token = f"t{n}" if n < 3 else None
        row = {"number": f"+1202555{n:04d}"}
        return httpx.Response(
            200, json={"items": [row], "continuationToken": token, "pageSize": 50}
        )

    budget = TokenBucket(600, burst=10)
    async with mock_client(pages) as client:
        reader = await read_organisation(client, budget=budget, priority=Priority.BACKGROUND)
    assert [body["pageSize"] for body in bodies] == [100, 50, 50]
    assert [body.get("continuationToken") for body in bodies] == [None, "t1", "t2"]
    assert reader.done and reader.stop_reason is None and len(reader.rows) == 3
    assert budget.taken_for(Priority.BACKGROUND) == 3


@pytest.mark.parametrize("status", [401, 403, 404, 405])
async def test_statuses_that_mean_no_listing_raise_listing_not_allowed(status: int) -> None:
    def pages(body: dict[str, Any], n: int) -> httpx.Response:
        return httpx.Response(status, json={"title": "Nope", "status": status})

    async with mock_client(pages) as client:
        with pytest.raises(ListingNotAllowed) as caught:
            await read_organisation(client)
    assert caught.value.status == status


@pytest.mark.parametrize("body", [b"<html>", b"[1, 2]", b'{"items": "x"}', b'{"unexpected": true}'])
async def test_a_body_that_is_not_a_page_is_a_bad_response(body: bytes) -> None:
    async with mock_client(lambda _, n: httpx.Response(200, content=body)) as client:
        with pytest.raises(errors.BadResponse):
            await read_organisation(client)
