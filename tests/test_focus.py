"""Where the focus goes on the dashboard, and that it shows, in every theme.

Tab walks sidebar → panels → the tab bar → the tab's table and back round;
Shift+Tab walks it backwards. The focus never lands on a widget that is not
on screen, and the focused pane has a double line (its shape changes, not
only its colour), drawn in a colour that stands out more than the others'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import dashboard, drawn, make_app, on_fake_clock, settle, wait_until
from textual import events
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Input, Static

from leadping_tui.ui.app import LeadPingApp
from leadping_tui.ui.screens.dashboard import DashboardScreen
from leadping_tui.ui.widgets.event_log import EventLog

HEALTHY, OTHER = "+12025550101", "+12025550102"

WIDE = ("#sidebar", "#health", "#capacity", "#metrics", "#tabs ContentTabs", "#events-table")
# Below 70 columns the sidebar and the side panels give way to the status.
TINY = ("#health", "#tabs ContentTabs", "#events-table")


def name(widget: Widget | None) -> str:
    return "nothing" if widget is None else f"{type(widget).__name__}#{widget.id}"


def shown(app: LeadPingApp, widget: Widget) -> bool:
    """On screen: displayed all the way up, with some of it inside the screen."""
    screen_region = app.screen.region
    return (
        widget in app.screen.focus_chain
        and all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
        and widget.region.area > 0
        and screen_region.overlaps(widget.region)
    )


async def walk(pilot: Any, app: LeadPingApp, key: str, steps: int) -> list[str]:
    """Press ``key`` ``steps`` times; what has the focus after each press (always shown)."""
    seen = []
    for _ in range(steps):
        await pilot.press(key)
        await pilot.pause()
        focused = app.focused
        assert focused is not None and shown(app, focused), name(focused)
        seen.append(name(focused))
    return seen


@pytest.mark.parametrize(("size", "selectors"), [((120, 40), WIDE), ((60, 20), TINY)])
async def test_tab_and_shift_tab_walk_the_panes_in_order_and_back(
    sim: Any, tmp_path: Path, size: tuple[int, int], selectors: tuple[str, ...]
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    on_fake_clock(app)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        order = [screen.query_one(selector) for selector in selectors]
        assert name(app.focused) == name(order[0]), "start-up focus"
        forward = [name(app.focused), *await walk(pilot, app, "tab", len(order))]
        expected = [name(widget) for widget in order]
        assert forward == [*expected, expected[0]], "Tab goes round and back to the start"
        backward = [name(app.focused), *await walk(pilot, app, "shift+tab", len(order))]
        assert backward == [expected[0], *reversed(expected)], "Shift+Tab goes the other way"


async def test_the_tab_order_follows_the_tab_shown_and_a_hidden_sidebar(
    sim: Any, tmp_path: Path
) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY, OTHER])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        await pilot.press("5")  # the alert log: its table takes the events' place
        await wait_until(pilot, lambda: name(app.focused) == "AlertsTable#alerts", "the alerts")
        await pilot.press("s")  # hide the sidebar: the focus stays on the table
        await pilot.pause()
        walked = await walk(pilot, app, "tab", 5)
        tabs = screen.query_one("#tabs ContentTabs")
        assert walked == [
            "HealthPanel#health",
            "CapacityPanel#capacity",
            "MetricsPanel#metrics",
            name(tabs),
            "AlertsTable#alerts",
        ]


def contrast(a: Color, b: Color) -> float:
    return abs(a.brightness - b.brightness) + sum(
        abs(x - y) for x, y in zip(a.rgb, b.rgb, strict=True)
    ) / (3 * 255)


def edge(widget: Widget) -> tuple[str, Color]:
    """The kind and colour of the line above the pane (its border's top)."""
    kind, color = widget.styles.border_top
    return kind, color


async def test_the_focused_pane_stands_out_in_every_theme(sim: Any, tmp_path: Path) -> None:
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = dashboard(app)
        await pilot.press("2")  # the warmup actions: a table with a top line
        await wait_until(pilot, lambda: name(app.focused) == "ActionsTable#actions", "actions")
        bordered = [screen.query_one(s) for s in ("#sidebar", "#health", "#capacity", "#actions")]
        themes = sorted(app.available_themes)
        assert len(themes) > 10
        # Every pane focused in the default theme, then one pane per theme in
        # turn (each pane in five or six themes): a theme only changes colours,
        # and a focus change repaints the whole screen, 88 of them took 90 s.
        plan = [(app.theme, target) for target in bordered]
        plan += [(theme, bordered[i % len(bordered)]) for i, theme in enumerate(themes)]
        for theme, target in plan:
            app.theme = theme
            target.focus()
            await pilot.pause()
            assert app.focused is target
            kind, color = edge(target)
            background = target.background_colors[1]
            assert kind == "double", f"{theme}: focused {name(target)} has a {kind} line"
            for other in bordered:
                if other is target:
                    continue
                other_kind, other_color = edge(other)
                assert other_kind != "double", f"{theme}: {name(other)} looks focused"
                if any(c.ansi is not None for c in (color, other_color, background)):
                    continue  # the terminal's own palette: only the shape is ours
                assert contrast(color, background) > contrast(other_color, background), (
                    f"{theme}: the focused {name(target)}'s line is no stronger than "
                    f"{name(other)}'s"
                )
        # The event table has no line of its own: its note line shows the focus.
        await pilot.press("1")
        await wait_until(pilot, lambda: name(app.focused) == "EventTable#events-table", "events")
        note = screen.query_one(EventLog).query_one("#events-note", Static)
        assert note.styles.background.a > 0 and note.styles.text_style.bold
        screen.query_one("#sidebar").focus()
        await pilot.pause()
        assert note.styles.background.a == 0 and not note.styles.text_style.bold
        assert isinstance(app.screen, DashboardScreen)


# Keys typed faster than a frame (quickly, or arriving together over SSH) act
# in order: a key's focus given late (after the next frame, or on a later
# turn) undid the next key's: 1 then 3 ended on tab 1 with nothing focused,
# 3 then j left the focus on the trend table behind the raw view.
QUICK_KEYS = {
    "trend then raw": (("3", "j"), "#raw", None),
    "events then trend": (("1", "3"), "#tab-trend StableTable", None),
    "trend then events": (("3", "1"), "#tab-events StableTable", None),
    "actions, trend, raw": (("2", "3", "j"), "#raw", None),
    "raw then trend": (("j", "3"), "#tab-trend StableTable", None),
    "trend then the event filter": (("3", "slash"), "#events-filter", ""),
    "trend then hide the sidebar": (("3", "s"), "#tab-trend StableTable", None),
    # A filter box a key opened keeps the focus. (The digit itself is not
    # typed into it: Textual sends each key to the focus of the moment it
    # reads the key, before the key before it has acted.)
    "event filter, then a digit": (("slash", "3"), "#events-filter", None),
    "number filter, then a digit": (("f", "3"), "#watchlist-filter", None),
}


@pytest.mark.parametrize("keys", QUICK_KEYS.values(), ids=QUICK_KEYS.keys())
async def test_quick_keys_leave_the_focus_where_the_last_one_put_it(
    sim: Any, tmp_path: Path, keys: tuple[tuple[str, ...], str, str | None]
) -> None:
    presses, focused, typed = keys
    app = make_app(sim, tmp_path, watchlist=[HEALTHY])
    on_fake_clock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # All at once, as a quick typist or a paste over SSH sends them
        # (pilot.press waits for the app to be idle after each key).
        for key in presses:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await drawn(app, pilot)
        await settle(app, pilot)
        assert app.focused is app.screen.query_one(focused), app.focused
        assert app.focused in app.screen.focus_chain, "the focus is on a hidden widget"
        if typed is not None:
            assert isinstance(app.focused, Input) and app.focused.value == typed
