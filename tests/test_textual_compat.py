"""The Textual internals leadping_tui relies on (``ui/textual_compat.py``) still work.

Each test names the internal it checks: when a Textual upgrade fails one of
them, the adapter is the one place to change.
"""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import textual._time
import textual.timer
from app_harness import wait_until
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.timer import EventTargetGone, Timer
from textual.widgets import OptionList, Static

from leadping_tui.ui.textual_compat import (
    TEXTUAL_TIMER_RUN,
    CompatApp,
    frame_pending,
    live_notification_count,
    on_frame,
    paint_now,
    release_style_caches,
    repaint_option,
    run_on_slots,
    screen_lines,
    screen_strips,
    share_parsed_css,
    shorten_pilot_idle_wait,
)


class Shown(CompatApp):
    def compose(self) -> ComposeResult:
        yield Static("hello compat", id="hello")
        yield OptionList("first row", "second row", "third row")


async def test_app_driver_write_sends_escape_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Shown()
    async with app.run_test(size=(60, 10)):
        app.write_escape("\x1b]9;headless\x07")  # a headless app writes nothing
        driver = app._driver
        assert driver is not None, "App._driver is gone"
        written: list[str] = []
        monkeypatch.setattr(driver, "write", written.append)
        monkeypatch.setattr(type(driver), "is_headless", property(lambda self: False))
        app.write_escape("\x1b]9;hi\x07")
        assert written == ["\x1b]9;hi\x07"]


async def test_app_clipboard_backs_the_public_clipboard_property() -> None:
    app = Shown()
    async with app.run_test(size=(60, 10)):
        app.remember_clipboard("+12025550101")
        assert app.clipboard == "+12025550101"


class Crashing(CompatApp):
    def crash_report(self) -> str:
        return "PLAIN REPORT: " + traceback.format_exc().strip().splitlines()[-1]

    def on_mount(self) -> None:
        api_key = "sk_live_local_variable"  # Textual's own report would print locals
        raise RuntimeError(f"boom {len(api_key)}")


