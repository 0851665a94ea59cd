"""The organisation listing models and the page reader survive odd pages."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from leadping_tui.api.condition import Condition
from leadping_tui.api.listing import (
    MAX_PAGE_SIZE,
    ListingPage,
    ListingReader,
    PhoneNumberTableRow,
    parse_page,
)
from leadping_tui.refresh.fleet import Fleet

ROW = {
    "id": "pn_1",
    "number": "+12025550101",
    "name": "Sales line 1",
    "location": "Washington, DC",
    "type": "Local",
    "enabled": True,
    "isDemo": False,
    "ownership": "Organization",
    "organization": "Acme",
    "organizationId": "org_1",
    "routingSummary": "Round robin",
    "smsReady": True,
    "voiceReady": False,
    "tenDlcCampaignStatus": "Approved",
    "warmup": {
        "state": "In Progress",
        "healthStatus": "Healthy",
        "healthScore": 91,
        "progressPercent": 40,
        "enabled": True,
        "callStage": "Stage 2",
    },
}


def _page(items: list[object], token: str | None = None, **extra: object) -> ListingPage:
    page = parse_page({"items": items, "continuationToken": token, **extra})
    assert page is not None
    return page


def test_a_full_row_reads_every_field() -> None:
    row = PhoneNumberTableRow.model_validate(ROW)
    assert row.e164 == "+12025550101"
    assert row.name == "Sales line 1"
    assert row.sms_ready is True and row.voice_ready is False
    assert row.ten_dlc_campaign_status == "Approved"
    assert row.warmup is not None and row.warmup.call_stage == "Stage 2"
    assert row.warmup.health_score == 91
    status = row.as_status()
    assert status.sms_warmup is not None
    assert status.sms_warmup.status == "In Progress"
    assert status.sms_warmup.progress_percent == 40


def test_unknown_fields_and_enum_values_are_kept_and_null_warmup_is_fine() -> None:
    row = PhoneNumberTableRow.model_validate(
        dict(
            ROW,
            ownership="Reseller",
            futureField={"x": 1},
            warmup={"state": "Hibernating", "healthScore": "55", "callStage": "Stage 9"},
        )
    )
    assert row.ownership == "Reseller"
    assert row.unknown_fields == {"futureField": {"x": 1}}
    assert row.warmup is not None and row.warmup.state == "Hibernating"
    assert row.warmup.health_score == 55
    bare = PhoneNumberTableRow.model_validate(dict(ROW, warmup=None))
    assert bare.warmup is None
    assert bare.as_status().sms_warmup is None


def test_a_blocked_row_assesses_critical() -> None:
    row = PhoneNumberTableRow.model_validate(
        dict(ROW, warmup={"state": "Blocked", "healthStatus": "Blocked", "healthScore": 10})
    )
    fleet = Fleet()
    fleet.record_round({"+12025550101": row}, datetime(2026, 1, 1, tzinfo=UTC))
    entry = fleet.get("+12025550101")
    assert entry is not None and entry.condition is Condition.CRITICAL
    assert fleet.counts()[Condition.CRITICAL] == 1


def test_fleet_movement_counts_changes_between_rounds() -> None:
    fleet = Fleet()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    healthy = PhoneNumberTableRow.model_validate(ROW)
    blocked = PhoneNumberTableRow.model_validate(dict(ROW, warmup={"state": "Blocked"}))
    first = fleet.record_round({"+12025550101": healthy, "+12025550102": blocked}, now)
    assert (first.worse, first.better) == (0, 0)
    second = fleet.record_round({"+12025550101": blocked, "+12025550102": healthy}, now)
    assert second.worse_numbers == ("+12025550101",)
    assert second.better_numbers == ("+12025550102",)


def test_not_a_page_is_none() -> None:
    assert parse_page([]) is None
    assert parse_page({"items": "nope"}) is None
    assert parse_page({"items": []}) == ListingPage()


def test_reader_follows_tokens_and_honours_the_reported_page_size() -> None:
    reader = ListingReader(search="Sales", include_count=True)
    first = reader.next_query()
    assert first is not None
    assert first.body() == {"pageSize": MAX_PAGE_SIZE, "includeCount": True, "search": "Sales"}
    reader.add_page(_page([ROW], "t1", pageSize=50, totalCount=2))
    second = reader.next_query()
    assert second is not None
    assert second.body() == {"pageSize": 50, "continuationToken": "t1", "search": "Sales"}
    reader.add_page(_page([dict(ROW, number="+12025550102")], None))
    assert reader.done and reader.stop_reason is None and reader.next_query() is None
    assert list(reader.rows) == ["+12025550101", "+12025550102"]
    assert reader.total_count == 2 and reader.pages == 2


def test_reader_skips_duplicates_and_malformed_numbers() -> None:
    reader = ListingReader()
    reader.add_page(
        _page([ROW, dict(ROW, name="again"), dict(ROW, number="555-0101"), {"number": None}])
    )
    assert list(reader.rows) == ["+12025550101"]
    assert reader.rows["+12025550101"].name == "Sales line 1"  # the first row wins
    reasons = [skip.reason for skip in reader.skipped]
    assert reasons[0] == "+12025550101 was listed twice"
    assert "555-0101 is not an E.164 number" in reasons[1]
    assert len(reasons) == 3


def test_a_repeated_token_stops_the_loop_and_says_why() -> None:
    reader = ListingReader()
    reader.add_page(_page([ROW], "same"))
    reader.add_page(_page([ROW], "same"))
    assert reader.done and reader.next_query() is None
    assert reader.stop_reason is not None and "a second time" in reader.stop_reason


def test_pages_are_capped() -> None:
    reader = ListingReader(max_pages=3)
    for index in range(10):
        if reader.done:
            break
        reader.add_page(_page([], f"t{index}"))
    assert reader.pages == 3
    assert reader.stop_reason is not None and "3 pages" in reader.stop_reason


def test_an_absurd_page_size_is_not_followed() -> None:
    reader = ListingReader()
    reader.add_page(_page([], "t1", pageSize=100_000))
    query = reader.next_query()
    assert query is not None and query.page_size == MAX_PAGE_SIZE


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@given(JSON)
def test_any_json_row_is_read_without_error(value: object) -> None:
    page = parse_page({"items": [value, {"number": value, "warmup": value}]})
    assert page is not None
    reader = ListingReader()
    reader.add_page(page)
    for row in reader.rows.values():
        row.as_status()
