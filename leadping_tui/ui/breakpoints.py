"""A screen's breakpoint classes, known before it is mounted.

Textual adds the ``HORIZONTAL_BREAKPOINTS``/``VERTICAL_BREAKPOINTS`` classes
(``-wide``, ``-tall``, ...) when the screen gets its first Resize, after
mounting: a class change on the screen restyles every widget on it again (64
style applications for the dashboard, a tenth of its start-up's CSS work).
A screen built with the classes it is about to get changes nothing then.

Textual also restyles a pushed screen's every widget on its first
ScreenResume, a moment after they were styled as they mounted:
:class:`StyledAtMount` skips that one restyle.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen


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
    """Mixin for a screen: its first ScreenResume does not restyle it.

    Its handler runs before Textual's (the subclass's comes first in the
    MRO) and turns off ``refresh_styles`` for the resume that follows the
    push; later resumes (after a screen above it closes) restyle as usual.
    Build the screen with :func:`breakpoint_classes`, or its first Resize
    restyles it anyway.
    """

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
