"""A table's rows and the cells a ``DataTable`` holds for them.

A :class:`TableRow` is a key and its cells, given or made on demand; the
table holds a :class:`LazyCell` per column that draws from the row, so rows
out of view are never made. Cells updated in place go in as
:class:`FixedCell`: neither kind is measured by ``DataTable``.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text


class FixedCell(Text):
    """A cell's text that ``DataTable`` does not measure.

    ``DataTable`` measures each cell it is given (rich's measure protocol,
    ~25 µs a cell: ~20 ms for every 100 event rows, in one block) to size its
    auto-width columns. Every column of a :class:`StableTable` has a fixed
    width, so that was waste; without ``__rich_measure__`` Textual takes a
    default width instead (``textual.render.measure``). Drawn like any Text.
    """

    __slots__ = ()
    __rich_measure__ = None  # type: ignore[assignment]

    @classmethod
    def of(cls, text: Text) -> FixedCell:
        if isinstance(text, FixedCell):
            return text
        cell = cls(
            text.plain,
            style=text.style,
            justify=text.justify,
            overflow=text.overflow,
            no_wrap=text.no_wrap,
            end=text.end,
            tab_size=text.tab_size,
        )
        cell.spans = list(text.spans)
        return cell


class LazyCell:
    """What the table holds for one cell: drawn from its row's cells, made when first drawn.

    Adding a row to a ``DataTable`` does not draw it, so a row out of view
    costs only its place: 500 event rows go in at once (one layout) and the
    cells of a row are made when it scrolls into view, or when a filter
    reads it. Without ``__rich_measure__`` (see :class:`FixedCell`) adding
    does not read the text either.
    """

    __slots__ = ("index", "row")

    def __init__(self, row: TableRow, index: int) -> None:
        self.row = row
        self.index = index

    @property
    def text(self) -> Text:
        return self.row.cells[self.index]

    @property
    def plain(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __repr__(self) -> str:
        return f"LazyCell({self.row.key!r}, {self.index})"


class TableRow:
    """One row: a unique key and its cells (safe ``Text``).

    The cells are given, or made by ``make`` when first needed: a rebuilt
    table adds its rows a slice per frame, so the rows of the later slices
    are made then, not all at once when the answer arrives.
    """

    __slots__ = ("_cells", "_make", "key")

    def __init__(
        self,
        key: str,
        cells: tuple[Text, ...] | None = None,
        *,
        make: Callable[[], tuple[Text, ...]] | None = None,
    ) -> None:
        if (cells is None) == (make is None):
            raise ValueError("a row needs its cells or a way to make them, not both")
        self.key = key
        self._cells = cells
        self._make = make

    @property
    def made(self) -> bool:
        """Whether the cells exist yet (drawn, compared or searched)."""
        return self._cells is not None

    @property
    def cells(self) -> tuple[Text, ...]:
        if self._cells is None:
            assert self._make is not None
            self._cells, self._make = self._make(), None
        return self._cells

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableRow):
            return NotImplemented
        return self.key == other.key and self.cells == other.cells

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TableRow({self.key!r}, {self.cells!r})"
