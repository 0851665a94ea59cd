"""Trend lines for the health panel, drawn from the local history."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.content import Content

from leadping_tui.store.history import History, HistoryError
from leadping_tui.store.history_trends import score_change, sparkline_series
from leadping_tui.ui.widgets.gauges import sparkline

SPANS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
BUCKETS = 24


def _scaled(values: list[float | None]) -> list[int | None]:
    return [None if value is None else round(value * 10) for value in values]


def trend_content(
    history: History | None,
    number: str,
    span: str,
    now: datetime,
    *,
    width: int | None = None,
    window: str | None = None,
) -> Content:
    """Sparklines of score, delivery and opt-out rate, plus "since yesterday".

    Only snapshots of ``window`` count (rates over different windows are not
    comparable).  The sparklines narrow to fit ``width``, so each value stays
    on its sparkline's line.
    """
    if history is None:
        return Content("Trends: history is off for this session.")
    since = now - SPANS.get(span, SPANS["24h"])
    try:
        snapshots = history.series(number, since)
        change = score_change(history, number, hours=24)
    except HistoryError:
        return Content("Trends: history could not be read.")
    if window is not None:
        snapshots = [snap for snap in snapshots if snap.window == window]
    shown_span = span.replace("h", " h").replace("d", " d")
    if len(snapshots) < 2:
        return Content(f"Trends ({shown_span}): collecting history…")
    # "score    " (9 cells), the sparkline, then the value (" 100.0" at most):
    # all on one line, however narrow the panel.
    buckets = BUCKETS if width is None else max(4, min(BUCKETS, width - 9 - 6))
    lines = [Content.styled(f"Trends, last {shown_span} (x switches)", "bold")]
    for label, attr in (
        ("score   ", "score"),
        ("delivery", "delivery_rate"),
        ("opt-out ", "opt_out_rate"),
    ):
        series = sparkline_series(snapshots, attr, buckets=buckets, since=since, until=now)
        known = [value for value in series if value is not None]
        last = f" {known[-1]:.1f}" if known else " —"
        lines.append(Content.assemble(f"{label} ", sparkline(_scaled(series)), last))
    if change is not None:
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        lines.append(Content(f"since yesterday: score {sign}{abs(change):g}"))
    return Content("\n").join(lines)
