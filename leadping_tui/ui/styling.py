"""How a condition looks: a symbol and a word always, colour as a bonus.

Colours come from the theme through CSS classes and component classes styled
in ``styles.tcss`` (``$success``, ``$warning``, ``$error``), never from hex
values in code.  Widgets that colour text declare :data:`CONDITION_COMPONENTS`
in their ``COMPONENT_CLASSES`` and look styles up with
``get_component_rich_style``.
"""

from __future__ import annotations

from leadping_tui.api.condition import Condition

#: Component class per condition, e.g. ``condition--warning``.
CONDITION_COMPONENT: dict[Condition, str] = {
    condition: f"condition--{condition.value}" for condition in Condition
}
CONDITION_COMPONENTS: frozenset[str] = frozenset(CONDITION_COMPONENT.values())

#: CSS class for a whole widget in a condition, e.g. ``-warning``.
CONDITION_CLASS: dict[Condition, str] = {
    condition: f"-{condition.value}" for condition in Condition
}


def condition_badge(condition: Condition) -> str:
    """``✓ OK``, ``! WARN``, ``✗ CRIT`` or ``? UNKN``: readable without colour."""
    return f"{condition.symbol} {condition.word}"
