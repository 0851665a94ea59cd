"""The simulated organisation and its listing, ``POST /phone-numbers/all/organization``.

The organisation is the six documented demo numbers, then generated numbers
up to the fleet size, mixed across the warmup scenarios the way a real
organisation's list is. Each listing row is drawn from the same
:func:`~leadping_tui.simulator.state.state_at` as that number's status, at
the same moment, so a row always agrees with its status and both move with
the clock.

Paging is a real cursor: the ``continuationToken`` is opaque, names the offset
and the search it belongs to, and is refused when it does not match.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from leadping_tui.simulator.payloads import World
from leadping_tui.simulator.phone import location_of
from leadping_tui.simulator.problems import Reply, json_reply, problem
from leadping_tui.simulator.scenarios import DEMO_NUMBERS, Kind
from leadping_tui.simulator.state import state_at

LISTING_PATH = "/phone-numbers/all/organization"
LISTING_FAULT_KEY = "organization"
"""Faults set for this key (and only those) apply to listing requests."""
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
DEFAULT_FLEET = len(DEMO_NUMBERS)
DEMO_FLEET = 40
MAX_FLEET = 20_000
ORGANIZATION = "Simulated Warmup Co"
ORGANIZATION_ID = "00000000-0000-4000-8000-00000000c0de"
_AREAS = ("202", "212", "305", "312", "415", "512", "617", "702", "713", "206", "303", "404")
_DEMO_NAMES = ("Main line", "Support", "Sales East", "Sales West", "Billing", "New line")


def fleet_numbers(size: int) -> list[str]:
    """The organisation's numbers: the demo numbers first, then generated ones."""
    size = max(0, min(size, MAX_FLEET))
    numbers = [demo.number for demo in DEMO_NUMBERS][:size]
    for index in range(size - len(numbers)):
        area = _AREAS[index % len(_AREAS)]
        numbers.append(f"+1{area}555{2000 + index // len(_AREAS):04d}")
    return numbers


def _name(index: int) -> str:
    return _DEMO_NAMES[index] if index < len(_DEMO_NAMES) else f"Campaign line {index + 1:04d}"


_CALL_STAGES = ("Stage 0", "Stage 1", "Stage 2", "Stage 3", "Stage 4")


def listing_row(world: World, number: str, index: int, now: datetime) -> dict[str, Any]:
    """The listing row of ``number`` at ``now``, as the SDK types it."""
    profile = world.timeline(number).profile
    state = state_at(profile, now)
    ready = state.phase is Kind.READY
    stage = _CALL_STAGES[min(4, state.progress // 25)]
    return {
        "id": profile.phone_number_id,
        "number": number,
        "name": _name(index),
        "location": location_of(number).location,
        "type": "Local",
        "enabled": state.phase is not Kind.BLOCKED,
        "isDemo": False,
        "ownership": "Organization",
        "organization": ORGANIZATION,
        "organizationId": ORGANIZATION_ID,
        "routingSummary": "Round robin to 3 agents",
        "smsReady": ready,
        "voiceReady": ready or state.progress >= 50,
        "tenDlcCampaignStatus": "Pending" if state.phase is Kind.NOT_STARTED else "Approved",
        "warmup": {
            "state": state.status,
            "healthStatus": state.health_status,
            "healthScore": state.score,
            "progressPercent": state.progress,
            "enabled": state.warmup_enabled,
            "callStage": stage,
        },
    }


class _BadRequest(ValueError):
    pass


def _token(offset: int, search: str) -> str:
    text = json.dumps({"o": offset, "s": search}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _offset(token: str, search: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise _BadRequest("The continuation token is not valid.") from None
    if not isinstance(data, dict) or data.get("s") != search or not isinstance(data.get("o"), int):
        raise _BadRequest("The continuation token does not belong to this query.")
    return max(0, int(data["o"]))


def _options(body: bytes) -> tuple[int, int, bool, str]:
    """``(offset, page size, include count, search)`` from a ``RequestDataOptions`` body."""
    try:
        data = json.loads(body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _BadRequest("The request body is not valid JSON.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _BadRequest("The request body must be a JSON object (RequestDataOptions).")
    size = data.get("pageSize")
    if size is None:
        size = DEFAULT_PAGE_SIZE
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise _BadRequest("'pageSize' must be a positive integer.")
    search = data.get("search") or ""
    if not isinstance(search, str):
        raise _BadRequest("'search' must be a string.")
    token = data.get("continuationToken")
    if token is not None and not isinstance(token, str):
        raise _BadRequest("'continuationToken' must be a string.")
    offset = _offset(token, search) if token else 0
    return offset, min(size, MAX_PAGE_SIZE), bool(data.get("includeCount")), search


def listing_reply(
    world: World,
    numbers: list[str],
    *,
    path: str,
    body: bytes,
    authorized: bool,
    now: datetime,
    method: str = "POST",
) -> Reply:
    """The answer to a request on the listing path."""
    trace = f"{method} {path} {now.isoformat()}"
    if method != "POST":
        return problem(
            405,
            path,
            detail=f"{method} is not allowed here; use POST.",
            trace=trace,
            headers=(("Allow", "POST"),),
        )
    if not authorized:
        return problem(401, path, trace=trace)
    try:
        offset, size, include_count, search = _options(body)
    except _BadRequest as exc:
        return problem(
            400, path, title="One or more validation errors occurred.", detail=str(exc), trace=trace
        )
    indexed = list(enumerate(numbers))
    if search:
        needle = search.casefold()
        indexed = [
            (i, n)
            for i, n in indexed
            if needle in n.casefold()
            or needle in _name(i).casefold()
            or needle in (location_of(n).location or "").casefold()
        ]
    chunk = indexed[offset : offset + size]
    following = offset + size
    page: dict[str, Any] = {
        "items": [listing_row(world, n, i, now) for i, n in chunk],
        "continuationToken": _token(following, search) if following < len(indexed) else None,
        "pageSize": size,
    }
    if include_count:
        page["totalCount"] = len(indexed)
    return json_reply(200, page)
