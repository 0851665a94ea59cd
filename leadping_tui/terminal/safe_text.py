"""Show third-party text literally and safely in a terminal.

Event previews, action bodies, reasons, labels and descriptions are written
by SMS recipients and carriers. They may hold console-markup look-alikes
(``[red]``, ``[link=...]``, ``[@click=app.quit]``), ANSI escape sequences,
control characters, bidi overrides, zero-width characters, emoji, wide
characters, or be very long. What this module does to them:

* ESC becomes the visible ``␛`` (so ``\\x1b[2J`` shows as ``␛[2J``); no raw
  ESC is ever emitted.
* Other C0 controls become their Unicode control pictures (``\\x07`` → ``␇``,
  DEL → ``␡``); C1 controls (including the 8-bit CSI ``\\x9b``) become the
  text ``\\x9b``; lone surrogates become ``�``.
* In single-line text a newline (``\\n``, ``\\r\\n``, a lone ``\\r``, U+2028,
  U+2029) becomes ``⏎`` so a multi-line message is visibly multi-line, and
  a tab becomes a space. :func:`clean_multiline` keeps the newlines.
* Invisible format characters (Unicode category Cf: bidi embeddings,
  overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
  U+200E/U+200F/U+061C, zero-width space, word joiner, BOM, soft hyphen, tag
  characters) are removed, so nothing can reorder or hide part of a row. The
  zero-width joiner and non-joiner stay: emoji sequences and some scripts
  need them and they are harmless.
* Runs of combining marks are capped so "Zalgo" text cannot pile up over
  neighbouring rows.

Markup is never interpreted because the result goes into
:class:`rich.text.Text`, never into a markup string: use :func:`literal`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import rich.cells
from rich.cells import cell_len
from rich.text import Text

__all__ = ["ELLIPSIS", "clean", "clean_multiline", "literal", "truncate_cells"]

ELLIPSIS = "…"
_ESC_SYMBOL = "\u241b"  # ␛
_DEL_SYMBOL = "\u2421"  # ␡
_NEWLINE_SYMBOL = "\u23ce"  # ⏎
_REPLACEMENT = "\ufffd"
_KEPT_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})  # ZWNJ, ZWJ
_LINE_SEPARATORS = frozenset({"\u2028", "\u2029"})
_MAX_COMBINING_RUN = 4
_MULTILINE_TAB = "    "


def clean(text: object, *, max_len: int | None = None) -> str:
    """``text`` as one safe display line; ``max_len`` caps its terminal cell width.

    ``None`` gives ``""``; anything else that is not a ``str`` goes through
    ``str()``. A truncated result ends in ``…`` and is at most ``max_len``
    cells wide.
    """
    raw = _as_str(text)
    cut = False
    if max_len is not None:
        # Neutralising a megabyte only to show 40 cells of it is wasted work;
        # no character is narrower than zero cells, but most are at least one.
        limit = max(256, max_len * 8)
        if len(raw) > limit:
            raw, cut = raw[:limit], True
    if raw.isascii() and raw.isprintable():
        # Printable ASCII passes through unchanged; most payload text is this,
        # and neutralising it a character at a time was most of a row's cost.
        result = raw
    else:
        result = "".join(_neutralise(raw, keep_newlines=False))
    if max_len is None:
        return result
    return truncate_cells(result, max_len, force=cut)


def clean_multiline(
    text: object, *, max_lines: int = 500, max_len_per_line: int | None = 2000
) -> str:
    """Like :func:`clean` but keeps line breaks (as ``\\n``), for a full-text view.

    At most ``max_lines`` lines are kept; a final line then says how many
    were left out. Each line is capped at ``max_len_per_line`` cells.
    """
    lines = "".join(_neutralise(_as_str(text), keep_newlines=True)).split("\n")
    if max_len_per_line is not None:
        lines = [truncate_cells(line, max_len_per_line) for line in lines]
    if max_lines >= 1 and len(lines) > max_lines:
        hidden = len(lines) - (max_lines - 1)
        lines = [*lines[: max_lines - 1], f"{ELLIPSIS} ({hidden} more lines)"]
    return "\n".join(lines)


def literal(
    text: object, style: str = "", max_len: int | None = None, *, single_line: bool | None = None
) -> Text:
    """A :class:`rich.text.Text` showing ``text`` exactly as typed, safely.

    With ``max_len`` (or ``single_line=True``) the text is one line that
    never wraps and ends in ``…`` when it does not fit. Otherwise line breaks
    are kept and long lines wrap (an unbroken run folds rather than
    overflowing). Square brackets are never taken as markup either way.
    """
    if single_line is None:
        single_line = max_len is not None
    if single_line:
        return Text(
            clean(text, max_len=max_len), style=style, no_wrap=True, overflow="ellipsis", end=""
        )
    return Text(clean_multiline(text), style=style, overflow="fold", end="")


def truncate_cells(text: str, max_len: int, *, force: bool = False) -> str:
    """Cut ``text`` to at most ``max_len`` terminal cells, ending in ``…`` if cut.

    Cuts between whole graphemes, so an emoji sequence or a letter with its
    accents is never split. ``force`` adds the ellipsis even if it would fit.
    """
    if max_len <= 0:
        return ""
    if not force and cell_len(text) <= max_len:
        return text
    room = max_len - cell_len(ELLIPSIS)
    width = 0
    end = 0
    for _start, stop, cells in _graphemes(text):
        if width + cells > room:
            break
        width += cells
        end = stop
    return text[:end].rstrip(" ") + ELLIPSIS


def _as_str(text: object) -> str:
    if text is None:
        return ""
    return text if isinstance(text, str) else str(text)


def _graphemes(text: str) -> Iterator[tuple[int, int, int]]:
    """``(start, stop, cells)`` per grapheme; per code point on older rich."""
    split = getattr(rich.cells, "split_graphemes", None)
    if split is not None:
        spans, _total = split(text)
        for start, stop, cells in spans:
            yield int(start), int(stop), int(cells)
        return
    for index, char in enumerate(text):  # pragma: no cover - rich < 14.3
        yield index, index + 1, cell_len(char)


def _neutralise(text: str, *, keep_newlines: bool) -> Iterator[str]:
    newline = "\n" if keep_newlines else _NEWLINE_SYMBOL
    tab = _MULTILINE_TAB if keep_newlines else " "
    after_cr = False
    combining = 0
    for char in text:
        code = ord(char)
        if char == "\n" and after_cr:
            after_cr = False  # the second half of \r\n
            continue
        after_cr = char == "\r"
        if code < 0x80 and 0x20 <= code < 0x7F:
            combining = 0
            yield char
        elif char in "\r\n" or char in _LINE_SEPARATORS:
            combining = 0
            yield newline
        elif char == "\t":
            combining = 0
            yield tab
        elif code < 0x20:
            yield _ESC_SYMBOL if code == 0x1B else chr(0x2400 + code)
        elif code == 0x7F:
            yield _DEL_SYMBOL
        elif code <= 0x9F:
            yield f"\\x{code:02x}"
        else:
            category = unicodedata.category(char)
            if category == "Cf" and char not in _KEPT_FORMAT_CHARS:
                continue
            if category == "Cs":
                yield _REPLACEMENT
            elif category in ("Mn", "Me"):
                combining += 1
                if combining <= _MAX_COMBINING_RUN:
                    yield char
            else:
                combining = 0
                yield char
