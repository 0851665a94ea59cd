"""What the sidebar shows of the watchlist: row states, sort orders, filters, counts.

Pure functions and values, no Textual: the sidebar widget calls them, and the
tests call them directly.  Sorting and filtering only decide what is *shown*;
the saved watchlist (the user's own order) is never reordered by them.

Filter syntax (typed after ``f``), words separated by spaces:

- plain words match the number (digits are enough: ``555 01``) or the label,
  case-insensitively; every word must match;
- ``!crit``, ``!warn``, ``!unkn`` and ``!ok`` keep numbers in that condition
  (several of them mean "any of these"); ``!bad`` is ``!crit !warn``;
  ``!alert`` keeps numbers with an alert not yet looked at.  Any start of
  these words works (``!c``, ``!w``), so the list narrows as you type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from leadping_tui.api.condition import Condition


@dataclass(frozen=True)
class RowState:
    """What the sidebar shows about one number besides the number and its label."""

    condition: Condition = Condition.UNKNOWN
    score: float | None = None
    loading: bool = False
    stale: bool = False
    alert: bool = False
    """An alert the user has not seen yet."""
    error: str | None = None
    """Why the data is not fresh, in a word or two (``"offline"``), shown instead of ``word``."""
    word: str = ""
    """The state in words: the API's state or the condition (``"Needs attention"``)."""
    progress: float | None = None
    """Warmup progress in percent, for sorting (not drawn in the row)."""
    mark: str | None = None
    """``"new"`` or ``"gone"`` (following the organisation), shown in place of the score."""


#: A number no answer has been read for yet (none kept, none failed).
NOT_READ_YET = "not read yet"
BLANK_STATE = RowState(word=NOT_READ_YET)
"""A row nothing is known about yet, as ``view_state.row_state`` draws it: the sidebar
builds every row so, and a row left so needs no repaint (1,000 at start-up)."""


class SortOrder(StrEnum):
    """The sidebar's sort orders, in the order ``o`` cycles through them."""

    WORST = "worst"
    SCORE = "score"
    PROGRESS = "progress"
    LABEL = "label"
    USER = "user"

    @property
    def words(self) -> str:
        """A few words for the sidebar title."""
        return _ORDER_TITLES[self]

    def next(self) -> SortOrder:
        """The order ``o`` moves to from this one."""
        cycle = list(SortOrder)
        return cycle[(cycle.index(self) + 1) % len(cycle)]


_ORDER_TITLES = {
    SortOrder.WORST: "worst first",
    SortOrder.SCORE: "by score",
    SortOrder.PROGRESS: "by progress",
    SortOrder.LABEL: "by label",
    SortOrder.USER: "your order",
}

# Worst first: critical, warning, unknown, ok.
_WORST_RANK = {Condition.CRITICAL: 0, Condition.WARNING: 1, Condition.UNKNOWN: 2, Condition.OK: 3}
_NONE_LAST = float("inf")


def _low_first(value: float | None) -> float:
    return _NONE_LAST if value is None else value


def sort_numbers(
    entries: Sequence[tuple[str, str]], states: Mapping[str, RowState], order: SortOrder
) -> list[str]:
    """The numbers of ``entries`` (number, label) in ``order``; ties keep the user's order.

    Worst first ranks critical, warning, unknown, ok, lowest score first
    within each; score and progress put the lowest first; numbers with no
    score or progress yet go last.  Label sorts A to Z, ignoring case, with
    unlabelled numbers last.
    """
    numbers = [number for number, _ in entries]
    if order is SortOrder.USER:
        return numbers
    if order is SortOrder.LABEL:
        labels = dict(entries)
        return sorted(numbers, key=lambda n: (not labels[n], labels[n].casefold()))

    def state(number: str) -> RowState:
        return states.get(number, BLANK_STATE)

    if order is SortOrder.WORST:
        return sorted(
            numbers,
            key=lambda n: (_WORST_RANK[state(n).condition], _low_first(state(n).score)),
        )
    if order is SortOrder.SCORE:
        return sorted(numbers, key=lambda n: _low_first(state(n).score))
    return sorted(numbers, key=lambda n: _low_first(state(n).progress))


# -- filtering -------------------------------------------------------------

