"""The high-contrast theme, added to Textual's built-in ones.

A theme is the one place where concrete colours are named; everything else
refers to them through variables such as ``$success``.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="leadping-high-contrast",
    primary="yellow",
    secondary="cyan",
    accent="magenta",
    warning="yellow",
    error="red",
    success="lime",
    foreground="white",
    background="black",
    surface="black",
    panel="black",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)
