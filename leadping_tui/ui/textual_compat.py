"""Every use of a Textual internal, in one place, with the reason for each.

Textual (8.x) has no public API for the things below. Nothing else in the
package or its tests touches a Textual private name; ``tests/test_textual_compat.py``
checks each one, so a Textual upgrade that moves one fails there, by name,
instead of somewhere far away.

``App._driver``
    :meth:`CompatApp.write_escape` writes our own escape sequences (OSC 52
    wrapped for tmux, OSC 9/777 desktop notices). Textual only writes a bare
    OSC 52, which tmux swallows.
``App._clipboard``
    :meth:`CompatApp.remember_clipboard`: the app replaces
    ``App.copy_to_clipboard`` (for tmux), and the public, read-only
    ``App.clipboard`` must still show what was copied.
``App._fatal_error``, ``App._exit_renderables``, ``App._close_messages_no_wait``
    the hook Textual calls for an unexpected exception. Textual's prints the
    traceback with local variables, which can hold a request's headers;
    :class:`CompatApp` prints :meth:`CompatApp.crash_report` instead.
``OptionList._option_render_cache``, ``Option._set_prompt``
    :func:`repaint_option`: one sidebar row changes without dropping every
    cached row; ``replace_option_prompt_at_index`` repaints the whole list,
    which made the sidebar most of what an idle dashboard wrote to the terminal.
``OptionList._index_to_line``, ``OptionList._heights``
    :func:`repaint_option_lines`: a highlight move repaints the two rows it
    changed; Textual's ``highlighted`` repaints the whole list (with 1,000
    numbers, a third of a sidebar key's frame).
``Screen._compositor``, ``App._background_screens``
    :func:`screen_lines` and :func:`screen_strips`: what the terminal shows,
    as text and as styled segments (the same update ``App.export_screenshot``
    renders as SVG), for screenshots' checks and tests.
``textual.widgets._footer.FooterKey``
    :class:`~leadping_tui.ui.widgets.quiet_footer.QuietFooter` sets each key's
    ``compact`` before it mounts (Textual flips its class twice otherwise); the
    key widget is not exported.
``textual._styles_cache.StylesCache.get_inner_outer``
    :func:`release_style_caches`: an ``lru_cache`` on an instance method, so
    it keeps up to 1,024 widgets' style caches (and every line each one
    cached) alive after the widgets are gone. A dialog closed, or a test's
    app that ended, is released at once instead of lingering (in the test
    suite the lingering lines made every full garbage collection scan
    ~200,000 more objects).
``Stylesheet._parse_rules``, ``Stylesheet._variables``
    :func:`share_parsed_css`: each app parses every CSS source (its own and
    each widget's default CSS) again, ~25 ms of a start. One app per process
    never notices; the test suite builds an app per test, so it parses each
    source once per process and theme instead.
``textual._wait.SLEEP_GRANULARITY``, ``textual._wait.SLEEP_IDLE``
    :func:`shorten_pilot_idle_wait`, a flake finder for the test suite (off
    unless asked for): Pilot's ``press`` and ``pause`` wait until a 20 ms
    sleep passes with under 1 ms of CPU. A test that trusts that wait to
    have finished some work, instead of waiting for a condition, passes on
    a quiet machine and fails on a busy one; with a shorter step it fails
    far more often, on any machine.
``Timer._run`` and ``_interval``, ``_repeat``, ``_skip``, ``_active``, ``_reset``, ``_tick``
    (with ``textual._time``): :func:`keep_skipping_timers_on_time`. After a
    tick that ended past the next slot, Textual 8's skipping timers wait for
    the second slot still ahead, not the first. The screen refresh is such a
    timer (60 a second), so a frame that took longer than 17 ms (a status
    drawn as it lands) held the next frame back up to 33 ms, and a key
    pressed just then waited for it: with 1,000 numbers, the sidebar's worst
    down key fell from ~45 ms to ~32 ms with this fix.
``Screen._layout_required`` and its other dirty flags
    (``_scroll_required``, ``_repaint_required``, ``_recompose_required``,
    ``_dirty_widgets``), ``Screen._callbacks``: :func:`frame_pending`, for the
    tests: whether the screen has changes its refresh timer has not drawn yet,
    or ``call_after_refresh`` callbacks waiting for that draw. A test that
    reads the screen (or waits for an effect that follows a draw) waits for
    that, not for a pause that happens to be longer than a frame: at
    ``TEXTUAL_FPS=5`` several did not.
``App._display``, ``Screen._on_timer_update``, ``App._notifications``
    for the benchmarks only: :func:`on_frame` times each frame handed to the
    driver, :func:`paint_now` draws pending changes at once instead of on
    Textual's refresh timer (what Pilot does too), and
    :func:`live_notification_count` counts the notices Textual still keeps.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Console
from rich.text import Text
from textual import _time
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import EventTargetGone, Timer
from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

__all__ = [
    "CompatApp",
    "FooterKey",
    "frame_pending",
    "keep_skipping_timers_on_time",
    "live_notification_count",
    "next_slot",
    "on_frame",
    "paint_now",
    "release_style_caches",
    "repaint_option",
    "run_on_slots",
    "screen_lines",
    "screen_strips",
    "share_parsed_css",
    "shorten_pilot_idle_wait",
]


class CompatApp(App[int]):
    """An :class:`App` with the terminal access leadping-tui needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        keep_skipping_timers_on_time()
        super().__init__(*args, **kwargs)

    def write_escape(self, sequence: str) -> None:
        """Send an escape sequence (already wrapped for tmux) to the terminal."""
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(sequence)

    def remember_clipboard(self, text: str) -> None:
        """What :attr:`App.clipboard` returns from now on (the text the app copied)."""
        self._clipboard = text

    def crash_report(self) -> str:
        """The text printed when the app stops on an unexpected exception.

        Called while the exception is being handled (``traceback.format_exc()``
        works). Subclasses say what happened, without secrets.
        """
        import traceback

        return traceback.format_exc()

    def _fatal_error(self) -> None:
        self.bell()
        self._exit_renderables.append(Text(self.crash_report()))
        self._close_messages_no_wait()


