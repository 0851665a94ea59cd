"""Every field of one warmup action, including its ids and fields this app does not know.

The actions table has no room for ``id`` and ``conversationId``; they are
what a support ticket needs, so Enter on a row shows them here, with the
whole body and a copy of the action as JSON.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from leadping_tui.api.models import WarmupAction
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean, clean_multiline
from leadping_tui.times.timefmt import absolute, relative
from leadping_tui.ui.widgets.gauges import LABEL, MISSING, MUTED

BODY_MAX = 5_000
BODY_LINES = 200
VALUE_MAX = 2_000
_LABEL_WIDTH = 16


def _line(label: str, value: str, style: str = "") -> Content:
    return Content.assemble((label.ljust(_LABEL_WIDTH), LABEL), " ", (value or MISSING, style))


def _text(value: str | None) -> str:
    return clean(value or "", max_len=VALUE_MAX)


def _when(value: datetime | None, tz: tzinfo, now: datetime) -> str:
    if value is None:
        return MISSING
    return (
        f"{absolute(value, tz, with_seconds=True)} ({relative(value, now)})"
        f"  UTC {value.isoformat()}"
    )


def _phone(number: str | None) -> str:
    if not number:
        return MISSING
    raw = clean(number, max_len=40)
    pretty = format_number(raw)
    return pretty if pretty == raw else f"{pretty}  ({raw})"


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return clean(value, max_len=VALUE_MAX)
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        dumped = repr(value)
    return clean(dumped, max_len=VALUE_MAX)


def action_fields(action: WarmupAction, tz: tzinfo, now: datetime) -> Content:
    """The known fields, one per line, then any unknown ones under "Other fields"."""
    lines = [
        _line("ID", _text(action.id)),
        _line("Conversation", _text(action.conversation_id)),
        _line("Scheduled", _when(action.scheduled_at, tz, now)),
        _line("Executed", _when(action.executed_at, tz, now)),
        _line("From", _phone(action.from_phone_number)),
        _line("To", _phone(action.to_phone_number)),
        _line("Failure", _text(action.failure_reason), "bold $text-error"),
    ]
    extra = action.unknown_fields
    if extra:
        lines.append(Content.styled("Other fields", "bold underline"))
        for key in sorted(extra, key=str):
            lines.append(_line(clean(str(key), max_len=_LABEL_WIDTH * 4), _value_text(extra[key])))
    return Content("\n").join(lines)


class ActionDetailScreen(ModalScreen[None]):
    """A modal with every field of one warmup action; escape, q or enter closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="action_detail.close"),
        Binding("q", "close", "Close", show=False, id="action_detail.close_q"),
        Binding("enter", "close", "Close", show=False, id="action_detail.close_enter"),
        Binding("c", "copy", "Copy action", id="action_detail.copy"),
    ]

    def __init__(self, action: WarmupAction, *, tz: tzinfo, now: datetime) -> None:
        super().__init__()
        self.action = action
        self._tz = tz
        self._now = now

    def compose(self) -> ComposeResult:
        body = self.action.body
        with Vertical(id="action-detail") as box:
            box.border_title = "Warmup action"
            box.border_subtitle = "c: copy as JSON · esc · q · enter: close"
            with VerticalScroll(id="action-detail-body"):
                yield Static(
                    action_fields(self.action, self._tz, self._now),
                    id="action-detail-fields",
                    markup=False,
                )
                yield Static(Content.styled("Body", "bold underline"), markup=False)
                yield Static(
                    Content(clean_multiline(body, max_lines=BODY_LINES, max_len_per_line=BODY_MAX))
                    if body
                    else Content.styled("(no body)", MUTED),
                    id="action-detail-text",
                    markup=False,
                )

    def on_mount(self) -> None:
        self.query_one("#action-detail-body").focus()

    def action_copy(self) -> None:
        """Copy the action as JSON (OSC 52, through tmux when inside it)."""
        text = json.dumps(self.action.model_dump(mode="json", by_alias=True), indent=2)
        self.app.copy_to_clipboard(text)
        self.notify("Copied the action as JSON.")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
