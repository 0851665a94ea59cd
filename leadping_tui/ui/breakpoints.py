"""A screen's breakpoint classes, known before it is mounted.

Textual adds the ``HORIZONTAL_BREAKPOINTS``/``VERTICAL_BREAKPOINTS`` classes
(``-wide``, ``-tall``, ...) when the screen gets its first Resize, after
mounting: a class change on the screen restyles every widget on it again (64
style applications for the dashboard, a tenth of its start-up's CSS work).
A screen built with the classes it is about to get changes nothing then.

Textual also restyles a pushed screen's every widget on its first
ScreenResume, a moment after they were styled as they mounted.
:class:`StyledAtMount` gives a screen its classes before its children mount
and skips that one restyle.
"""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.app import App
from textual.screen import Screen

from leadping_tui.ui.textual_compat import release_style_caches


def _pick(dimension: int, breakpoints: list[tuple[int, str]] | None) -> list[str]:
    """The class of the widest breakpoint ``dimension`` reaches (as Textual picks it)."""
    for threshold, class_name in sorted(breakpoints or [], reverse=True):
        if dimension >= threshold:
            return [class_name]
    return []


def breakpoint_classes(screen_type: type[Screen[Any]], app: App[Any]) -> str:
    """The breakpoint classes a ``screen_type`` screen will get at ``app``'s current size."""
    horizontal = screen_type.HORIZONTAL_BREAKPOINTS
    vertical = screen_type.VERTICAL_BREAKPOINTS
    width, height = app.size
    return " ".join(
        _pick(width, app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal)
        + _pick(height, app.VERTICAL_BREAKPOINTS if vertical is None else vertical)
    )


class StyledAtMount:
    """Mixin for a screen: styled once as it mounts, not again right after.

    Its handlers run before Textual's (a subclass's come first in the MRO).
    On Compose, before any child is mounted, the screen takes the breakpoint
    classes of the current size: restyling the screen alone then is cheap,
    and its first Resize changes nothing.  On the first ScreenResume, which
    follows the push, ``refresh_styles`` is turned off: every widget was
    styled as it mounted a moment before.  Later resumes (after a screen
    above it closes) restyle as usual, and let go of the closed screen's
    style caches (:func:`~leadping_tui.ui.textual_compat.release_style_caches`).
    """

    _resumed = False

    def on_compose(self, _event: events.Compose) -> None:
        screen = cast("Screen[Any]", self)
        names = breakpoint_classes(type(screen), screen.app).split()
        every = _names(screen.app.HORIZONTAL_BREAKPOINTS) | _names(screen.app.VERTICAL_BREAKPOINTS)
        every |= _names(screen.HORIZONTAL_BREAKPOINTS) | _names(screen.VERTICAL_BREAKPOINTS)
        screen.update_classes({name: name in names for name in every})

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        else:
            release_style_caches()


def _names(breakpoints: list[tuple[int, str]] | None) -> set[str]:
    return {name for _, name in breakpoints or []}
