"""What the sidebar repaints: a highlight move its two rows, a theme switch every row."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot

from leadping_tui.store.watchlist import Watchlist
from leadping_tui.ui.textual_compat import screen_strips
from tests.test_ui_sidebar import SidebarHarness

NUMBERS = [f"+120255501{i:02d}" for i in range(40)]


def many() -> Watchlist:
    watchlist = Watchlist()
    for i, number in enumerate(NUMBERS):
        watchlist = watchlist.add(number, f"Line {i}" if i % 3 == 0 else "")
    return watchlist


def picture(app: SidebarHarness) -> list[list[tuple[str, Any]]]:
    return [[(seg.text, seg.style) for seg in strip] for strip in screen_strips(app)]


async def repainted_whole(app: SidebarHarness, pilot: Pilot[None]) -> list[list[tuple[str, Any]]]:
    app.sidebar.refresh()
    await pilot.pause()
    return picture(app)


async def test_a_highlight_move_repaints_its_two_rows_and_looks_as_a_full_repaint() -> None:
    app = SidebarHarness(many())
    async with app.run_test(size=(100, 24)) as pilot:
        sidebar = app.sidebar
        sidebar.focus()
        await pilot.pause()
        painted: list[tuple[Region, ...]] = []
        refresh = sidebar.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            painted.append(regions)
            return refresh(*regions, **kwargs)

        sidebar.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause()
        moves = [regions for regions in painted if regions]
        assert not [regions for regions in painted if not regions], "the whole list was repainted"
        assert [region.height for regions in moves for region in regions] == [2, 1]
        sidebar.refresh = refresh  # type: ignore[method-assign]
        # Down past the bottom (the list scrolls), and back up: every picture is
        # the one a whole repaint gives.
        for key in ["down"] * 3 + ["up"] + ["down"] * 20 + ["up"] * 2:
            await pilot.press(key)
            await pilot.pause()
            assert picture(app) == await repainted_whole(app, pilot), key
        assert sidebar.selected_number == NUMBERS[21]
        assert sidebar.scroll_offset.y > 0


async def test_rows_keep_their_lines_through_a_focus_move_and_not_a_theme_switch() -> None:
    app = SidebarHarness(many())
    async with app.run_test(size=(100, 24)) as pilot:
        sidebar = app.sidebar
        sidebar.focus()
        await pilot.pause()
        generation = sidebar.style_generation
        sidebar.blur()
        await pilot.pause()
        assert sidebar.style_generation == generation, "a focus move changes no row"
        app.theme = "nord"  # another $success, $warning, $error
        await pilot.pause()
        assert sidebar.style_generation != generation
        themed = picture(app)
        # Rows made afresh for the new theme look the same.
        sidebar.set_watchlist(sidebar.watchlist.add("+12025559999"))
        sidebar.set_watchlist(sidebar.watchlist.remove("+12025559999"))
        await pilot.pause()
        assert picture(app) == themed


def test_a_row_draws_again_when_its_sidebar_says_the_styles_changed() -> None:
    from textual.style import Style
    from textual.visual import RenderOptions

    from leadping_tui.api.condition import Condition
    from leadping_tui.ui.watchlist_view import RowState
    from leadping_tui.ui.widgets.watchlist_row import SidebarRow

    class Styler:
        style_generation = 0
        bold = False

        def part_style(self, component: str) -> Style:
            return Style(bold=self.bold)

    styler = Styler()
    row = SidebarRow(styler, "+1 202-555-0101", "", RowState(Condition.OK, 90.0), 15)
    options = RenderOptions(lambda _: Style(), {})

    def draw() -> list[Any]:
        return [list(strip) for strip in row.render_strips(30, None, Style(), options)]

    plain = draw()
    styler.bold = True
    assert draw() == plain, "kept until the sidebar says its styles changed"
    styler.style_generation += 1
    assert draw() != plain


async def test_a_re_sort_lays_out_nothing() -> None:
    from leadping_tui.ui.watchlist_view import SortOrder

    app = SidebarHarness(many())
    async with app.run_test(size=(100, 24)) as pilot:
        sidebar = app.sidebar
        await pilot.pause()
        layouts: list[bool] = []
        refresh = sidebar.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return refresh(*regions, **kwargs)

        sidebar.refresh = spy  # type: ignore[method-assign]
        sidebar.set_order(SortOrder.LABEL)
        await pilot.pause()
        assert sidebar.shown_numbers[0] == NUMBERS[0]
        # As many rows as before, in another order: the list is repainted, the
        # screen not laid out (replacing the options once measured an empty
        # list in between).
        assert layouts and not any(layouts)
