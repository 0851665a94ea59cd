"""The traffic trend, bucket by bucket: every count the API sent for each bucket.

The metrics panel draws the trend as sparklines; this table holds the exact
figures behind them, including the MMS and call counts and each bucket's
``endAt``, which the sparklines have no room for.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.screen import ModalScreen

from leadping_tui.api.models import TrendBucket
from leadping_tui.terminal.safe_text import literal
from leadping_tui.times.timefmt import absolute
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets import gauges
from leadping_tui.ui.widgets.stable_table import MAX_ROWS, StableTable, TableRow

COUNTS = gauges.TREND_COUNTS


def _stamp(when: datetime | None, tz: tzinfo) -> Text:
    return Text(absolute(when, tz)[:16] if when is not None else "—")


class TrendTable(StableTable):
    """``trafficMetrics.trend``: one row per bucket, oldest first, as the API orders them."""

    COLUMNS = (
        ("Label", 12),
        ("Start", 16),
        ("End", 16),
        *((title, max(len(title), 7)) for title, _ in COUNTS),
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Traffic trend"
        self._buckets: dict[str, TrendBucket] = {}
        self._ctx: PanelContext | None = None

    def show(self, ctx: PanelContext) -> None:
        """Draw the trend buckets in ``ctx`` (none in the seed shape: a note in the title)."""
        self.set_class(ctx.stale, "-stale")
        traffic = ctx.status.traffic_metrics if ctx.status else None
        buckets = traffic.trend if traffic else []
        kept = buckets[-MAX_ROWS:]
        if ctx.status is None:
            note = "no data yet"
        elif not buckets:
            note = "none in this response"
        elif len(kept) < len(buckets):
            note = f"newest {len(kept):,} of {len(buckets):,} buckets"
        else:
            note = f"{len(buckets):,} buckets"
        self.set_title(f"Traffic trend · {note}")
        rows = [self._row(index, bucket, ctx.tz) for index, bucket in enumerate(kept)]
        self._buckets = {row.key: bucket for row, bucket in zip(rows, kept, strict=True)}
        self._ctx = ctx
        self.set_rows(rows)

    def detail_for(self, key: str) -> ModalScreen[None] | None:
        bucket = self._buckets.get(key)
        if bucket is None or self._ctx is None:
            return None
        from leadping_tui.ui.dialogs.trend_detail import TrendBucketDetailScreen

        return TrendBucketDetailScreen(bucket, tz=self._ctx.tz, now=self._ctx.now)

    def _row(self, index: int, bucket: TrendBucket, tz: tzinfo) -> TableRow:
        cells = (
            literal(bucket.label or "", max_len=20),
            _stamp(bucket.start_at, tz),
            _stamp(bucket.end_at, tz),
            *(Text(gauges.count(getattr(bucket, field)), justify="right") for _, field in COUNTS),
        )
        start = bucket.start_at.isoformat() if bucket.start_at else ""
        return TableRow(f"{start}#{index}", cells)