def repaint_option(option_list: OptionList, index: int, prompt: VisualType) -> bool:
    """Replace one option's prompt and repaint only its lines; False if Textual cannot.

    The prompt must take as many lines as the one it replaces (the line map is
    kept). On False the caller falls back to ``replace_option_prompt_at_index``,
    which is right but repaints all.  Uses ``OptionList._option_render_cache``,
    ``_index_to_line``, ``_heights`` and ``Option._set_prompt``.
    """
    option = option_list.get_option_at_index(index)
    cache: Any = getattr(option_list, "_option_render_cache", None)
    lines: Any = getattr(option_list, "_index_to_line", None)
    heights: Any = getattr(option_list, "_heights", None)
    if cache is None or lines is None or heights is None or not hasattr(option, "_set_prompt"):
        return False
    option._set_prompt(prompt)
    for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 (no __iter__)
        cache.discard(key)
    y = lines.get(index, index) - round(option_list.scroll_offset.y)
    height = heights.get(index, 1)
    if y + height > 0 and y < option_list.scrollable_content_region.height:
        option_list.refresh(Region(0, y, option_list.size.width, height))
    return True


def repaint_option_lines(option_list: OptionList, indexes: Iterable[int]) -> bool:
    """Repaint only the lines of the options at ``indexes``; False if Textual cannot.

    Uses ``OptionList._index_to_line`` and ``_heights`` (the line map). On
    False the caller repaints the whole list.
    """
    lines: Any = getattr(option_list, "_index_to_line", None)
    heights: Any = getattr(option_list, "_heights", None)
    if lines is None or heights is None:
        return False
    top = round(option_list.scroll_offset.y)
    visible = option_list.scrollable_content_region.height
    width = option_list.size.width
    for index in indexes:
        y = lines.get(index)
        if y is None:
            continue
        y -= top
        height = heights.get(index, 1)
        if y + height > 0 and y < visible:
            option_list.refresh(Region(0, y, width, height))
    return True


