"""Request budget, backoff and poll scheduling: pure logic, no I/O, no Textual."""

from __future__ import annotations

from leadping_tui.refresh.backoff import BackoffPolicy
from leadping_tui.refresh.budget import Priority, TokenBucket
from leadping_tui.refresh.scheduler import NumberState, PollScheduler, Request

__all__ = [
    "BackoffPolicy",
    "NumberState",
    "PollScheduler",
    "Priority",
    "Request",
    "TokenBucket",
]
