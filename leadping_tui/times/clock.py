"""The app's one reading of wall-clock time.

Everything that shows or stamps "now" calls :func:`now_utc` through this
module (``from leadping_tui.times import clock`` then ``clock.now_utc()``), so
snapshot tests and the screenshot generator can freeze time by replacing
this one attribute instead of patching ``datetime`` in every module.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)
