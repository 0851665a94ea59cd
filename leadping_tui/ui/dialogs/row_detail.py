"""Every field of one table row, in a modal: what Enter opens on each tab.

The tables cut and truncate to fit; this dialog shows each field of the row
whole (within generous limits that stop a hostile megabyte), as literal,
neutralised text, with any fields this app does not know under "Other
fields", and copies the row as JSON. The event, warmup-action, trend,
timeline and alert details are this one dialog with their own lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, ClassVar, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from leadping_tui.logs.redact import default_redactor
from leadping_tui.phone import format_number
from leadping_tui.terminal.safe_text import clean, clean_multiline
from leadping_tui.times.timefmt import absolute, relative
from leadping_tui.ui.breakpoints import StyledAtMount
from leadping_tui.ui.widgets.gauges import LABEL, MISSING, MUTED

#: A long text (an SMS body, an alert's message) is shown up to this much;
#: generous for one, and it stops a hostile megabyte from freezing the dialog.
TEXT_MAX = 5_000
TEXT_LINES = 200
VALUE_MAX = 2_000
_LABEL_WIDTH = 16


class DetailLine(NamedTuple):
    """One ``label  value`` line; ``value`` must already be safe (see :func:`text`)."""

    label: str
    value: str
    style: str = ""


@dataclass(frozen=True)
class LongText:
    """A multi-line text shown under its own heading, line breaks kept."""

    heading: str
    text: str | None
    empty: str


def text(value: str | None) -> str:
    """``value`` as one safe line ("" when missing, shown as —)."""
    return clean(value or "", max_len=VALUE_MAX)


def when(value: datetime | None, tz: tzinfo, now: datetime) -> str:
    """``2026-11-27 12:00:00 (2 min ago)  UTC 2026-11-27T12:00:00+00:00``."""
    if value is None:
        return MISSING
    return (
        f"{absolute(value, tz, with_seconds=True)} ({relative(value, now)})"
        f"  UTC {value.isoformat()}"
    )


def phone(number: str | None) -> str:
    """The number formatted, with the raw form beside it when they differ."""
    if not number:
        return MISSING
    raw = clean(number, max_len=40)
    pretty = format_number(raw)
    return pretty if pretty == raw else f"{pretty}  ({raw})"


def yes_no(value: bool | None, yes: str = "yes") -> str:
    return MISSING if value is None else (yes if value else "no")


def value_text(value: Any) -> str:
    """Any JSON value as one safe line: text as it is, the rest as JSON."""
    if isinstance(value, str):
        return clean(value, max_len=VALUE_MAX)
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        dumped = repr(value)
    return clean(dumped, max_len=VALUE_MAX)


def _line(line: DetailLine) -> Content:
    return Content.assemble(
        (line.label.ljust(_LABEL_WIDTH), LABEL), " ", (line.value or MISSING, line.style)
    )


def fields_content(lines: Sequence[DetailLine], extra: Mapping[str, Any]) -> Content:
    """The lines, then any unknown fields (sorted, as JSON) under "Other fields"."""
    shown = [_line(line) for line in lines]
    if extra:
        shown.append(Content.styled("Other fields", "bold underline"))
        for key in sorted(extra, key=str):
            label = clean(str(key), max_len=_LABEL_WIDTH * 4)
            shown.append(_line(DetailLine(label, value_text(extra[key]))))
    return Content("\n").join(shown)


def detail_bindings(prefix: str, copy_description: str) -> list[BindingType]:
    """Close on escape, q or enter; c copies. Ids start with ``prefix`` (for ``[keys]``)."""
    return [
        Binding("escape", "close", "Close", id=f"{prefix}.close"),
        Binding("q", "close", "Close", show=False, id=f"{prefix}.close_q"),
        Binding("enter", "close", "Close", show=False, id=f"{prefix}.close_enter"),
        Binding("c", "copy", copy_description, id=f"{prefix}.copy"),
    ]


class RowDetail(StyledAtMount, ModalScreen[None]):
    """A modal with every field of one row; escape, q or enter closes it, c copies it."""

    BINDINGS: ClassVar[list[BindingType]] = detail_bindings("row_detail", "Copy")

    def __init__(
        self,
        title: str,
        lines: Sequence[DetailLine],
        *,
        what: str,
        as_json: Any,
        extra: Mapping[str, Any] | None = None,
        long_text: LongText | None = None,
    ) -> None:
        """``what`` names the row in the copy notice; ``as_json`` is what c copies."""
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.what = what
        self.as_json = as_json
        self.extra = dict(extra or {})
        self.long_text = long_text

    def compose(self) -> ComposeResult:
        with Vertical(id="detail") as box:
            box.border_title = self.title_text
            box.border_subtitle = "c: copy as JSON · esc · q · enter: close"
            with VerticalScroll(id="detail-body"):
                yield Static(
                    fields_content(self.lines, self.extra), id="detail-fields", markup=False
                )
                long_text = self.long_text
                if long_text is not None:
                    yield Static(Content.styled(long_text.heading, "bold underline"), markup=False)
                    yield Static(
                        Content(
                            clean_multiline(
                                long_text.text, max_lines=TEXT_LINES, max_len_per_line=TEXT_MAX
                            )
                        )
                        if long_text.text
                        else Content.styled(long_text.empty, MUTED),
                        id="detail-text",
                        markup=False,
                    )

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()

    def copy_text(self) -> str:
        """What c copies: the row as JSON, with any secret in it masked."""
        return default_redactor.redact(json.dumps(self.as_json, indent=2))

    def action_copy(self) -> None:
        """Copy the row as JSON (OSC 52, through tmux when inside it)."""
        self.app.copy_to_clipboard(self.copy_text())
        self.notify(f"Copied the {self.what} as JSON.")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
