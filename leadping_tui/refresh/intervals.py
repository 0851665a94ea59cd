"""How often the selected number is refreshed, and the steps `+`/`-` move through."""

from __future__ import annotations

MIN_REFRESH = 5.0
"""The shortest interval anyone may ask for (the API quota is shared)."""
MAX_REFRESH = 3600.0
STEPS = (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


def shortest_interval(
    requests_per_minute: int, background_numbers: int, background_interval: float
) -> float:
    """The shortest foreground interval the request budget can keep up with.

    The background polls of the other numbers take their share of the
    budget first; the selected number gets what is left (at least one
    request a minute).
    """
    left = requests_per_minute - background_numbers * 60.0 / background_interval
    return max(MIN_REFRESH, 60.0 / max(left, 1.0))


def step_interval(current: float, direction: int, shortest: float) -> float:
    """The next preset interval up (+1) or down (-1), kept within ``shortest``..MAX."""
    steps = [step for step in STEPS if step >= shortest]
    if not steps or steps[0] > shortest:
        steps.insert(0, shortest)
    if direction > 0:
        chosen = next((step for step in steps if step > current), steps[-1])
    else:
        chosen = next((step for step in reversed(steps) if step < current), steps[0])
    return min(max(chosen, shortest), MAX_REFRESH)


def describe_interval(seconds: float) -> str:
    """``every 30 s``, ``every 2 min``."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"every {seconds / 60:g} min"
    return f"every {seconds:g} s"
