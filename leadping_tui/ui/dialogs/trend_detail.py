"""Every field of one traffic-trend bucket, including fields this app does not know."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from textual.binding import BindingType

from leadping_tui.api.models import TrendBucket
from leadping_tui.ui.dialogs import row_detail as rd
from leadping_tui.ui.widgets.gauges import TREND_COUNTS, count


def bucket_lines(bucket: TrendBucket, tz: tzinfo, now: datetime) -> list[rd.DetailLine]:
    """The bucket's label, its start and end, and every count, exactly."""
    return [
        rd.DetailLine("Label", rd.text(bucket.label)),
        rd.DetailLine("Start", rd.when(bucket.start_at, tz, now)),
        rd.DetailLine("End", rd.when(bucket.end_at, tz, now)),
        *(rd.DetailLine(title, count(getattr(bucket, field))) for title, field in TREND_COUNTS),
    ]


class TrendBucketDetailScreen(rd.RowDetail):
    """Every field of one bucket of ``trafficMetrics.trend``."""

    BINDINGS: ClassVar[list[BindingType]] = rd.detail_bindings("trend_detail", "Copy bucket")

    def __init__(self, bucket: TrendBucket, *, tz: tzinfo, now: datetime) -> None:
        super().__init__(
            "Traffic trend bucket",
            bucket_lines(bucket, tz, now),
            what="bucket",
            as_json=bucket.model_dump(mode="json", by_alias=True),
            extra=bucket.unknown_fields,
        )
        self.bucket = bucket
