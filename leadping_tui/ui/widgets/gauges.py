"""The panels' shared drawing kit: bars, gauges, sparklines, number text, token flow.

Everything here returns Textual :class:`~textual.content.Content` (or plain
``str``) built from literal text; styles are theme variables (``$text-success``
and friends) resolved when drawn, so a theme change recolours without a redraw
of the data.  Shapes carry the meaning (``█``/``░`` extents, ``▁``..``█``
heights), so nothing here relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from leadping_tui.api.condition import CRITICAL_SCORE, WARNING_SCORE, Condition
from leadping_tui.ui.styling import CONDITION_CLASS
from leadping_tui.ui.view import PanelContext

#: Shown for a value the response did not carry.
MISSING = "—"

#: Text style per condition: the theme's readable-on-background variants.
CONDITION_STYLE: dict[Condition, str] = {
    Condition.OK: "$text-success",
    Condition.WARNING: "$text-warning",
    Condition.CRITICAL: "$text-error",
    Condition.UNKNOWN: "$foreground-muted",
}
MUTED = "$foreground-muted"
LABEL = "$foreground-muted"
ACCENT = "$text-primary"

#: The counts of a traffic-trend bucket: (title, ``TrendBucket`` field).
TREND_COUNTS: tuple[tuple[str, str], ...] = (
    ("SMS sent", "sms_sent_count"),
    ("SMS failed", "sms_failed_count"),
    ("MMS sent", "mms_sent_count"),
    ("MMS failed", "mms_failed_count"),
    ("Calls", "call_placed_count"),
    ("Calls failed", "call_failed_count"),
)

_FULL = "█"
_HALF = "▌"
_EMPTY = "░"
_LEVELS = "▁▂▃▄▅▆▇█"


def count(value: int | None) -> str:
    """``1,234`` with thousands separators, or ``—`` when missing."""
    return MISSING if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """A percentage as the API gave it: ``97.5 %``, ``0.35 %``, ``100 %``; ``—`` if missing."""
    if value is None:
        return MISSING
    text = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


def score_condition(score: float | None) -> Condition:
    """The condition a 0-100 health score suggests on its own."""
    if score is None:
        return Condition.UNKNOWN
    if score < CRITICAL_SCORE:
        return Condition.CRITICAL
    if score < WARNING_SCORE:
        return Condition.WARNING
    return Condition.OK


def ratio(part: float | None, whole: float | None) -> float | None:
    """``part / whole`` clamped to 0..1, or ``None`` when it cannot be known."""
    if part is None or whole is None or whole <= 0:
        return None
    return min(max(part / whole, 0.0), 1.0)


def bar(fraction: float | None, width: int, style: str = ACCENT) -> Content:
    """A horizontal bar ``███▌░░░░`` of ``width`` cells; dots when the value is unknown."""
    width = max(width, 1)
    if fraction is None:
        return Content.styled("·" * width, MUTED)
    halves = round(min(max(fraction, 0.0), 1.0) * width * 2)
    full, half = divmod(halves, 2)
    filled = _FULL * full + (_HALF if half else "")
    return Content.assemble((filled, style), (_EMPTY * (width - len(filled)), MUTED))


def gauge(
    value: float | None, width: int, *, maximum: float = 100.0, judged: bool = True
) -> Content:
    """A 0..``maximum`` score as a bar coloured by the score, then ``82/100``.

    ``judged=False`` draws it neutral: a score nobody has evaluated yet (a
    number that has not started reports 0) is not a bad score.
    """
    if not judged:
        style = MUTED
    else:
        style = CONDITION_STYLE[score_condition(value)] if maximum == 100.0 else ACCENT
    number = MISSING if value is None else f"{value:g}"
    return Content.assemble(
        bar(ratio(value, maximum), width, style),
        " ",
        (number, f"bold {style}" if value is not None else MUTED),
        (f"/{maximum:g}", MUTED),
    )


def progress(value: float | None, width: int) -> Content:
    """A 0..100 percent progress bar followed by ``45 %``."""
    fraction = None if value is None else value / 100.0
    return Content.assemble(bar(fraction, width), " ", (percent(value), "bold"))


def sparkline(values: Sequence[int | None], style: str = ACCENT) -> Content:
    """One cell per value, ``▁`` (lowest) to ``█`` (highest); a blank for a missing value."""
    known = [value for value in values if value is not None]
    top = max(known, default=0)
    cells: list[str] = []
    for value in values:
        if value is None:
            cells.append(" ")
        elif top <= 0:
            cells.append(_LEVELS[0])
        else:
            level = round(max(value, 0) / top * (len(_LEVELS) - 1))
            cells.append(_LEVELS[level])
    return Content.styled("".join(cells), style)


def labelled(label: str, value: str | Content, value_style: str = "") -> Content:
    """``label value`` with the label muted; ``value`` must already be safe text."""
    shown = value if isinstance(value, Content) else Content.styled(value, value_style)
    return Content.assemble((label, LABEL), " ", shown)


def join(parts: Sequence[Content | str], separator: str = "  ") -> Content:
    """Join non-empty pieces with a separator (pieces wrap between, not inside, when short)."""
    kept = [part for part in parts if (part.plain if isinstance(part, Content) else part)]
    return Content(separator).join(kept)


class TokenFlow(Widget):
    """Short tokens laid out in lines that break between tokens, never inside one."""

    DEFAULT_CSS = "TokenFlow { height: auto; }"
    SEPARATOR = "  "

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._tokens: tuple[Content, ...] = ()
        self.display = False

    @property
    def tokens(self) -> tuple[Content, ...]:
        return self._tokens

    def set_tokens(self, tokens: Sequence[Content]) -> None:
        """Show these tokens; repaints only when they differ from what is shown."""
        new = tuple(tokens)
        if len(new) == len(self._tokens) and all(
            a.is_same(b) for a, b in zip(new, self._tokens, strict=True)
        ):
            return
        self._tokens = new
        self.display = bool(new)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        lines: list[Content] = []
        line: list[Content] = []
        used = 0
        gap = len(self.SEPARATOR)
        for token in self._tokens:
            size = token.cell_length
            if line and used + gap + size > width:
                lines.append(Content(self.SEPARATOR).join(line))
                line, used = [], 0
            used += (gap if line else 0) + size
            line.append(token)
        if line:
            lines.append(Content(self.SEPARATOR).join(line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(line.wrap(max(width, 1))) for line in self._lines(max(width, 1)))

    def render(self) -> Content:
        return Content("\n").join(self._lines(max(self.size.width, 1)))

    @property
    def plain(self) -> str:
        """The tokens as plain text, for tests and screen readers."""
        return self.SEPARATOR.join(token.plain for token in self._tokens)


def part(part_id: str, classes: str = "", text: str = "") -> Static:
    """A panel part: a literal (never markup) ``Static``, hidden until it has text."""
    static = Static(Content.styled(text, MUTED), id=part_id, classes=classes, markup=False)
    static.display = bool(text)
    return static


class PartsPanel(VerticalScroll):
    """Base of the status panels: a fixed set of parts, each repainted only when changed."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # Built as it is first drawn, with no status yet: the first mark()
        # changes no class, so the panel is not restyled right after mounting.
        super().__init__(id=id, classes=" ".join(filter(None, ["-empty", classes])))
        self._shown: dict[str, Content] = {}
        self.last_ctx: PanelContext | None = None

    def show(self, ctx: PanelContext) -> None:
        """Draw ``ctx``; subclasses draw, and remember it in :attr:`last_ctx`."""
        raise NotImplementedError

    def redraw(self) -> None:
        """Draw the last context again (bars are sized to the panel's width)."""
        if self.last_ctx is not None:
            self.show(self.last_ctx)

    def on_resize(self) -> None:
        self.redraw()

    def fit(self, fixed: int, *, least: int, most: int, default: int) -> int:
        """Width for a bar that shares a line with ``fixed`` cells; 0 when it cannot fit.

        Without a scroll bar yet, one cell is kept spare for one that may appear.
        """
        width = self.scrollable_content_region.width
        if width <= 0:
            return default
        spare = 0 if self.show_vertical_scrollbar else 1
        room = min(most, width - fixed - spare)
        return room if room >= least else 0

    def rows_needed(self) -> int:
        """Rows (border included) that show all the content at the current width, unscrolled.

        0 before the first layout.  The dashboard sizes the top panels from this.
        """
        gutter = self.styles.gutter  # border and padding
        # Measured as if a scrollbar took its column: rows that suffice with
        # one suffice without, so a scrollbar left from a taller content
        # goes away instead of keeping itself (narrower, so taller) alive.
        width = self.outer_size.width - gutter.width - self.styles.scrollbar_size_vertical
        if width <= 0:
            return 0
        parent = self.parent
        container = parent.size if isinstance(parent, Widget) else self.app.size
        return self.get_content_height(container, self.app.size, width) + gutter.height

    def set_part(self, part: str, content: Content) -> None:
        """Show ``content`` in the ``Static`` with id ``part``; hidden while empty."""
        old = self._shown.get(part)
        if old is not None and old.is_same(content):
            return
        self._shown[part] = content
        static = self.query_one(f"#{part}", Static)
        static.update(content)
        static.display = bool(content.plain)

    def set_flow(self, part: str, tokens: Sequence[Content]) -> None:
        """Show ``tokens`` in the :class:`TokenFlow` with id ``part``."""
        self.query_one(f"#{part}", TokenFlow).set_tokens(tokens)

    def part_text(self, part: str) -> str:
        """The plain text a part shows (for tests and for copying)."""
        widget = self.query_one(f"#{part}")
        if isinstance(widget, TokenFlow):
            return widget.plain
        return self._shown[part].plain if part in self._shown else ""

    @property
    def plain(self) -> str:
        """Everything the panel shows, as plain text, part by part."""
        lines: list[str] = []
        for child in self.children:
            if not child.display:
                continue
            if isinstance(child, TokenFlow):
                lines.append(child.plain)
            elif child.id in self._shown:
                lines.append(self._shown[child.id].plain)
        return "\n".join(lines)

    def mark(self, *, stale: bool, empty: bool, condition: Condition | None) -> None:
        """Set the ``-stale``, ``-empty`` and condition classes and the stale subtitle."""
        subtitle = "stale" if stale else ""
        # Assigning a border title repaints the whole panel, even when unchanged.
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle
        # One batch: each class changed on its own restyles the whole panel
        # again (moving to a number in another condition changes two or three).
        classes = {"-stale": stale, "-empty": empty}
        classes.update({CONDITION_CLASS[each]: each is condition for each in Condition})
        before = self.classes
        self.update_classes(classes, update=False)
        if self.classes != before:
            # Only the panel's own rules read these classes (styles.tcss; a test
            # checks it), so only the panel is restyled. Textual restyles every
            # part below a changed node too: ~27 style applications and a
            # repaint of every part on each move to a number in another state.
            self.app.stylesheet.apply(self)
