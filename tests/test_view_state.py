"""The status bar's and sidebar rows' words, decided from plain facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadping_tui.api.condition import assess
from leadping_tui.api.errors import NotFoundError, RateLimitedError, ServerError
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery
from leadping_tui.api.result import FetchResult
from leadping_tui.refresh.scheduler import NumberState
from leadping_tui.ui.view_state import EMPTY_HINT, bar_state, row_state

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
NUMBER = "+12025550101"


def result(warmup: dict[str, object], age: float = 12) -> FetchResult:
    return FetchResult(
        number=NUMBER,
        query=StatusQuery.window(7),
        status=PhoneNumberStatus.model_validate({"smsWarmup": warmup}),
        raw={},
        received_at=NOW - timedelta(seconds=age),
        elapsed=0.1,
        size=1,
    )


def state(*, in_flight: bool = False, retry_at: float | None = None) -> NumberState:
    return NumberState(
        number=NUMBER,
        in_flight=in_flight,
        last_attempt_at=100.0,
        last_success_at=100.0,
        failures=1 if retry_at else 0,
        retry_at=retry_at,
        rate_limited=False,
        next_due_at=130.0,
    )


def bar(**overrides: object) -> object:
    facts: dict[str, object] = dict(
        label="Sales",
        result=result({"healthScore": 90, "status": "In Progress"}),
        error=None,
        state=state(),
        paused=False,
        stale=False,
        window="last 7 d",
        now=NOW,
        monotonic_now=110.0,
        tz=UTC,
    )
    facts.update(overrides)
    return bar_state(NUMBER, **facts)  # type: ignore[arg-type]


def test_live_loading_paused_and_stale() -> None:
    live = bar()
    assert live.mode == "live" and live.updated == "updated just now"  # type: ignore[attr-defined]
    assert live.number == "+1 202-555-0101" and live.zone == "UTC"  # type: ignore[attr-defined]
    assert bar(state=state(in_flight=True)).mode == "loading"  # type: ignore[attr-defined]
    paused = bar(paused=True)
    # The pause is said in the mode field, not on a message line of its own.
    assert paused.mode == "paused" and paused.paused  # type: ignore[attr-defined]
    assert paused.message == ""  # type: ignore[attr-defined]
    loading = bar(paused=True, state=state(in_flight=True))
    assert loading.mode == "loading" and loading.paused  # type: ignore[attr-defined]
    assert bar(stale=True).mode == "stale"  # type: ignore[attr-defined]


def test_the_mode_field_says_paused_even_while_a_fetch_is_out() -> None:
    from leadping_tui.ui.widgets.status_bar import mode_text

    assert mode_text("live", False) == "● LIVE"
    assert "PAUSED" in mode_text("paused", True) and "p resumes" in mode_text("paused", True)
    # p pressed while a fetch is out: the bar says so at once, not when it ends.
    assert "LOADING" in mode_text("loading", True) and "PAUSED" in mode_text("loading", True)
    assert "PAUSED" not in mode_text("loading", False)


def test_an_error_keeps_the_age_and_says_when_the_next_try_is() -> None:
    error = RateLimitedError("Rate limited by the API (429).", retry_after=42)
    shown = bar(error=error, state=state(retry_at=152.0))
    assert shown.mode == "stale"  # type: ignore[attr-defined]
    assert shown.updated == "updated just now"  # type: ignore[attr-defined]
    assert "next try in 42 s" in shown.message  # type: ignore[attr-defined]


def test_the_age_reads_in_minutes_so_the_bar_is_still_between_refreshes() -> None:
    from datetime import timedelta

    assert bar(now=NOW + timedelta(seconds=40)).updated == "updated just now"  # type: ignore[attr-defined]
    later = bar(now=NOW + timedelta(minutes=3))
    assert later.updated == "updated 3 min ago"  # type: ignore[attr-defined]


def test_no_number_shows_the_empty_hint() -> None:
    empty = bar_state(
        None,
        label="",
        result=None,
        error=None,
        state=None,
        paused=False,
        stale=False,
        window="last 7 d",
        now=NOW,
        monotonic_now=0.0,
        tz=UTC,
    )
    assert empty.mode == "" and empty.message == EMPTY_HINT


def test_rows_show_condition_score_and_short_error_codes() -> None:
    good = result({"healthScore": 91, "status": "In Progress", "healthStatus": "Healthy"})
    row = row_state(good, assess(good.status), None, state(), stale=False, alert=True)
    assert (row.condition.value, row.score, row.alert, row.error) == ("ok", 91, True, None)
    not_started = result({"healthScore": 0, "status": "Not Started"})
    assert row_state(not_started, None, None, None, stale=False, alert=False).score is None
    lost = row_state(good, None, NotFoundError("gone"), None, stale=False, alert=False)
    assert lost.error == "unknown number" and lost.stale
    broken = ServerError("boom", status=503)
    assert row_state(None, None, broken, None, stale=False, alert=False).error == "stale"


def test_error_marks_are_words() -> None:
    from leadping_tui.api.errors import AuthenticationError, NetworkError

    words = {
        ServerError("boom", status=500): "stale",
        NetworkError("down"): "offline",
        AuthenticationError("no", status=401): "auth",
        NotFoundError("gone"): "unknown number",
    }
    for error, word in words.items():
        assert row_state(None, None, error, None, stale=False, alert=False).error == word


def test_rows_name_the_state_in_words() -> None:
    def word(payload: dict[str, object]) -> str:
        shown = result(payload)
        return row_state(shown, assess(shown.status), None, None, stale=False, alert=False).word

    paused = {"status": "Paused", "pauseReason": "Opt-outs rising", "healthScore": 80}
    attention = {"status": "In Progress", "healthStatus": "NeedsAttention", "healthScore": 55}
    assert word(paused) == "Paused"
    assert word(attention) == "Needs attention"
    assert word({"status": "Blocked", "blockReason": "Carrier", "healthScore": 10}) == "Blocked"
    assert word({"status": "Ready", "healthStatus": "Healthy", "healthScore": 96}) == "Ready"
    assert word({"status": "In Progress", "healthStatus": "Healthy"}) == "In progress"
    assert word({}) == "Unknown"  # an answer that names no state
    # No answer read yet: said so, not the status bar's UNKN badge.
    assert row_state(None, None, None, None, stale=False, alert=False).word == "not read yet"


def test_the_sidebars_blank_row_is_how_a_number_with_nothing_read_is_drawn() -> None:
    """The sidebar builds every row blank and the start-up sweep repaints only rows that
    differ from it: if the two drifted apart, rows would read wrong until their status."""
    from leadping_tui.ui.watchlist_view import BLANK_STATE, NOT_READ_YET

    nothing = row_state(None, None, None, None, stale=False, alert=False)
    assert nothing == BLANK_STATE
    assert nothing.word == NOT_READ_YET
