"""The LeadPing API: typed models, the condition rule, errors and the client.

Importing this package stays cheap: the httpx client lives in
``leadping_tui.api.client`` and is imported only where requests are made.
"""

from __future__ import annotations

from leadping_tui.api.condition import Assessment, Condition, assess
from leadping_tui.api.models import PhoneNumberStatus
from leadping_tui.api.query import StatusQuery

__all__ = ["Assessment", "Condition", "PhoneNumberStatus", "StatusQuery", "assess"]
