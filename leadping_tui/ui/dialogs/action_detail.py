"""Every field of one warmup action, including its ids and fields this app does not know.

The actions table has no room for ``id`` and ``conversationId``; they are
what a support ticket needs, so Enter on a row shows them here, with the
whole body and a copy of the action as JSON.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from textual.binding import BindingType

from leadping_tui.api.models import WarmupAction
from leadping_tui.ui.dialogs import row_detail as rd


def action_lines(action: WarmupAction, tz: tzinfo, now: datetime) -> list[rd.DetailLine]:
    """The action's known fields, one per line."""
    return [
        rd.DetailLine("ID", rd.text(action.id)),
        rd.DetailLine("Conversation", rd.text(action.conversation_id)),
        rd.DetailLine("Scheduled", rd.when(action.scheduled_at, tz, now)),
        rd.DetailLine("Executed", rd.when(action.executed_at, tz, now)),
        rd.DetailLine("From", rd.phone(action.from_phone_number)),
        rd.DetailLine("To", rd.phone(action.to_phone_number)),
        rd.DetailLine("Failure", rd.text(action.failure_reason), "bold $text-error"),
    ]


class ActionDetailScreen(rd.RowDetail):
    """Every field of one warmup action, and its whole body."""

    BINDINGS: ClassVar[list[BindingType]] = rd.detail_bindings("action_detail", "Copy action")

    def __init__(self, action: WarmupAction, *, tz: tzinfo, now: datetime) -> None:
        super().__init__(
            "Warmup action",
            action_lines(action, tz, now),
            what="action",
            as_json=action.model_dump(mode="json", by_alias=True),
            extra=action.unknown_fields,
            long_text=rd.LongText("Body", action.body, "(no body)"),
        )
        self.action = action
