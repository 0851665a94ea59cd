"""Every field of one messaging event, including fields this app does not know."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from textual.binding import BindingType

from leadping_tui.api.models import MessagingEvent
from leadping_tui.terminal.safe_text import clean
from leadping_tui.ui.dialogs import row_detail as rd
from leadping_tui.ui.event_text import OPT_OUT_MARK, direction_text
from leadping_tui.ui.widgets.gauges import MISSING


def event_lines(event: MessagingEvent, tz: tzinfo, now: datetime) -> list[rd.DetailLine]:
    """The event's known fields, one per line."""
    direction = MISSING
    if event.direction:
        direction = f"{direction_text(event.direction)}  ({clean(event.direction, max_len=40)})"
    opt_out = rd.yes_no(event.is_opt_out, f"yes · {OPT_OUT_MARK}")
    lines = [
        rd.DetailLine("ID", rd.text(event.id)),
        rd.DetailLine("Created", rd.when(event.created_at, tz, now)),
        rd.DetailLine("Label", rd.text(event.label)),
        rd.DetailLine("Type", rd.text(event.event_type)),
        rd.DetailLine("Direction", direction),
        rd.DetailLine("From", rd.phone(event.from_phone_number)),
        rd.DetailLine("To", rd.phone(event.to_phone_number)),
        rd.DetailLine("Provider status", rd.text(event.provider_status)),
        rd.DetailLine("Opt-out", opt_out, "bold $text-error" if event.is_opt_out else ""),
    ]
    if event.is_demo is not None:
        lines.append(rd.DetailLine("Demo", rd.yes_no(event.is_demo)))
    return lines


class EventDetailScreen(rd.RowDetail):
    """Every field of one event, and its whole preview."""

    BINDINGS: ClassVar[list[BindingType]] = rd.detail_bindings("event_detail", "Copy event")

    def __init__(self, event: MessagingEvent, *, tz: tzinfo, now: datetime) -> None:
        super().__init__(
            "Event",
            event_lines(event, tz, now),
            what="event",
            as_json=event.model_dump(mode="json", by_alias=True),
            extra=event.unknown_fields,
            long_text=rd.LongText("Preview", event.text_preview, "(no preview)"),
        )
        self.event = event
