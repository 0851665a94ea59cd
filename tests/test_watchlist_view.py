"""Sorting, filtering and counting the watchlist: the pure functions, called directly."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from leadping_tui.api.condition import Condition
from leadping_tui.ui.watchlist_view import (
    RowState,
    SortOrder,
    WatchlistFilter,
    condition_counts,
    matches,
    no_match_hint,
    parse_filter,
    sidebar_title,
    sort_numbers,
    summary_text,
    visible_numbers,
)

OK, WARN, CRIT, UNKN = Condition.OK, Condition.WARNING, Condition.CRITICAL, Condition.UNKNOWN

ENTRIES = [
    ("+12025550101", "Sales east"),
    ("+12025550102", "support"),
    ("+12025550103", ""),
    ("+12025550104", "Billing"),
    ("+12025550105", "Sales west"),
    ("+12025550106", "ops"),
]
STATES = {
    "+12025550101": RowState(OK, 88, progress=43),
    "+12025550102": RowState(WARN, 55, progress=60),
    "+12025550103": RowState(WARN, 71, progress=None),
    "+12025550104": RowState(CRIT, 18, progress=12, alert=True),
    "+12025550105": RowState(OK, 97, progress=100),
    # +12025550106 has no state yet: unknown, no score.
}


def short(numbers: list[str]) -> list[str]:
    return [number[-2:] for number in numbers]


def test_the_cycle_visits_every_order_and_comes_back() -> None:
    order = SortOrder.USER
    seen = []
    for _ in SortOrder:
        order = order.next()
        seen.append(order)
    assert seen == [
        SortOrder.WORST,
        SortOrder.SCORE,
        SortOrder.PROGRESS,
        SortOrder.LABEL,
        SortOrder.USER,
    ]


def test_worst_first_is_critical_warning_unknown_ok_lowest_score_first() -> None:
    assert short(sort_numbers(ENTRIES, STATES, SortOrder.WORST)) == [
        "04",
        "02",
        "03",
        "06",
        "01",
        "05",
    ]


def test_score_and_progress_put_the_lowest_first_and_missing_values_last() -> None:
    assert short(sort_numbers(ENTRIES, STATES, SortOrder.SCORE)) == [
        "04",
        "02",
        "03",
        "01",
        "05",
        "06",
    ]
    assert short(sort_numbers(ENTRIES, STATES, SortOrder.PROGRESS)) == [
        "04",
        "01",
        "02",
        "05",
        "03",
        "06",
    ]


def test_label_sorts_a_to_z_ignoring_case_with_unlabelled_numbers_last() -> None:
    assert short(sort_numbers(ENTRIES, STATES, SortOrder.LABEL)) == [
        "04",
        "06",
        "01",
        "05",
        "02",
        "03",
    ]


def test_user_order_is_the_watchlist_order() -> None:
    assert short(sort_numbers(ENTRIES, STATES, SortOrder.USER)) == [e[0][-2:] for e in ENTRIES]


@given(
    st.lists(
        st.tuples(st.sampled_from(list(Condition)), st.none() | st.integers(0, 100)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(list(SortOrder)),
)
def test_sorting_is_a_permutation_and_ties_keep_the_user_order(
    rows: list[tuple[Condition, int | None]], order: SortOrder
) -> None:
    entries = [(f"+1202555{i:04d}", f"L{i % 3}") for i in range(len(rows))]
    states = {
        number: RowState(condition, score, progress=score)
        for (number, _), (condition, score) in zip(entries, rows, strict=True)
    }
    result = sort_numbers(entries, states, order)
    assert sorted(result) == sorted(n for n, _ in entries)
    if order is SortOrder.WORST:
        ranks = [[CRIT, WARN, UNKN, OK].index(states[n].condition) for n in result]
        assert ranks == sorted(ranks)
    # Equal keys stay in the user's order (the sort is stable).
    position = {n: i for i, (n, _) in enumerate(entries)}
    for a, b in itertools.pairwise(result):
        if states[a] == states[b] and dict(entries)[a] == dict(entries)[b]:
            assert position[a] < position[b]


def test_sorting_never_reorders_the_entries_it_is_given() -> None:
    entries = list(ENTRIES)
    sort_numbers(entries, STATES, SortOrder.WORST)
    assert entries == ENTRIES


# -- filters ---------------------------------------------------------------


def shown(text: str, order: SortOrder = SortOrder.USER) -> list[str]:
    return short(visible_numbers(ENTRIES, STATES, order, parse_filter(text)))


def test_text_matches_the_label_ignoring_case_and_every_word_must_match() -> None:
    assert shown("sales") == ["01", "05"]
    assert shown("SALES west") == ["05"]
    assert shown("sales nowhere") == []


def test_text_matches_the_number_by_its_digits_in_any_common_spelling() -> None:
    assert shown("0104") == ["04"]
    assert shown("555-0103") == ["03"]
    assert shown("(202) 555-0106") == ["06"]
    assert shown("+1202555010") == ["01", "02", "03", "04", "05", "06"]
    # Letters mixed with digits are label text, not a number.
    assert shown("a0104") == []


def test_condition_words_keep_numbers_in_that_condition() -> None:
    assert shown("!crit") == ["04"]
    assert shown("!warn") == ["02", "03"]
    assert shown("!unkn") == ["06"]
    assert shown("!ok") == ["01", "05"]
    # Several condition words mean any of them; !bad is crit or warn.
    assert shown("!crit !ok") == ["01", "04", "05"]
    assert shown("!bad", SortOrder.WORST) == ["04", "02", "03"]
    assert shown("!alert") == ["04"]


def test_any_start_of_a_condition_word_works_while_typing() -> None:
    assert parse_filter("!c").conditions == {CRIT}
    assert parse_filter("!cri").conditions == {CRIT}
    assert parse_filter("!critical").conditions == {CRIT}
    assert parse_filter("!W").conditions == {WARN}
    assert parse_filter("!u").conditions == {UNKN}
    assert parse_filter("!a").alert
    # A lone "!" (the user has not typed the word yet) filters nothing out.
    assert shown("!") == short([n for n, _ in ENTRIES])


def test_words_and_conditions_combine() -> None:
    assert shown("sales !ok") == ["01", "05"]
    assert shown("sales !bad") == []
    assert shown("555 !warn") == ["02", "03"]


def test_an_unknown_condition_matches_nothing_and_the_hint_says_what_works() -> None:
    flt = parse_filter("!nope")
    assert flt.unknown_terms == ("!nope",)
    assert shown("!nope") == []
    hint = no_match_hint(flt)
    assert "!nope" in hint and "!crit" in hint and "!warn" in hint
    assert "Esc" in no_match_hint(parse_filter("zzz"))


def test_the_empty_filter_keeps_everything_and_is_not_active() -> None:
    flt = parse_filter("   ")
    assert not flt.active and flt == WatchlistFilter("   ")
    assert matches(flt, "+12025550101", "x", RowState())
    assert shown("") == short([n for n, _ in ENTRIES])


def test_only_condition_and_alert_filters_depend_on_the_row_state() -> None:
    assert not parse_filter("sales 555").by_state
    assert parse_filter("!ok").by_state
    assert parse_filter("!alert").by_state


# -- counts and titles ---------------------------------------------------------------


def test_counts_per_condition_with_no_state_counted_as_unknown() -> None:
    counts = condition_counts([n for n, _ in ENTRIES], STATES)
    assert counts == {OK: 2, WARN: 2, CRIT: 1, UNKN: 1}
    assert summary_text(counts) == "✗ 1  ! 2  ? 1  ✓ 2"
    assert summary_text({}) == "✗ 0  ! 0  ? 0  ✓ 0"


def test_the_title_says_the_count_the_order_and_how_many_are_shown() -> None:
    assert sidebar_title(1000, 1000, SortOrder.USER, False) == "Watchlist (1000)"
    assert sidebar_title(1000, 1000, SortOrder.WORST, False) == "Watchlist (1000) · worst first"
    assert sidebar_title(1000, 12, SortOrder.SCORE, True) == "Watchlist (12 of 1000) · by score"