async def test_app_fatal_error_is_the_hook_for_an_unexpected_exception(
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = Crashing()
    await app.run_async(headless=True, size=(60, 10))
    assert app.return_code == 1
    err = capfd.readouterr().err
    assert "PLAIN REPORT: RuntimeError: boom 22" in err, "App._fatal_error was not called"
    assert "sk_live_local_variable" not in err


async def test_option_render_cache_repaints_one_row() -> None:
    app = Shown()
    async with app.run_test(size=(60, 10)) as pilot:
        options = app.query_one(OptionList)
        await pilot.pause()
        assert "second row" in "\n".join(screen_lines(app))
        assert repaint_option(options, 1, "changed row"), (
            "OptionList._option_render_cache or Option._set_prompt is gone"
        )
        await pilot.pause()
        assert options.get_option_at_index(1).prompt == "changed row"
        shown = "\n".join(screen_lines(app))
        assert "changed row" in shown and "second row" not in shown
        assert "first row" in shown and "third row" in shown


class TwoLineRows(CompatApp):
    def compose(self) -> ComposeResult:
        yield OptionList("first\nrow a", "second\nrow b", "third\nrow c")


async def test_option_render_cache_repaints_a_row_of_two_lines_where_it_is() -> None:
    app = TwoLineRows()
    async with app.run_test(size=(60, 10)) as pilot:
        options = app.query_one(OptionList)
        await pilot.pause()
        assert "third" in "\n".join(screen_lines(app))
        # Option 2 starts on line 4, not line 2 (each option takes two lines).
        assert repaint_option(options, 2, "changed\nrow c2"), (
            "OptionList._index_to_line or _heights is gone"
        )
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "changed" in shown and "row c2" in shown and "third" not in shown
        assert "first" in shown and "second" in shown and "row b" in shown


async def test_screen_compositor_gives_the_screen_as_lines_and_strips() -> None:
    app = Shown()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        strips = screen_strips(app)
        assert len(lines) == 10 and len(strips) == 10
        assert any("hello compat" in line for line in lines)
        assert [strip.text for strip in strips] == [line.ljust(60) for line in lines]


async def test_app_display_and_screen_timer_update_paint_a_frame_on_demand() -> None:
    app = Shown()
    frames: list[int] = []
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        on_frame(app, lambda: frames.append(1))
        app.screen.refresh()
        # No await in between: the refresh timer cannot run, only paint_now can paint.
        paint_now(app.screen)
        assert frames, "App._display or Screen._on_timer_update no longer paints a frame"


async def test_frame_pending_until_the_refresh_timer_draws_the_change() -> None:
    app = Shown()
    frames: list[int] = []
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        on_frame(app, lambda: frames.append(1))
        await wait_until(pilot, lambda: not frame_pending(app.screen), "the first frame")
        for layout in (False, True):
            app.screen.refresh(layout=layout)
            assert frame_pending(app.screen), (
                f"a refresh (layout={layout}) is not pending: Screen._repaint_required or "
                "_layout_required moved"
            )
            frames.clear()
            paint_now(app.screen)
            assert frames and not frame_pending(app.screen)
        # A widget's change reaches the screen when the widget is next idle.
        app.query_one(Static).update("changed")
        await pilot.pause()
        await wait_until(pilot, lambda: not frame_pending(app.screen), "its frame")
        assert "changed" in "\n".join(screen_lines(app))
        # A callback waiting for the next draw is pending too. (Held here: the
        # screen runs its callbacks when idle or right after a draw.)
        screen = app.screen
        run_callbacks = screen._invoke_and_clear_callbacks

        async def held() -> None:
            pass

        screen._invoke_and_clear_callbacks = held  # type: ignore[method-assign]
        called: list[int] = []
        screen.call_after_refresh(lambda: called.append(1))
        await wait_until(
            pilot,
            lambda: frame_pending(screen),
            "Screen._callbacks to hold the call_after_refresh callback",
        )
        screen._invoke_and_clear_callbacks = run_callbacks  # type: ignore[method-assign]
        screen.refresh()
        await wait_until(pilot, lambda: bool(called), "the callback")
        await wait_until(pilot, lambda: not frame_pending(screen), "the draw")


async def test_app_notifications_counts_the_notices_still_held() -> None:
    app = Shown()
    async with app.run_test(size=(60, 10)) as pilot:
        assert live_notification_count(app) == 0
        app.notify("one", timeout=60)
        app.notify("two", timeout=60)
        for _ in range(500):  # the notices arrive as messages: wait for them, not for time
            if live_notification_count(app) == 2:
                break
            await pilot.pause()
        assert live_notification_count(app) == 2, "App._notifications changed"


class Dialog(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("a closed dialog's line", id="closed")


async def test_style_caches_of_closed_widgets_linger_until_released() -> None:
    import gc
    import weakref

    app = Shown()
    async with app.run_test(size=(60, 10)) as pilot:
        dialog = Dialog()
        await app.push_screen(dialog)
        await pilot.pause()
        assert "a closed dialog's line" in "\n".join(screen_lines(app))
        cache = weakref.ref(dialog.query_one("#closed")._styles_cache)
        base = app.screen_stack[0]
        app.pop_screen()
        # Until the screen underneath is drawn again, its last frame holds the dialog.
        await wait_until(
            pilot,
            lambda: app.screen is base and not frame_pending(base),
            "the screen underneath drawn",
        )
        del dialog
        gc.collect()
        assert cache() is not None, (
            "StylesCache.get_inner_outer no longer keeps a closed widget's style cache: "
            "release_style_caches (and its calls) can go"
        )
        # Once released, only the app's own leftovers of the closing (its
        # messages, on a loaded machine not all handled yet) can hold it: wait
        # for those, releasing again each time.
        for _ in range(100):
            release_style_caches()
            gc.collect()
            if cache() is None:
                break
            await pilot.pause()
        assert cache() is None, "StylesCache.get_inner_outer is no longer an lru_cache"


async def test_a_styled_at_mount_screen_releases_them_when_a_dialog_above_closes() -> None:
    import gc
    import weakref

    from textual.screen import Screen

    from leadping_tui.ui.breakpoints import StyledAtMount

    class Base(StyledAtMount, Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("underneath")

    class Host(CompatApp):
        def on_mount(self) -> None:
            self.push_screen(Base())

    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        dialog = Dialog()
        await app.push_screen(dialog)
        await pilot.pause()
        cache = weakref.ref(dialog.query_one("#closed")._styles_cache)
        app.pop_screen()
        del dialog
        for _ in range(100):  # the resume is a message: wait for it, not for time
            await pilot.pause()
            gc.collect()
            if cache() is None:
                break
        assert cache() is None, "the screen underneath kept the closed dialog's style cache"


async def test_stylesheet_parse_rules_is_shared_by_apps_with_the_same_variables() -> None:
    share_parsed_css()  # the conftest did it already; a second call changes nothing
    share_parsed_css()
    first, second, themed = Shown(), Shown(), Shown()
    for app in (first, second):
        async with app.run_test(size=(60, 10)):
            pass
    async with themed.run_test(size=(60, 10)) as pilot:
        themed.theme = "textual-light" if themed.theme != "textual-light" else "nord"
        await pilot.pause()
    rules = [id(rule) for rule in first.stylesheet.rules]
    assert rules, "Stylesheet.rules is empty: what share_parsed_css shares has moved"
    assert [id(rule) for rule in second.stylesheet.rules] == rules, (
        "a second app parsed its CSS again: Stylesheet._parse_rules is no longer where "
        "Textual parses (share_parsed_css no longer shares anything)"
    )
    assert not {id(rule) for rule in themed.stylesheet.rules} & set(rules), (
        "an app with other variables got rules parsed with the first app's theme"
    )


async def test_pilot_idle_wait_steps_by_the_wait_module_globals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import textual._wait as wait

    # Put Textual's values back after the test, whatever it sets.
    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", wait.SLEEP_GRANULARITY)
    monkeypatch.setattr(wait, "SLEEP_IDLE", wait.SLEEP_IDLE)
    sleeps: list[float] = []
    real_sleep = wait.sleep

    async def recorded(delay: float) -> None:
        sleeps.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(wait, "sleep", recorded)
    shorten_pilot_idle_wait(0.004)
    await wait.wait_for_idle(0)
    assert sleeps and set(sleeps) == {0.004}, (
        f"wait_for_idle slept {sleeps}: it no longer steps by textual._wait.SLEEP_GRANULARITY "
        "(shorten_pilot_idle_wait and LEADPING_TEST_PILOT_STEP no longer work)"
    )
    assert wait.SLEEP_IDLE == 0.004 / 20


async def test_option_lines_repaint_only_the_rows_asked_for() -> None:
    from textual.app import App
    from textual.widgets import OptionList

    from leadping_tui.ui.textual_compat import repaint_option_lines

    class Options(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList("a", "b1\nb2", "c")

    app = Options()
    async with app.run_test(size=(40, 10)) as pilot:
        options = app.query_one(OptionList)
        await pilot.pause()
        painted: list[tuple[Any, ...]] = []
        refresh = options.refresh
        options.refresh = lambda *regions, **kw: painted.append(regions) or refresh(*regions, **kw)  # type: ignore[method-assign]
        assert repaint_option_lines(options, [1, 2]), (
            "OptionList._index_to_line or OptionList._heights is gone"
        )
        assert [(r.y, r.height) for regions in painted for r in regions] == [(1, 2), (3, 1)]


def test_nothing_else_touches_a_textual_private_name() -> None:
    # The adapter's list, checked against the package, the tests and the benchmarks.
    from pathlib import Path

    names = (
        "_driver",
        "_clipboard",
        "_fatal_error",
        "_exit_renderables",
        "_close_messages_no_wait",
        "_option_render_cache",
        "_set_prompt",
        "_index_to_line",
        "_heights",
        "_compositor",
        "_background_screens",
        "_notifications",
        "_exception",
        "_display",
        "_on_timer_update",
        "_footer",
        "_styles_cache",
        "_parse_rules",
        "_variables",
        "SLEEP_GRANULARITY",
        "_wait",
        "_layout_required",
        "_scroll_required",
        "_repaint_required",
        "_dirty_widgets",
        "_recompose_required",
        "_callbacks",
    )
    root = Path(__file__).resolve().parent.parent
    offenders: list[Any] = []
    for folder in ("leadping_tui", "tests", "benchmarks"):
        for path in (root / folder).rglob("*.py"):
            if path.name in ("textual_compat.py", "test_textual_compat.py"):
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if re.search(rf"\.{name}\b", text)  # ._display, not ._display_waiters
            ]
    assert offenders == []


class FakeTime:
    """``textual._time`` on a clock that moves only when slept on (or told to)."""

    def __init__(self) -> None:
        self.now = 100.0

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class Target:
    """What a timer holds a weak reference to."""


async def tick_times(
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[[Timer], Awaitable[None]],
    *,
    slow: int | None = None,
    repeat: int | None = None,
    pause: bool = False,
) -> list[float]:
    """When each tick of a 1 s skipping timer came (seconds after it started),
    tick ``slow`` taking 1.4 s; at most five ticks."""
    clock = FakeTime()
    monkeypatch.setattr(textual._time, "get_time", clock.get_time)
    monkeypatch.setattr(textual._time, "sleep", clock.sleep)
    monkeypatch.setattr(textual.timer, "sleep", clock.sleep)  # Textual's loop imports it
    target = Target()
    timer = Timer(target, 1.0, repeat=repeat, skip=True, pause=pause)
    seen: list[float] = []

    async def tick(*, next_timer: float, count: int) -> None:
        assert next_timer == pytest.approx(clock.now)
        seen.append(round(clock.now - 100.0, 3))
        if count == slow:
            clock.now += 1.4
        if len(seen) == 5:
            raise EventTargetGone

    timer._tick = tick  # type: ignore[method-assign]
    if pause:
        task = asyncio.ensure_future(run(timer))
        await asyncio.sleep(0)
        clock.now += 10.0  # paused: no tick however long it waits
        assert not seen
        timer.resume()
        await task
    else:
        await run(timer)
    return seen


def test_every_compat_app_runs_its_timers_on_slots() -> None:
    Shown()
    assert Timer._run is run_on_slots


async def test_skipping_timer_ticks_on_the_first_slot_after_a_slow_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``Timer._run``: after the second tick takes 1.4 s (ending at 3.4 s), the
    next tick is at 4 s, the first slot still ahead."""
    assert await tick_times(monkeypatch, run_on_slots, slow=2) == [1, 2, 4, 5, 6]


async def test_textual_timers_still_wait_a_slot_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's own loop, for the same timer, waits for 5 s. When this fails,
    Textual has fixed it: remove ``keep_skipping_timers_on_time``."""
    assert await tick_times(monkeypatch, TEXTUAL_TIMER_RUN, slow=2) == [1, 2, 5, 6, 7]


@pytest.mark.parametrize(("repeat", "pause"), [(None, False), (0, False), (2, False), (None, True)])
async def test_timer_loop_keeps_textuals_ticks_when_none_is_late(
    monkeypatch: pytest.MonkeyPatch, repeat: int | None, pause: bool
) -> None:
    """Repeats, a paused start and on-time ticks are Textual's, tick for tick."""
    ours = await tick_times(monkeypatch, run_on_slots, repeat=repeat, pause=pause)
    textuals = await tick_times(monkeypatch, TEXTUAL_TIMER_RUN, repeat=repeat, pause=pause)
    assert ours == textuals
    assert len(ours) == (5 if repeat is None else repeat + 1)
