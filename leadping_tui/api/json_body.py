"""JSON bodies read safely, and a status body turned into a :class:`PhoneNumberStatus`.

Parsing survives hostile input (deep nesting, huge integers), and a key the
server echoes back is masked before anything keeps the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from itertools import chain, compress, repeat
from typing import Any

from pydantic import ValidationError

from leadping_tui.api import errors
from leadping_tui.api.models import KNOWN_TOP_LEVEL_KEYS, PhoneNumberStatus
from leadping_tui.logs.redact import mask_secret

# Legitimate statuses nest four or five levels; deeper is an attack on the
# parser or on whatever later walks the tree (raw view, exports).
MAX_JSON_DEPTH = 64
_CONTAINERS = (dict, list)
#: A JSON escape of an ASCII character, e.g. ``\u005f``.
_ASCII_ESCAPE = re.compile(r"\\u00[0-7][0-9a-fA-F]")


def _big_int(text: str) -> int | str:
    # Python refuses to turn more than 4,300 digits into an int (a DoS guard);
    # keep the digits as text, which the models read as "unknown".
    try:
        return int(text)
    except ValueError:
        return text


def _each_object(value: dict[str, Any]) -> dict[str, Any]:
    # A Python call per JSON object: a point where this thread lets another
    # take the GIL. Without one, json.loads holds it for the whole body (50 ms
    # or more for 20,000 events), and the event loop, which parses big bodies
    # in a thread so that keys are still handled, stood still meanwhile.
    return value


def loads_bounded(text: str | bytes) -> Any:
    """``json.loads`` that never raises RecursionError and survives huge integers.

    Raises ValueError (with a reason) for text that is not JSON or that nests
    deeper than :data:`MAX_JSON_DEPTH`.
    """
    try:
        value = json.loads(text, parse_int=_big_int, object_hook=_each_object)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if _too_deep(value, MAX_JSON_DEPTH):
        raise ValueError("JSON nested too deeply")
    return value


def _too_deep(value: Any, limit: int) -> bool:
    # Level by level, each level's children gathered and sorted out by
    # C-level iterators, with no Python step per node or per value (20,000
    # events of ten fields: ~30 ms, a quarter of visiting every value in
    # Python). The GIL is held for one level at a time, ~10 ms at most here.
    level: list[Any] = [value] if isinstance(value, _CONTAINERS) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        objects: Iterator[Any] = compress(level, map(isinstance, level, repeat(dict)))
        arrays = compress(level, map(isinstance, level, repeat(list)))
        children = [*chain.from_iterable(map(dict.values, objects)), *chain.from_iterable(arrays)]
        level = list(compress(children, map(isinstance, children, repeat(_CONTAINERS))))
    return False


def _decode_json(headers: Mapping[str, str], body: bytes, secret: str = "") -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
        if secret and secret in text:
            # A server that echoes the key must not get it into the status,
            # the raw view, exports, history or screenshots.
            text = text.replace(secret, mask_secret(secret))
        data = loads_bounded(text)
    except UnicodeDecodeError:
        data = None
        reason = "not JSON"
    except ValueError as exc:
        data = None
        reason = "nested too deeply" if "deeply" in str(exc) else "not JSON"
    else:
        reason = ""
    if reason:
        kind = headers.get("Content-Type", "unknown type").split(";")[0]
        if reason == "nested too deeply":
            raise errors.BadResponse(
                f"The API answered with JSON nested more than {MAX_JSON_DEPTH} levels deep."
            )
        raise errors.BadResponse(f"The API answered with something that is not JSON ({kind}).")
    if not isinstance(data, dict):
        raise errors.BadResponse(
            f"The API answered with a JSON {type(data).__name__}, not a status object."
        )
    if secret and _may_spell(text, secret):
        masked: dict[str, Any] = _mask_in_strings(data, secret)
        return masked
    return data


def _may_spell(text: str, secret: str) -> bool:
    """Whether JSON escapes in ``text`` could spell ``secret``.

    A key is ASCII (no header could carry it otherwise), so only an escaped
    ASCII character can be part of it: a body whose escapes are all
    ``\\u2192`` and the like is not walked (20,000 events: ~90 ms).
    """
    if secret.isascii():
        return _ASCII_ESCAPE.search(text) is not None
    return "\\u" in text


def _mask_in_strings(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, mask_secret(secret)) if secret in value else value
    if isinstance(value, list):
        return [_mask_in_strings(item, secret) for item in value]
    if isinstance(value, dict):
        return {
            _mask_in_strings(key, secret): _mask_in_strings(item, secret)
            for key, item in value.items()
        }
    return value


def decode_and_parse(
    headers: Mapping[str, str], body: bytes, max_events: int | None, secret: str = ""
) -> tuple[dict[str, Any], PhoneNumberStatus]:
    raw = _decode_json(headers, body, secret)
    return raw, _parse_status(raw, max_events)


def _newest_events(events: list[Any], limit: int) -> list[Any]:
    # ISO 8601 UTC stamps sort as text; events without one go last.
    def stamp(event: Any) -> str:
        value = event.get("createdAt") if isinstance(event, dict) else None
        return value if isinstance(value, str) else ""

    return sorted(events, key=stamp, reverse=True)[:limit]


def _parse_status(raw: dict[str, Any], max_events: int | None = None) -> PhoneNumberStatus:
    if raw and not KNOWN_TOP_LEVEL_KEYS.intersection(raw):
        raise errors.BadResponse("The API answered with JSON that does not look like a status.")
    events = raw.get("recentEvents")
    trimmed = raw
    if max_events is not None and isinstance(events, list) and len(events) > max_events:
        trimmed = dict(raw, recentEvents=_newest_events(events, max_events))
    try:
        status = PhoneNumberStatus.model_validate(trimmed)
        if trimmed is not raw:
            status._events_total = len(events) if isinstance(events, list) else 0
        return status
    except ValidationError as exc:  # pragma: no cover - the models accept any dict
        raise errors.BadResponse(
            f"The status could not be read: {exc.error_count()} errors."
        ) from None
