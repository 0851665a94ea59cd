"""The "Warmup actions" tab: ``smsWarmup.recentActions``, newest first."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.screen import ModalScreen

from leadping_tui.api.models import WarmupAction
from leadping_tui.terminal.safe_text import literal
from leadping_tui.ui.view import PanelContext
from leadping_tui.ui.widgets.stable_table import (
    CELL_MAX,
    MAX_ROWS,
    StableTable,
    TableRow,
    newest,
    phone_text,
    short_time,
    unique_keys,
)


def _action_time(action: WarmupAction) -> datetime | None:
    return action.scheduled_at or action.executed_at


class ActionsTable(StableTable):
    """``smsWarmup.recentActions``, newest first, at most :data:`MAX_ROWS` rows."""

    COLUMNS = (
        ("Scheduled", 11),
        ("Executed", 11),
        ("Body", 40),
        ("Failure", 30),
        ("From", 16),
        ("To", 16),
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Warmup actions"
        self.total = 0
        self._actions: dict[str, WarmupAction] = {}
        self._ctx: PanelContext | None = None

    def show(self, ctx: PanelContext) -> None:
        """Draw the actions in ``ctx`` (none yet: an empty table and a note in the title)."""
        self.set_class(ctx.stale, "-stale")
        warmup = ctx.status.sms_warmup if ctx.status else None
        actions = warmup.recent_actions if warmup else []
        self.total = len(actions)
        kept = newest(actions, _action_time, MAX_ROWS)
        if ctx.status is None:
            note = "no data yet"
        elif not actions:
            note = "none"
        elif len(kept) < len(actions):
            note = f"showing {len(kept):,} of {len(actions):,}"
        else:
            note = f"{len(actions):,}"
        self.set_title(f"Warmup actions · {note}")
        keys = unique_keys(action.id for action in kept)
        self._actions = dict(zip(keys, kept, strict=True))
        self._ctx = ctx
        self.set_rows([self._row(key, action, ctx) for key, action in self._actions.items()])

    def detail_for(self, key: str) -> ModalScreen[None] | None:
        action = self._actions.get(key)
        if action is None or self._ctx is None:
            return None
        from leadping_tui.ui.dialogs.action_detail import ActionDetailScreen

        return ActionDetailScreen(action, tz=self._ctx.tz, now=self._ctx.now)

    def _row(self, key: str, action: WarmupAction, ctx: PanelContext) -> TableRow:
        now, tz = ctx.now, ctx.tz
        muted = self.style_for("table--muted")
        if action.executed_at is not None:
            executed = Text(short_time(action.executed_at, now, tz))
        elif action.scheduled_at is not None and action.scheduled_at > now:
            executed = Text("pending", style=self.style_for("table--accent"))
        elif action.failure_reason:
            executed = Text("failed", style=self.style_for("table--alert"))
        else:
            executed = Text("—", style=muted)
        failure = literal(
            action.failure_reason or "", style=self.style_for("table--alert"), max_len=CELL_MAX
        )
        cells = (
            Text(short_time(action.scheduled_at, now, tz)),
            executed,
            literal(action.body or "", max_len=CELL_MAX),
            failure,
            Text(phone_text(action.from_phone_number)),
            Text(phone_text(action.to_phone_number)),
        )
        return TableRow(key, cells)
