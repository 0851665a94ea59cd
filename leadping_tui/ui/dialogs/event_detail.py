"""Every field of one messaging event, including fields this app does not know."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from leadping_tui.api.models import MessagingEvent
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean, clean_multiline
from leadping_tui.times.timefmt import absolute, relative
from leadping_tui.ui.event_text import OPT_OUT_MARK, direction_text
from leadping_tui.ui.widgets.gauges import LABEL, MISSING, MUTED

#: A preview is an SMS body; this is generous for one, and stops a hostile
#: megabyte from freezing the dialog.
PREVIEW_MAX = 5_000
PREVIEW_LINES = 200
VALUE_MAX = 2_000
_LABEL_WIDTH = 16


def _yes_no(value: bool | None, yes: str = "yes") -> str:
    return MISSING if value is None else (yes if value else "no")


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return clean(value, max_len=VALUE_MAX)
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        dumped = repr(value)
    return clean(dumped, max_len=VALUE_MAX)


def _line(label: str, value: str, style: str = "") -> Content:
    return Content.assemble((label.ljust(_LABEL_WIDTH), LABEL), " ", (value or MISSING, style))


def _phone(number: str | None) -> str:
    if not number:
        return MISSING
    raw = clean(number, max_len=40)
    pretty = format_number(raw)
    return pretty if pretty == raw else f"{pretty}  ({raw})"


def event_fields(event: MessagingEvent, tz: tzinfo, now: datetime) -> Content:
    """The known fields, one per line, then any unknown ones under "Other fields"."""
    created = event.created_at
    created_text = (
        f"{absolute(created, tz, with_seconds=True)} ({relative(created, now)})"
        f"  UTC {created.isoformat()}"
        if created is not None
        else MISSING
    )
    direction = MISSING
    if event.direction:
        direction = f"{direction_text(event.direction)}  ({clean(event.direction, max_len=40)})"
    opt_out = _yes_no(event.is_opt_out, f"yes · {OPT_OUT_MARK}")
    lines = [
        _line("ID", clean(event.id or "", max_len=VALUE_MAX)),
        _line("Created", created_text),
        _line("Label", clean(event.label or "", max_len=VALUE_MAX)),
        _line("Type", clean(event.event_type or "", max_len=VALUE_MAX)),
        _line("Direction", direction),
        _line("From", _phone(event.from_phone_number)),
        _line("To", _phone(event.to_phone_number)),
        _line("Provider status", clean(event.provider_status or "", max_len=VALUE_MAX)),
        _line("Opt-out", opt_out, "bold $text-error" if event.is_opt_out else ""),
    ]
    if event.is_demo is not None:
        lines.append(_line("Demo", _yes_no(event.is_demo)))
    extra = event.unknown_fields
    if extra:
        lines.append(Content.styled("Other fields", "bold underline"))
        for key in sorted(extra, key=str):
            lines.append(_line(clean(str(key), max_len=_LABEL_WIDTH * 4), _value_text(extra[key])))
    return Content("\n").join(lines)


class EventDetailScreen(ModalScreen[None]):
    """A modal with every field of one event; escape, q or enter closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="event_detail.close"),
        Binding("q", "close", "Close", show=False, id="event_detail.close_q"),
        Binding("enter", "close", "Close", show=False, id="event_detail.close_enter"),
        Binding("c", "copy", "Copy event", id="event_detail.copy"),
    ]

    def __init__(self, event: MessagingEvent, *, tz: tzinfo, now: datetime) -> None:
        super().__init__()
        self.event = event
        self._tz = tz
        self._now = now

    def compose(self) -> ComposeResult:
        preview = self.event.text_preview
        with Vertical(id="event-detail") as box:
            box.border_title = "Event"
            box.border_subtitle = "c: copy as JSON · esc · q · enter: close"
            with VerticalScroll(id="event-detail-body"):
                yield Static(
                    event_fields(self.event, self._tz, self._now),
                    id="event-detail-fields",
                    markup=False,
                )
                yield Static(Content.styled("Preview", "bold underline"), markup=False)
                yield Static(
                    Content(
                        clean_multiline(
                            preview, max_lines=PREVIEW_LINES, max_len_per_line=PREVIEW_MAX
                        )
                    )
                    if preview
                    else Content.styled("(no preview)", MUTED),
                    id="event-detail-preview",
                    markup=False,
                )

    def on_mount(self) -> None:
        self.query_one("#event-detail-body").focus()

    def action_copy(self) -> None:
        """Copy the event as JSON (OSC 52, through tmux when inside it)."""
        import json

        text = json.dumps(self.event.model_dump(mode="json", by_alias=True), indent=2)
        self.app.copy_to_clipboard(text)
        self.notify("Copied the event as JSON.")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
