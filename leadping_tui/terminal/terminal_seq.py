"""Escape sequences the app writes to the terminal: pure string builders.

Notification text comes partly from third parties (carrier reasons), so
everything placed inside an OSC sequence goes through :func:`clean_field`:
no C0 or C1 control (so no ESC, BEL or 8-bit ST/CSI that could end the
sequence early or start another), no bidi or line-separator characters, and
a length cap.  Nothing here writes anything; the UI sends the result.

Under tmux an OSC sequence only reaches the outer terminal when wrapped in a
DCS passthrough (and tmux >= 3.3 needs ``set -g allow-passthrough on``);
:func:`wrap_for_terminal` wraps when ``TMUX`` is set.  The plain bell is never
wrapped: tmux handles it itself (``bell-action``, window flags).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping

__all__ = [
    "BEL",
    "BELL",
    "ESC",
    "OSC52_MAX_BYTES",
    "ClipboardTooLarge",
    "clean_field",
    "osc9",
    "osc52_copy",
    "osc777",
    "screen_passthrough",
    "tmux_passthrough",
    "wrap_for_terminal",
]

ESC = "\x1b"
BEL = "\x07"
BELL = "\a"
ST = ESC + "\\"

MESSAGE_MAX_CHARS = 256
TITLE_MAX_CHARS = 80
OSC52_MAX_BYTES = 100_000
"""Upper bound on the base64 payload of a clipboard copy (many terminals drop more)."""

# C0, DEL, C1, bidi controls and lone surrogates: none may reach a sequence.
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SPACING = re.compile(r"[\t\n\r\u2028\u2029]+")


class ClipboardTooLarge(ValueError):
    """The text is too long to copy through the terminal (OSC 52)."""


def clean_field(text: str, *, limit: int, drop: str = "") -> str:
    """``text`` made safe to sit inside an OSC sequence.

    Line breaks and tabs become one space, every other control or bidi
    character is removed, the characters in ``drop`` are removed, and the
    result is capped at ``limit`` characters (ending in ``…`` when cut).
    """
    text = _SPACING.sub(" ", text)
    text = _UNSAFE.sub("", text)
    if drop:
        text = text.translate({ord(ch): None for ch in drop})
    text = text.strip()
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text


def osc9(message: str) -> str:
    """``ESC ] 9 ; message BEL``: a desktop notification (iTerm2, WezTerm, kitty...).

    ConEmu and Windows Terminal read ``9;<digit>;`` as other commands (progress
    bars and the like), so a message starting with a digit gets a leading space.
    """
    text = clean_field(message, limit=MESSAGE_MAX_CHARS)
    if text[:1].isdigit():
        text = " " + text
    return f"{ESC}]9;{text}{BEL}"


def osc777(title: str, body: str) -> str:
    """``ESC ] 777 ; notify ; title ; body BEL`` (urxvt, foot, Ghostty, VTE-based...).

    ``;`` separates the fields, so it is removed from the title; the body is
    the last field and may keep it.
    """
    safe_title = clean_field(title, limit=TITLE_MAX_CHARS, drop=";")
    safe_body = clean_field(body, limit=MESSAGE_MAX_CHARS)
    return f"{ESC}]777;notify;{safe_title};{safe_body}{BEL}"


def osc52_copy(text: str) -> str:
    """``ESC ] 52 ; c ; base64 BEL``: put ``text`` on the system clipboard.

    Raises :class:`ClipboardTooLarge` when the encoded text would exceed
    :data:`OSC52_MAX_BYTES` (rather than copying a silently cut text).
    """
    payload = base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")
    if len(payload) > OSC52_MAX_BYTES:
        raise ClipboardTooLarge(
            f"The text is too large to copy through the terminal "
            f"({len(text.encode('utf-8', errors='replace')):,} bytes; "
            f"at most about {OSC52_MAX_BYTES * 3 // 4:,})."
        )
    return f"{ESC}]52;c;{payload}{BEL}"


def tmux_passthrough(seq: str) -> str:
    """Wrap ``seq`` so tmux hands it to the outer terminal: ``ESC P tmux; ... ESC \\``.

    Every ESC inside is doubled, as tmux requires.
    """
    return f"{ESC}Ptmux;{seq.replace(ESC, ESC + ESC)}{ST}"


def screen_passthrough(seq: str) -> str:
    """Wrap ``seq`` for GNU screen: ``ESC P <seq> ESC \\``."""
    return f"{ESC}P{seq}{ST}"


def wrap_for_terminal(seq: str, env: Mapping[str, str]) -> str:
    """``seq`` as it must be written in this environment (tmux or screen or neither).

    Only escape sequences are wrapped; a plain bell (or any text not starting
    with ESC) is returned unchanged.
    """
    if not seq.startswith(ESC):
        return seq
    if env.get("TMUX"):
        return tmux_passthrough(seq)
    if env.get("TERM", "").startswith("screen") or env.get("STY"):
        return screen_passthrough(seq)
    return seq
