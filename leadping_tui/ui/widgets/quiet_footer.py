"""Textual's Footer without the style work that does not change what it shows.

Textual's Footer recomposes (every key widget unmounted and mounted again)
each time a screen's bindings may have changed: a focus move, a dialog
closing, a tab mounting.  At start-up that was three recomposes before the
first status, with nothing different to show.  And each key is built with
``compact=True`` and bound to the footer's ``False``: every key gets the
``-compact`` class at mount and loses it right after, restyling itself twice.
Together about 300 of the dashboard's ~650 style applications at start-up.

This footer recomposes only when the keys it would show differ from the ones
it shows, and builds each key with the ``compact`` value it would end up with.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from leadping_tui.ui.textual_compat import FooterKey


class QuietFooter(Footer):
    """A :class:`~textual.widgets.Footer` that restyles and recomposes only for a change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: Hashable | None = None

    def _keys(self, screen: Screen[Any]) -> Hashable:
        """What :meth:`Footer.compose` draws from: the shown bindings and the options."""
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            tuple(
                (
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                    binding.group,
                    binding.tooltip,
                )
                for _node, binding, enabled, tooltip in screen.active_bindings.values()
                if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> ComposeResult:
        shown = False
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The value it would end with, set before mount: its watcher
                # does not run, no class flips.  The command palette's key is
                # not bound to the footer and stays compact (its default).
                compact = widget.has_class("-command-palette") or self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            shown = True
            yield widget
        self._shown = self._keys(self.screen) if shown else None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        same_screen = screen is self.screen and self.is_attached
        if self._shown is not None and same_screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)
