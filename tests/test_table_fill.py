"""A table rebuilt with hundreds of rows gets the first ones at once and the rest a slice per frame.

Textual measures every cell of the rows added; adding 500 at once held the
event loop (and any key pressed meanwhile) for ~70 ms. These tests check
that the filling is invisible to what the table shows and keeps.
"""

from __future__ import annotations

from functools import partial

import pytest
from app_harness import wait_until
from rich.text import Text
from textual.app import App, ComposeResult

from leadping_tui.ui.widgets.stable_table import FILL_FIRST, LazyCell, StableTable, TableRow


class Table(StableTable):
    COLUMNS = (("Name", 10), ("Value", 10))


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(id="table")


def rows(count: int, tag: str = "", start: int = 0) -> list[TableRow]:
    return [
        TableRow(f"r{i}", (Text(f"row {i}"), Text(f"{tag}{i}")))
        for i in range(start, start + count)
    ]


def cells(table: StableTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_big_rebuild_fills_in_slices_and_ends_complete() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.set_rows(rows(500))
        assert table.row_count == FILL_FIRST and table.filling
        assert len(table.shown_rows) == 500  # the rows it shows, all of them already
        await wait_until(pilot, lambda: not table.filling, "the rest of the rows")
        assert cells(table) == [[f"row {i}", f"{i}"] for i in range(500)]
        assert table.rebuilds == 1


async def test_cells_changed_while_filling_are_shown_as_changed() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.set_rows(rows(500))
        table.set_rows(rows(500, tag="new "))  # same keys: cells updated, not rebuilt
        assert table.rebuilds == 1
        await wait_until(pilot, lambda: not table.filling, "the rest of the rows")
        assert cells(table) == [[f"row {i}", f"new {i}"] for i in range(500)]


async def test_the_selected_row_far_down_is_kept_across_a_rebuild() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.set_rows(rows(500))
        await wait_until(pilot, lambda: not table.filling, "the rows")
        table.focus()
        table.move_cursor(row=400)
        assert table.selected_key == "r400"
        # Fifty new rows on top: the selected one is now row 450, beyond the first slice.
        table.set_rows(rows(50, start=500)[::-1] + rows(450))
        assert table.selected_key == "r400" and table.cursor_row == 450
        await wait_until(pilot, lambda: not table.filling, "the rest of the rows")
        assert table.selected_key == "r400"
        assert table.row_count == 500


async def test_rows_given_a_maker_are_made_when_first_drawn() -> None:
    made: list[int] = []

    def make(i: int) -> tuple[Text, ...]:
        made.append(i)
        return (Text(f"row {i}"), Text(str(i)))

    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.set_rows([TableRow(f"r{i}", make=partial(make, i)) for i in range(500)])
        assert made == []  # adding a row does not make it
        await wait_until(pilot, lambda: not table.filling, "the rest of the rows")
        await wait_until(pilot, lambda: 0 in made, "the rows in view drawn")
        # The rows in view, not the 500 in the table.
        assert set(range(10)) <= set(made) and len(made) < FILL_FIRST
        table.move_cursor(row=499)
        await wait_until(pilot, lambda: 499 in made, "the last rows drawn once in view")
        assert cells(table) == [[f"row {i}", f"{i}"] for i in range(500)]
        assert sorted(made) == list(range(500))  # each row made once


def test_a_row_has_its_cells_or_a_maker() -> None:
    with pytest.raises(ValueError):
        TableRow("r")
    with pytest.raises(ValueError):
        TableRow("r", (Text("a"),), make=lambda: (Text("a"),))
    assert TableRow("r", make=lambda: (Text("a"),)) == TableRow("r", (Text("a"),))


async def test_cells_are_given_to_the_table_unmeasured_with_their_text_and_styles() -> None:
    # Textual measures each cell that has rich's measure protocol (~25 µs a
    # cell) to size auto-width columns; a StableTable's columns are fixed.
    app = TableApp()
    styled = Text("bold part and plain", style="italic", no_wrap=True, overflow="ellipsis")
    styled.stylize("bold", 0, 9)
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.set_rows([TableRow("a", (styled, Text("x")))])
        table.set_rows([TableRow("a", (styled, Text("y")))])  # a cell updated in place
        await pilot.pause()
        first, second = table.get_row_at(0)
        for cell in (first, second):
            assert getattr(cell, "__rich_measure__", None) is None
        assert isinstance(first, LazyCell) and first.text is styled
        assert second.plain == "y"
        await pilot.pause()
        # Drawn as the row's own Text (its styles with it).
        drawn = "".join(segment.text for segment in table.render_line(1))
        assert "bold part" in drawn and "y" in drawn
        table.set_rows([TableRow("a", (styled, Text("z")))])  # drawn now: updated in place
        await pilot.pause()
        assert table.get_row_at(0)[1].plain == "z"
        assert getattr(table.get_row_at(0)[1], "__rich_measure__", None) is None
        assert [column.get_render_width(table) for column in table.ordered_columns] == [12, 12]


class TallTableApp(TableApp):
    CSS = "Table { height: 1fr; }"


async def test_a_tall_table_gets_a_screenful_of_rows_at_once() -> None:
    # The first slice is small (FILL_FIRST), but never leaves the view half empty.
    app = TallTableApp()
    async with app.run_test(size=(60, 140)) as pilot:
        table = app.query_one(Table)
        await pilot.pause()
        assert table.size.height > FILL_FIRST
        table.set_rows(rows(500))
        assert table.row_count >= table.size.height and table.filling
        await wait_until(pilot, lambda: not table.filling, "the rest of the rows")
        assert table.row_count == 500
