"""The LeadPing API: typed models, the condition rule, errors and the client.

Importing this package costs nothing: the models (pydantic) load when a name
below is first used, and the httpx client lives in ``leadping_tui.api.client``,
imported only where requests are made.  The first status request is sent
(``leadping_tui.api.early``) before either is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leadping_tui.api.condition import Assessment, Condition, assess
    from leadping_tui.api.models import PhoneNumberStatus
    from leadping_tui.api.query import StatusQuery

__all__ = ["Assessment", "Condition", "PhoneNumberStatus", "StatusQuery", "assess"]

_HOMES = {
    "Assessment": "condition",
    "Condition": "condition",
    "assess": "condition",
    "PhoneNumberStatus": "models",
    "StatusQuery": "query",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
