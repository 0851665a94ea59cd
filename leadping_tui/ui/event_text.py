"""How a messaging event's direction and opt-out read, in the event log and its detail view."""

from __future__ import annotations

from leadping_tui.terminal.safe_text import clean

OPT_OUT_MARK = "OPT-OUT"


def direction_text(direction: str | None) -> str:
    """``↑ out`` / ``↓ in`` for the usual spellings; anything else as (cleaned) text."""
    if not direction:
        return "—"
    key = direction.strip().lower()
    if key.startswith(("out", "sent", "mt")):
        return "↑ out"
    if key.startswith(("in", "rec", "mo")):
        return "↓ in"
    return clean(direction, max_len=12)
