"""The baseline: the smallest Textual app that paints one static label.

Run as ``python -m benchmarks.baseline_app``.  Every figure that needs a
"what does Textual itself cost" comparison starts this, in the same run and
the same kind of terminal as the dashboard.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

MARKER = "baseline ready"


class BaselineApp(App[None]):
    """One label, nothing else: no timers, no workers, no I/O."""

    def compose(self) -> ComposeResult:
        yield Label(MARKER)


def main() -> None:
    BaselineApp().run()


if __name__ == "__main__":
    main()
