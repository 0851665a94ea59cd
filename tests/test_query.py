"""Windows and date ranges are validated before anything is sent."""

from __future__ import annotations

from datetime import date

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
        build_query(start="2026-11-10", end="2026-11-01", today=TODAY)


def test_absurd_window_and_long_range_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="1 to 365"):
        StatusQuery.window(0)
    with pytest.raises(InvalidQuery, match="1 to 365"):
        StatusQuery.window(10_000)
    with pytest.raises(InvalidQuery, match="at most 366"):
        build_query(start="2024-01-01", end="2026-01-01", today=TODAY)


def test_future_start_and_half_ranges_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="future"):
        build_query(start="2027-01-01", end="2027-01-02", today=TODAY)
    with pytest.raises(InvalidQuery, match="both"):
        build_query(start="2026-11-01", today=TODAY)


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