CONDITION_WORDS: dict[str, frozenset[Condition]] = {
    "critical": frozenset({Condition.CRITICAL}),
    "warning": frozenset({Condition.WARNING}),
    "unknown": frozenset({Condition.UNKNOWN}),
    "ok": frozenset({Condition.OK}),
    "bad": frozenset({Condition.CRITICAL, Condition.WARNING}),
}
"""``!`` words; any start of one works (``!c``, ``!crit``), their first letters differ."""
ALERT_WORD = "alert"
FILTER_HELP = "!crit !warn !unkn !ok !bad !alert"


@dataclass(frozen=True)
class WatchlistFilter:
    """A parsed filter; the empty filter keeps every number."""

    text: str = ""
    words: tuple[str, ...] = ()
    conditions: frozenset[Condition] = frozenset()
    alert: bool = False
    unknown_terms: tuple[str, ...] = ()
    """``!`` words that name no condition: such a filter matches nothing."""

    @property
    def active(self) -> bool:
        return bool(self.text.strip())

    @property
    def by_state(self) -> bool:
        """Whether a row's state can change whether it matches."""
        return bool(self.conditions or self.alert)


def parse_filter(text: str) -> WatchlistFilter:
    """Read what the user typed after ``f`` (see the module docstring)."""
    words: list[str] = []
    conditions: set[Condition] = set()
    unknown: list[str] = []
    alert = False
    for term in text.split():
        if not term.startswith("!"):
            words.append(term.casefold())
            continue
        name = term[1:].casefold()
        if not name:
            continue  # a lone "!" while the user is still typing
        if ALERT_WORD.startswith(name):
            alert = True
            continue
        named = [word for word in CONDITION_WORDS if word.startswith(name)]
        if named:
            conditions |= CONDITION_WORDS[named[0]]
        else:
            unknown.append(term)
    return WatchlistFilter(text, tuple(words), frozenset(conditions), alert, tuple(unknown))


def matches(flt: WatchlistFilter, number: str, label: str, state: RowState) -> bool:
    """Whether one number passes the filter."""
    if flt.unknown_terms:
        return False
    if flt.conditions and state.condition not in flt.conditions:
        return False
    if flt.alert and not state.alert:
        return False
    folded = label.casefold()
    return all(word in folded or _in_number(word, number) for word in flt.words)


_PHONE_PUNCTUATION = frozenset("+()-. ")


def _in_number(word: str, number: str) -> bool:
    # "555-01" or "(202)555" match the number by their digits.
    if word in number:
        return True
    digits = "".join(ch for ch in word if ch.isdigit())
    return (
        bool(digits)
        and all(ch.isdigit() or ch in _PHONE_PUNCTUATION for ch in word)
        and (digits in number)
    )


def visible_numbers(
    entries: Sequence[tuple[str, str]],
    states: Mapping[str, RowState],
    order: SortOrder,
    flt: WatchlistFilter,
) -> list[str]:
    """The numbers the sidebar shows, filtered, in ``order``."""
    if flt.active:
        entries = [
            (number, label)
            for number, label in entries
            if matches(flt, number, label, states.get(number, BLANK_STATE))
        ]
    return sort_numbers(entries, states, order)


def no_match_hint(flt: WatchlistFilter) -> str:
    """The line shown when nothing passes the filter."""
    if flt.unknown_terms:
        return f"Unknown {' '.join(flt.unknown_terms)}: use {FILTER_HELP}"
    return "No numbers match — Esc clears the filter"


# -- counts ------------------------------------------------------------------

SUMMARY_ORDER = (Condition.CRITICAL, Condition.WARNING, Condition.UNKNOWN, Condition.OK)


def condition_counts(numbers: Iterable[str], states: Mapping[str, RowState]) -> Counter[Condition]:
    """How many of ``numbers`` are in each condition (no state yet counts as unknown)."""
    return Counter(states.get(number, BLANK_STATE).condition for number in numbers)


def summary_text(counts: Mapping[Condition, int]) -> str:
    """``✗ 3  ! 41  ? 144  ✓ 812``: the count per condition, worst first."""
    return "  ".join(f"{c.symbol} {counts.get(c, 0)}" for c in SUMMARY_ORDER)


def sidebar_title(total: int, shown: int, order: SortOrder, filtered: bool) -> str:
    """``Watchlist (1000) · worst first``, or ``Watchlist (12 of 1000)`` while filtered."""
    count = f"{shown} of {total}" if filtered else f"{total}"
    title = f"Watchlist ({count})"
    return title if order is SortOrder.USER else f"{title} · {order.words}"
