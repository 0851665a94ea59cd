"""What the simulator answers, as pure functions from a request to a :class:`Reply`.

Sockets, sleeping and fault delivery live in ``handler.py``; this module only
decides status codes and bodies.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import unquote

from leadping_tui.simulator.faults import Fault, FaultRegistry
from leadping_tui.simulator.payloads import SHAPES, Huge, World, render
from leadping_tui.simulator.phone import NOT_FOUND_NUMBER, is_valid_number
from leadping_tui.simulator.problems import Reply, json_reply, problem
from leadping_tui.simulator.recording import RecordedRequest
from leadping_tui.simulator.window import WindowError, parse_window

API_PATH = re.compile(r"/phone-numbers/([^/]+)/(status|warmup)/?")
CONTROL_PREFIX = "/_sim"
_BEARER = re.compile(r"Bearer[ \t]+(\S.*)", re.IGNORECASE)


def is_authorized(authorization: str | None) -> bool:
    """Any non-empty bearer token is accepted."""
    return authorization is not None and _BEARER.fullmatch(authorization.strip()) is not None


def match_api(path: str) -> tuple[str, str] | None:
    """``(decoded number, endpoint)`` for a status/warmup path, else None."""
    m = API_PATH.fullmatch(path)
    if m is None:
        return None
    return unquote(m[1]), m[2]


def status_reply(
    world: World,
    shape: str,
    *,
    method: str,
    path: str,
    number: str,
    query: dict[str, str],
    authorization: str | None,
    now: datetime,
    huge: Huge | None = None,
) -> Reply:
    """The answer to a request on ``/phone-numbers/{number}/status`` (or ``/warmup``)."""
    trace = f"{method} {path} {sorted(query.items())} {now.isoformat()}"
    if method != "GET":
        return problem(
            405,
            path,
            detail=f"{method} is not allowed here; use GET.",
            trace=trace,
            headers=(("Allow", "GET"),),
        )
    if not is_authorized(authorization):
        return problem(401, path, trace=trace)
    if not is_valid_number(number):
        return problem(
            400,
            path,
            title="One or more validation errors occurred.",
            detail=f"'{number}' is not a valid E.164 phone number.",
            errors={"phoneNumber": [f"'{number}' is not a valid E.164 phone number."]},
            trace=trace,
        )
    if number == NOT_FOUND_NUMBER:
        return problem(
            404,
            path,
            detail=f"Phone number {number} was not found in your organization.",
            trace=trace,
        )
    try:
        window = parse_window(query, now)
    except WindowError as exc:
        return problem(
            400,
            path,
            title="One or more validation errors occurred.",
            detail="See the errors property for details.",
            errors=exc.errors,
            trace=trace,
        )
    return json_reply(200, render(world.timeline(number), now, window, shape, huge))


def not_found_reply(method: str, path: str, now: datetime) -> Reply:
    """The answer to a path the API does not have."""
    return problem(404, path, detail=f"No endpoint matches {method} {path}.", trace=now.isoformat())


class ControlTarget(Protocol):
    """What the control endpoints act on (the running simulator)."""

    faults: FaultRegistry

    @property
    def shape(self) -> str: ...

    @shape.setter
    def shape(self, value: str) -> None: ...

    @property
    def requests(self) -> list[RecordedRequest]: ...

    def clear_requests(self) -> None: ...


def _body_json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the body is not valid JSON: {exc}") from exc


def _query_number(query: dict[str, str]) -> str | None:
    number = query.get("number")
    if number and number.startswith(" "):
        # An unencoded "+" in a query string arrives as a space.
        number = "+" + number[1:]
    return number or None


def control_reply(
    target: ControlTarget, method: str, path: str, query: dict[str, str], body: bytes
) -> Reply:
    """The answer to a ``/_sim/...`` control request (no auth needed)."""
    route = path.rstrip("/")
    try:
        if route == CONTROL_PREFIX and method == "GET":
            return json_reply(200, {"ok": True, "shape": target.shape, "shapes": list(SHAPES)})
        if route == f"{CONTROL_PREFIX}/faults":
            if method == "GET":
                return json_reply(200, {"faults": target.faults.snapshot()})
            if method == "POST":
                data = _body_json(body)
                if not isinstance(data, dict) or "fault" not in data:
                    raise ValueError('expected {"number": "+1..." or null, "fault": {...}}')
                number = data.get("number")
                if number is not None and not isinstance(number, str):
                    raise ValueError("number must be a string or null")
                fault = Fault.from_dict(data["fault"])
                target.faults.set(fault, number)
                return json_reply(200, {"ok": True, "number": number, "fault": fault.to_dict()})
            if method == "DELETE":
                number = _query_number(query)
                target.faults.clear(number)
                return json_reply(200, {"ok": True, "cleared": number})
        if route == f"{CONTROL_PREFIX}/requests":
            if method == "GET":
                items = target.requests
                limit = query.get("limit")
                if limit is not None:
                    items = items[-max(0, int(limit)) :] if int(limit) else []
                return json_reply(200, {"requests": [r.to_dict() for r in items]})
            if method == "DELETE":
                target.clear_requests()
                return json_reply(200, {"ok": True})
        if route == f"{CONTROL_PREFIX}/shape":
            if method == "GET":
                return json_reply(200, {"shape": target.shape})
            if method == "POST":
                data = _body_json(body)
                shape = data.get("shape") if isinstance(data, dict) else None
                if not isinstance(shape, str):
                    raise ValueError('expected {"shape": "seed" | "sdk"}')
                target.shape = shape
                return json_reply(200, {"ok": True, "shape": target.shape})
    except (ValueError, TypeError) as exc:
        return problem(400, path, detail=str(exc))
    return problem(404, path, detail=f"No control endpoint matches {method} {path}.")
