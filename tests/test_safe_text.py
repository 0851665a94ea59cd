"""Third-party text is shown literally and can never drive the terminal."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from leadping_tui.terminal.safe_text import clean, clean_multiline, literal, truncate_cells

MARKUP = ["[red]x[/red]", "[link=http://evil.example]click[/link]", "[@click=app.quit]bye[/]"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HOSTILE = (
    "[red]x[/red] [link=http://x]y[/link] [@click=app.quit]q[/] "
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ "
    "\x1b]0;title\x07 \x9b2J \x90dcs\x9c \x07\x08\x00\x7f "
    "\u202eevil\u202c \u2067iso\u2069 \u200b\ufeff\u2060 \U000e0041 \ud800 "
    "line1\nline2\r\nline3\rline4\u2028line5\ttab "
    "中文 👨‍👩‍👧 é"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_lookalikes_survive_as_typed(markup: str) -> None:
    assert clean(markup) == markup
    assert literal(markup).plain == markup
    assert literal(markup, max_len=80).plain == markup
    assert literal(markup).spans == []


def test_every_ascii_character_alone_and_among_printables() -> None:
    # clean() passes printable ASCII through untouched without looking at each
    # character; anything else (controls, DEL) must still be neutralised.
    for code in range(128):
        char = chr(code)
        expected = clean_multiline(char).replace("\n", "\u23ce").replace("    ", " ")
        assert clean(f"ab{char}cd") == f"ab{expected}cd", repr(char)
    printable = "".join(chr(code) for code in range(0x20, 0x7F))
    assert clean(printable) == printable
    assert clean("") == ""


def test_none_and_non_strings() -> None:
    assert clean(None) == ""
    assert clean(42) == "42"
    assert clean(3.5) == "3.5"
    assert literal(None).plain == ""


def test_escape_sequences_are_made_visible() -> None:
    assert clean("\x1b[2J") == "␛[2J"
    assert clean("\x1b]8;;http://x\x1b\\") == "␛]8;;http://x␛\\"
    assert clean("a\x9b2Jb") == "a\\x9b2Jb"  # 8-bit CSI
    assert clean("\x85") == "\\x85"


def test_controls_become_control_pictures() -> None:
    assert clean("a\x00b\x07c\x08d\x7f") == "a␀b␇c␈d␡"


def test_newlines_and_tabs_in_one_line() -> None:
    assert clean("a\nb\r\nc\rd\u2028e\u2029f\tg") == "a⏎b⏎c⏎d⏎e⏎f g"


def test_bidi_and_invisible_format_characters_are_removed() -> None:
    text = f"abc{BIDI}def\u200b\ufeff\u2060\u00adghi\U000e0041"
    assert clean(text) == "abcdefghi"
    # The joiners emoji and some scripts depend on stay.
    assert clean("👨\u200d👩") == "👨\u200d👩"
    assert clean("a\u200cb") == "a\u200cb"


def test_lone_surrogates_are_replaced() -> None:
    assert clean("a\ud800b") == "a\ufffdb"
    clean("a\ud800b").encode("utf-8")  # never fails to reach the terminal


def test_combining_mark_runs_are_capped() -> None:
    zalgo = "a" + "\u0301" * 50 + "b"
    assert clean(zalgo) == "a" + "\u0301" * 4 + "b"
    assert clean("é") == "é"  # ordinary accents untouched


def test_hostile_text_cleans_to_safe_single_line() -> None:
    out = clean(HOSTILE)
    assert "\n" not in out and "\r" not in out
    assert "\x1b" not in out
    assert not any(ch in out for ch in BIDI)
    assert all(not (0x80 <= ord(ch) <= 0x9F) for ch in out)
    assert all(ord(ch) >= 0x20 and ord(ch) != 0x7F for ch in out)
    for markup in ("[red]x[/red]", "[link=http://x]y[/link]", "[@click=app.quit]q[/]"):
        assert markup in out


@pytest.mark.parametrize(
    "text,width,expected",
    [
        ("hello world", 20, "hello world"),
        ("hello world", 11, "hello world"),
        ("hello world", 10, "hello wor…"),
        ("hello world", 1, "…"),
        ("hello world", 0, ""),
        ("中文中文", 8, "中文中文"),
        ("中文中文", 7, "中文中…"),
        ("中文中文", 6, "中文…"),  # a wide char never straddles the edge
        ("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5, "👨‍👩‍👧👨‍👩‍👧…"),
        ("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 4, "👨‍👩‍👧…"),  # never splits an emoji sequence
        ("ab😀cd", 4, "ab…"),
        ("hello   world", 9, "hello…"),  # no dangling spaces before the ellipsis
    ],
)
def test_truncation_by_cell_width(text: str, width: int, expected: str) -> None:
    out = clean(text, max_len=width)
    assert out == expected
    assert cell_len(out) <= width


def test_truncation_of_huge_input_is_marked() -> None:
    huge = "x" * 1_000_000
    out = clean(huge, max_len=40)
    assert out == "x" * 39 + "…"
    # Even when the pre-cut part alone would fit, the cut is shown.
    sparse = "\u200b" * 100_000 + "tail"
    assert clean(sparse, max_len=10).endswith("…")


def test_truncate_cells_force() -> None:
    assert truncate_cells("abc", 10, force=True) == "abc…"


def test_clean_multiline_keeps_lines_and_neutralises_the_rest() -> None:
    out = clean_multiline("one\r\ntwo\x1b[31m\rthree\u2029four\tx\u202e")
    assert out == "one\ntwo␛[31m\nthree\nfour    x"


def test_clean_multiline_limits() -> None:
    text = "\n".join(f"line {i}" for i in range(10))
    assert clean_multiline(text, max_lines=4) == "line 0\nline 1\nline 2\n… (7 more lines)"
    assert clean_multiline("x" * 50, max_len_per_line=10) == "x" * 9 + "…"


def test_literal_shapes() -> None:
    one = literal("a\nb", "bold", max_len=10)
    assert isinstance(one, Text)
    assert one.plain == "a⏎b"
    assert one.no_wrap is True and one.overflow == "ellipsis"
    assert str(one.style) == "bold"
    many = literal("a\nb")
    assert many.plain == "a\nb"
    assert not many.no_wrap and many.overflow == "fold"
    assert literal("a\nb", single_line=True).plain == "a⏎b"


def _render(text: Text, width: int = 60) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="truecolor",
        width=width,
        legacy_windows=False,
    )
    console.print(text)
    return buffer.getvalue()


@pytest.mark.parametrize("style", ["", "bold red", "italic on blue"])
@pytest.mark.parametrize("max_len", [None, 30])
def test_rendered_output_has_only_the_consoles_own_styling(style: str, max_len: int | None) -> None:
    out = _render(literal(HOSTILE, style, max_len))
    assert "\x1b]" not in out  # no OSC: no hyperlinks, no window titles
    assert "\x9b" not in out and "\x9d" not in out
    without_sgr = SGR.sub("", out)
    assert "\x1b" not in without_sgr  # no \x1b[2J, no cursor moves
    assert "\x07" not in without_sgr
    assert not any(ch in without_sgr for ch in BIDI)
    flat = without_sgr.replace("\n", "")
    assert "[red]x[/red]" in flat
    if max_len is None:
        assert "[@click=app.quit]q[/]" in flat


def test_rendered_markup_is_literal() -> None:
    out = SGR.sub("", _render(literal("[red]x[/red] [link=http://x]y[/link]")))
    assert out.strip() == "[red]x[/red] [link=http://x]y[/link]"
