"""Windows and date ranges: typos are caught before sending, limits are the API's to judge."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from leadping_tui.api.errors import InvalidQuery
from leadping_tui.api.query import StatusQuery, build_query, parse_date

TODAY = date(2026, 11, 27)


def test_params_for_window_and_range() -> None:
    assert StatusQuery.window(7).params() == {"windowDays": "7"}
    assert StatusQuery.range(date(2026, 11, 1), date(2026, 11, 7)).params() == {
        "startDate": "2026-11-01",
        "endDate": "2026-11-07",
    }
    assert StatusQuery().params() == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "not a real calendar date"),
        ("30/11/2026", "not in the form YYYY-MM-DD"),
        ("", "empty"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        parse_date(text)


def test_reversed_range_is_refused() -> None:
    with pytest.raises(InvalidQuery, match="before the start date"):
        build_query(start="2026-11-10", end="2026-11-01")


@pytest.mark.parametrize("days", [0, -3])
def test_a_window_of_no_days_is_a_typo(days: int) -> None:
    with pytest.raises(InvalidQuery, match="at least 1 day"):
        StatusQuery.window(days)
    with pytest.raises(InvalidQuery, match="at least 1 day"):
        build_query(window_days=days)


@pytest.mark.parametrize(
    ("kwargs", "params"),
    [
        # Long windows, long ranges, old dates and future dates are sent as asked:
        # the API says whether it serves them (and the app shows its 400 if not).
        ({"window_days": 10_000}, {"windowDays": "10000"}),
        ({"window_days": "400"}, {"windowDays": "400"}),
        ({"start": "2024-01-01", "end": "2026-01-01"}, {"startDate": "2024-01-01"}),
        ({"start": "2009-01-01", "end": "2009-01-31"}, {"startDate": "2009-01-01"}),
        ({"start": "2027-01-01", "end": "2027-01-02"}, {"endDate": "2027-01-02"}),
        ({"start": "2026-11-20", "end": "2026-12-31"}, {"endDate": "2026-12-31"}),
    ],
)
def test_limits_are_left_to_the_api(kwargs: dict[str, Any], params: dict[str, str]) -> None:
    sent = build_query(**kwargs).params()
    assert params.items() <= sent.items()


def test_half_ranges_and_mixed_queries_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="both"):
        build_query(start="2026-11-01")
    with pytest.raises(InvalidQuery, match="not both"):
        build_query(window_days=7, start="2026-11-01", end="2026-11-02")
    with pytest.raises(InvalidQuery, match="not a whole number"):
        build_query(window_days="7d")


def test_the_end_date_is_included() -> None:
    assert build_query(start="2026-11-01", end="2026-11-07").length_days == 7
    assert build_query(start="2026-11-01", end="2026-11-01").length_days == 1


def test_window_presets_cycle() -> None:
    query = StatusQuery.window(7)
    assert query.step_preset(1) == StatusQuery.window(14)
    assert query.step_preset(-1) == StatusQuery.window(1)
    assert StatusQuery.window(90).step_preset(1) == StatusQuery.window(1)
    assert StatusQuery.window(1).step_preset(-1) == StatusQuery.window(90)


def test_shift_moves_by_own_length_and_not_past_today() -> None:
    back = StatusQuery.window(7).shifted(-1, today=TODAY)
    assert back == StatusQuery.range(date(2026, 11, 14), date(2026, 11, 20))
    assert back.shifted(1, today=TODAY) == StatusQuery.range(date(2026, 11, 21), date(2026, 11, 27))
    # Forward from the present stays at the present.
    assert StatusQuery.window(7).shifted(1, today=TODAY).end == TODAY


def test_describe_is_short_and_clear() -> None:
    assert StatusQuery.window(7).describe() == "last 7 d"
    assert StatusQuery.range(date(2026, 11, 1), date(2026, 11, 7)).describe() == (
        "2026-11-01 → 2026-11-07"
    )
