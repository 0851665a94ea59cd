"""The Fleet view's rows, sorting and movement: the pure functions, called directly."""

from __future__ import annotations

from leadping_tui.api.condition import Condition
from leadping_tui.api.listing import PhoneNumberTableRow
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.ui.fleet_table import (
    BETTER,
    WORSE,
    Column,
    ConditionTrail,
    FleetViewRow,
    build_snapshot,
    cells,
    direction,
    fleet_row,
    movement_counts,
    movement_text,
    sort_rows,
)

OK, WARN, CRIT, UNKN = Condition.OK, Condition.WARNING, Condition.CRITICAL, Condition.UNKNOWN


def status(state: str, health: str, score: int, progress: int) -> PhoneNumberStatus:
    return PhoneNumberStatus.model_validate(
        {
            "smsWarmup": {
                "status": state,
                "healthStatus": health,
                "healthScore": score,
                "progressPercent": progress,
            }
        }
    )


LISTED = PhoneNumberTableRow.model_validate(
    {
        "number": "+12025550101",
        "smsReady": True,
        "voiceReady": False,
        "tenDlcCampaignStatus": "Approved",
        "warmup": {"state": "InProgress", "healthScore": 88},
    }
)

ROWS = [
    FleetViewRow("+12025550101", "b", OK, "InProgress", "Healthy", 88, 43, True, False, "Approved"),
    FleetViewRow("+12025550102", "a", WARN, "InProgress", "NeedsAttention", 55, 60, False, True),
    FleetViewRow("+12025550103", "", UNKN, None, None, None, None, None, None, None),
    FleetViewRow("+12025550104", "C", CRIT, "Blocked", "Blocked", 18, 12, True, True, "Rejected"),
    FleetViewRow("+12025550105", "d", OK, "Ready", "Healthy", 97, 100, moved=BETTER),
]


def order(rows: list[FleetViewRow]) -> list[str]:
    return [row.number[-2:] for row in rows]


def test_a_row_takes_readiness_from_the_status_and_readiness_flags_from_the_listing() -> None:
    row = fleet_row("+12025550101", "Sales", OK, status("InProgress", "Healthy", 88, 43), LISTED)
    assert (row.state, row.health, row.score, row.progress) == ("InProgress", "Healthy", 88, 43)
    assert (row.sms_ready, row.voice_ready, row.ten_dlc) == (True, False, "Approved")
    # Without a listing row, the listing-only facts are unknown, not "no".
    bare = fleet_row("+12025550101", "", OK, status("InProgress", "Healthy", 88, 43), None)
    assert (bare.sms_ready, bare.voice_ready, bare.ten_dlc) == (None, None, None)
    assert "—" in cells(bare)[7]


def test_a_score_that_is_no_verdict_yet_is_not_shown() -> None:
    row = fleet_row("+12025550106", "", UNKN, status("NotStarted", "NotEvaluated", 0, 0), None)
    assert row.score is None and row.progress == 0


def test_cells_are_plain_text_with_marks_for_condition_readiness_and_movement() -> None:
    first = cells(ROWS[0])
    assert first[0] == "+1 202-555-0101"
    assert first[2] == "✓ OK"
    assert first[5:10] == ("88", "43%", "✓", "✗", "Approved")
    assert cells(ROWS[2])[3:10] == ("—",) * 7
    assert cells(ROWS[4])[-1] == "▲ better"
    assert len(first) == len(Column)


def test_sorting_by_each_column_puts_missing_values_last_both_ways() -> None:
    assert order(sort_rows(ROWS, Column.CONDITION)) == ["04", "02", "03", "01", "05"]
    assert order(sort_rows(ROWS, Column.SCORE)) == ["04", "02", "01", "05", "03"]
    assert order(sort_rows(ROWS, Column.SCORE, descending=True)) == ["05", "01", "02", "04", "03"]
    assert order(sort_rows(ROWS, Column.PROGRESS)) == ["04", "01", "02", "05", "03"]
    assert order(sort_rows(ROWS, Column.LABEL)) == ["02", "01", "04", "05", "03"]
    assert order(sort_rows(ROWS, Column.STATE)) == ["04", "01", "02", "05", "03"]
    # Not ready first; unknown last.
    assert order(sort_rows(ROWS, Column.SMS)) == ["02", "01", "04", "03", "05"]
    assert order(sort_rows(ROWS, Column.TEN_DLC)) == ["01", "04", "02", "03", "05"]
    assert order(sort_rows(ROWS, Column.MOVED)) == ["05", "01", "02", "03", "04"]
    assert order(sort_rows(ROWS, Column.NUMBER, descending=True)) == ["05", "04", "03", "02", "01"]


def test_every_column_sorts_without_error() -> None:
    for column in Column:
        for descending in (False, True):
            assert sorted(order(sort_rows(ROWS, column, descending=descending))) == order(ROWS)


def test_direction_ignores_unknown_and_compares_ok_warning_critical() -> None:
    assert direction(OK, WARN) == WORSE
    assert direction(WARN, CRIT) == WORSE
    assert direction(CRIT, OK) == BETTER
    assert direction(OK, OK) is None
    assert direction(None, CRIT) is None
    assert direction(UNKN, CRIT) is None
    assert direction(CRIT, UNKN) is None


def test_the_trail_says_how_each_number_moved_since_its_previous_status() -> None:
    trail = ConditionTrail()
    trail.record("a", OK)
    trail.record("b", CRIT)
    assert not trail.compared and trail.moves == {}
    trail.record("a", WARN)
    trail.record("b", OK)
    assert trail.compared
    assert trail.moves == {"a": WORSE, "b": BETTER}
    assert movement_counts(trail.moves, ["a", "b"]) == (1, 1)
    # The next status with no change: no movement since the previous round.
    trail.record("a", WARN)
    assert movement_counts(trail.moves, ["a", "b"]) == (0, 1)
    trail.forget(["a"])
    assert movement_counts(trail.moves, ["a", "b"]) == (0, 0)
    assert "b" not in trail.latest


def test_movement_text() -> None:
    assert "second round" in movement_text(0, 0, False)
    assert movement_text(0, 0, True) == "Since the previous round: no number changed condition"
    assert movement_text(3, 5, True) == "Since the previous round: ▼ 3 worse  ▲ 5 better"


def test_a_snapshot_lists_every_watched_number_in_the_users_order_with_counts() -> None:
    labels = {"+12025550101": "Sales", "+12025550104": "Billing", "+12025550109": "New"}
    snapshot = build_snapshot(
        labels,
        {"+12025550101": OK, "+12025550104": CRIT},
        {"+12025550101": status("InProgress", "Healthy", 88, 43)},
        {"+12025550101": LISTED},
        {"+12025550104": WORSE},
        rounds_known=True,
    )
    assert [row.number for row in snapshot.rows] == list(labels)
    assert snapshot.rows[2].condition is UNKN
    assert snapshot.summary == "3 numbers  ✗ 1  ! 0  ? 1  ✓ 1"
    assert (snapshot.worse, snapshot.better) == (1, 0)
    assert snapshot.movement == "Since the previous round: ▼ 1 worse  ▲ 0 better"
