"""Terminal escape sequences: exact bytes, and hostile text cannot break out."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from app_harness import wait_for

from leadping_tui.terminal.desktop_notify import can_notify_send, notify_send
from leadping_tui.terminal.terminal_seq import (
    BELL,
    OSC52_MAX_BYTES,
    ClipboardTooLarge,
    clean_field,
    osc9,
    osc52_copy,
    osc777,
    screen_passthrough,
    tmux_passthrough,
    wrap_for_terminal,
)

HOSTILE = "ok\x1b]0;pwned\a;x\x9b2J\x9c\u202eevil\n\tnext\ud800"


def _body_of(seq: str, prefix: str) -> str:
    assert seq.startswith(prefix) and seq.endswith("\x07")
    return seq[len(prefix) : -1]


def test_exact_sequences() -> None:
    assert BELL == "\x07"
    assert osc9("Number blocked") == "\x1b]9;Number blocked\x07"
    assert osc777("LeadPing", "Paused: opt-outs") == "\x1b]777;notify;LeadPing;Paused: opt-outs\x07"
    assert osc52_copy("hé") == "\x1b]52;c;" + base64.b64encode("hé".encode()).decode() + "\x07"
    assert osc52_copy("") == "\x1b]52;c;\x07"


@pytest.mark.parametrize("build", [osc9, lambda text: osc777(text, text)])
def test_hostile_text_cannot_end_or_inject_a_sequence(build: Callable[[str], str]) -> None:
    seq = build(HOSTILE)
    # Exactly one ESC (the introducer) and one BEL (the terminator), nothing 8-bit.
    assert seq.count("\x1b") == 1 and seq.count("\x07") == 1 and seq.endswith("\x07")
    assert not re.search(r"[\x00-\x06\x08-\x1a\x1c-\x1f\x7f-\x9f\u202e\ud800-\udfff]", seq)
    assert "pwned" in seq  # the text itself is kept, only defused


def test_osc777_title_loses_semicolons_body_keeps_them() -> None:
    seq = osc777("a;b\x1b]777;notify;x;y\x07", "reason; details")
    fields = _body_of(seq, "\x1b]777;").split(";")
    assert fields[0] == "notify"
    assert fields[1] == "ab]777notifyxy"
    assert ";".join(fields[2:]) == "reason; details"


def test_osc9_guards_conemu_commands_and_caps_length() -> None:
    assert osc9("4;1;50") == "\x1b]9; 4;1;50\x07"
    long = _body_of(osc9("x" * 10_000), "\x1b]9;")
    assert len(long) == 256 and long.endswith("…")


def test_clean_field_turns_breaks_into_spaces() -> None:
    assert clean_field(" a\r\nb\tc\x00d ", limit=50) == "a b cd"
    assert clean_field("abcdef", limit=4) == "abc…"


def test_osc52_has_a_size_cap() -> None:
    fits = "x" * (OSC52_MAX_BYTES * 3 // 4)
    assert len(osc52_copy(fits)) == len("\x1b]52;c;\x07") + OSC52_MAX_BYTES
    with pytest.raises(ClipboardTooLarge, match="too large"):
        osc52_copy(fits + "xxxx")


def test_tmux_passthrough_doubles_every_escape() -> None:
    seq = osc9("hi")
    wrapped = tmux_passthrough(seq)
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"
    assert tmux_passthrough("\x1b[1m\x1b]52;c;eA==\x07") == (
        "\x1bPtmux;\x1b\x1b[1m\x1b\x1b]52;c;eA==\x07\x1b\\"
    )


def test_wrap_for_terminal_by_environment() -> None:
    seq = osc9("hi")
    assert wrap_for_terminal(seq, {}) == seq
    assert wrap_for_terminal(seq, {"TERM": "xterm-256color"}) == seq
    assert wrap_for_terminal(seq, {"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen"}) == (
        tmux_passthrough(seq)
    )
    assert wrap_for_terminal(seq, {"TERM": "screen.xterm-256color"}) == screen_passthrough(seq)
    assert screen_passthrough(seq) == "\x1bP\x1b]9;hi\x07\x1b\\"
    # The bell is handled by tmux itself and is never wrapped.
    assert wrap_for_terminal(BELL, {"TMUX": "x"}) == BELL


# -- notify-send -------------------------------------------------------------


def _which(found: str | None) -> Callable[[str], str | None]:
    return lambda name: found if name == "notify-send" else None


@pytest.mark.parametrize(
    ("env", "found", "expected"),
    [
        ({"DISPLAY": ":0"}, "/usr/bin/notify-send", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "/usr/bin/notify-send", True),
        ({"DISPLAY": ":0"}, None, False),
        ({}, "/usr/bin/notify-send", False),
        ({"DISPLAY": ":0", "SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, "/x", False),
        ({"WAYLAND_DISPLAY": "w", "SSH_TTY": "/dev/pts/1"}, "/x", False),
    ],
)
def test_can_notify_send_only_in_a_local_graphical_session(
    env: dict[str, str], found: str | None, expected: bool
) -> None:
    assert can_notify_send(env, which=_which(found)) is expected


def test_notify_send_runs_without_a_shell_with_clean_arguments(tmp_path: Path) -> None:
    out = tmp_path / "argv.txt"
    fake = tmp_path / "notify-send"
    fake.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {out}.tmp\nmv {out}.tmp {out}\n'
    )
    fake.chmod(0o755)
    assert notify_send("-u critical $(touch pwned)", "a <b>&\x1b[2J\nnext", which=_which(str(fake)))
    wait_for(out.exists, "notify-send to write its arguments")
    assert out.read_text().splitlines() == [
        "--app-name=leadping-tui",
        "--",
        "-u critical $(touch pwned)",
        "a &lt;b&gt;&amp;[2J next",
    ]
    assert not (tmp_path / "pwned").exists()


def test_notify_send_never_raises(tmp_path: Path) -> None:
    assert notify_send("t", "b", which=_which(None)) is False
    assert notify_send("t", "b", which=_which(str(tmp_path / "missing"))) is False