def release_style_caches() -> None:
    """Let go of the style caches of widgets that are gone (see the module docstring).

    Cheap: the cached values are two ``Style`` objects a live widget makes
    again on its next paint.
    """
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


def share_parsed_css(limit: int = 2048) -> None:
    """From now on, every app in this process shares what its stylesheet parsed.

    Rules are parsed with the stylesheet's variables (the theme's colours), so
    they are shared only between stylesheets whose variables are the same.
    Textual does not change a rule set once it is parsed. At most ``limit``
    parses are kept; past that the shared store starts again empty.
    """
    from textual.css.model import RuleSet
    from textual.css.stylesheet import Stylesheet

    if getattr(Stylesheet._parse_rules, "shared", False):
        return
    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], list[RuleSet]] = {}

    def shared_parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = parsed.get(key)
        if rules is None:
            rules = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(parsed) >= limit:
                parsed.clear()
            parsed[key] = rules
        return rules

    shared_parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = shared_parse_rules  # type: ignore[method-assign]


def shorten_pilot_idle_wait(step: float) -> None:
    """Make Pilot's idle wait sleep ``step`` s at a time, idle under a twentieth of it."""
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = step
    wait.SLEEP_IDLE = step / 20


def screen_strips(app: App[Any]) -> list[Strip]:
    """The current screen's rendered lines, with styles (the top screen only)."""
    return list(app.screen._compositor.render_strips())


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows, row by row, as plain text (modal screens over their background)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False).rstrip("\n").split("\n")


def on_frame(app: App[Any], callback: Callable[[], None]) -> None:
    """Call ``callback`` each time ``app`` hands a rendered frame to its driver.

    Headless apps (``run_test``) render frames too; the driver then drops them.
    """
    original = app._display

    def display(screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            callback()
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]


def paint_now(screen: Screen[Any]) -> None:
    """Lay out and draw ``screen``'s pending changes now, not on the refresh timer."""
    screen._on_timer_update()


def frame_pending(screen: Screen[Any]) -> bool:
    """Whether ``screen`` has changes its refresh timer has not drawn yet, or
    ``call_after_refresh`` callbacks waiting for that draw.

    The flags the screen's idle handler checks before it resumes that timer.

    A widget's own refresh reaches its screen when the widget is next idle:
    let the app run (``pilot.pause``) before asking.
    """
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    )


def live_notification_count(app: App[Any]) -> int:
    """How many notices ``app`` still holds (shown, or not yet timed out)."""
    return len(app._notifications)


def next_slot(origin: float, interval: float, ticks: int, now: float, skip: bool) -> int:
    """The slot a timer that started at ``origin`` and has had ``ticks`` ticks waits for.

    Slot ``n`` is due at ``origin + n * interval``. A skipping timer that is
    already past the next one waits for the first slot still ahead of ``now``.
    """
    wanted = ticks + 1
    if skip and origin + wanted * interval < now:
        wanted = int((now - origin) // interval) + 1
    return wanted


async def run_on_slots(timer: Timer) -> None:
    """Textual's timer loop (start when active, tick on each slot, wait while
    paused, restart on reset), with :func:`next_slot` choosing the slot."""
    await timer._active.wait()
    origin = _time.get_time()
    ticks = 0
    while True:
        slot = next_slot(origin, timer._interval, ticks, _time.get_time(), timer._skip)
        if timer._repeat is not None and slot - 1 > timer._repeat:
            return  # skipped slots count towards the repeats, as in Textual
        due = origin + slot * timer._interval
        await _time.sleep(max(0.0, due - _time.get_time()))
        ticks = slot
        await timer._active.wait()
        if timer._reset:
            origin, ticks, timer._reset = _time.get_time(), 0, False
            continue
        try:
            await timer._tick(next_timer=due, count=ticks)
        except EventTargetGone:
            return


#: Textual's own loop, kept for the test that shows it still needs the fix.
TEXTUAL_TIMER_RUN = Timer._run


def keep_skipping_timers_on_time() -> None:
    """Run every Textual timer on :func:`run_on_slots` (every :class:`CompatApp` does)."""
    Timer._run = run_on_slots  # type: ignore[method-assign,assignment]
