"""Lenient field types for the API's models: a value that is not what the API
documents becomes ``None`` (shown as unknown) instead of failing the response.

Numbers may arrive as JSON numbers or as strings (the seed page's shape), but
only in the documented spellings; text keeps what was sent, with lone UTF-16
surrogates made encodable; timestamps are read as UTC.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value: Any) -> Any:
    """``value`` with each lone UTF-16 surrogate in its strings and keys made U+FFFD.

    JSON may spell half a surrogate pair on its own (``"\\ud800"``) and
    ``json.loads`` keeps it, but such a string cannot be encoded as UTF-8:
    pydantic rejects it as a key, and printing or saving it fails.  Clean
    containers and strings are returned as they are, not copied.
    """
    if isinstance(value, str):
        if value.isascii() or _LONE_SURROGATE.search(value) is None:
            return value
        # A pair split over two escapes joins up again; a lone half becomes U+FFFD.
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        cleaned = {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
        same = len(cleaned) == len(value) and all(
            key in value and value[key] is item for key, item in cleaned.items()
        )
        return value if same else cleaned
    if isinstance(value, list):
        items = [without_lone_surrogates(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


#: The seed page's pattern for numbers sent as strings (``"12"``, ``"-3"``).
INTEGER_TEXT = re.compile(r"-?(?:0|[1-9]\d*)")
#: A plain decimal, which rates and percents may be (``"97.5"``).
DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_INT_LIMIT = 2**63


def _to_int(value: Any) -> int | None:
    """A count: a JSON integer, or a string matching :data:`INTEGER_TEXT`.

    Anything else (``"0,27"``, ``"1e3"``, ``"12.0"``, ``"45%"``, ``7.6``) is
    unknown rather than guessed at: ``"0,27"`` read as 27 would be 100x the
    intent. An integral JSON float (``12.0``) is the same number and is kept.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        if len(value) > 20 or INTEGER_TEXT.fullmatch(value) is None:
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if abs(value) <= _INT_LIMIT else None


def _to_number(value: Any) -> int | float | None:
    """A score, percent or rate: as :func:`_to_int`, or a plain decimal.

    An integer stays an ``int`` (``73`` or ``"73"``), so exports write ``73``
    as the API did, not ``73.0`` (which the official SDK reads as None for
    its integer fields); a decimal (``97.5`` or ``"97.5"``) is a ``float``.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and INTEGER_TEXT.fullmatch(value) is None:
        if len(value) > 40 or DECIMAL_TEXT.fullmatch(value) is None:
            return None
        number = float(value)
        return number if math.isfinite(number) else None
    return _to_int(value)


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
    return None


def _to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value.isascii() or _LONE_SURROGATE.search(value) is None:
            return value
        return without_lone_surrogates(value)  # type: ignore[no-any-return]
    if isinstance(value, bool | int | float):
        try:
            return str(value).lower() if isinstance(value, bool) else str(value)
        except ValueError:  # an int past Python's digit limit for str()
            return None
    return None


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    # The API speaks UTC; a naive stamp is read as UTC rather than local time.
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    offset = parsed.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        # Python reads "+14:00:30.5" but JSON output keeps whole minutes of an
        # offset, which would move the instant; hold such a stamp in UTC.
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            return None
    return parsed


def section(value: Any) -> Any:
    return value if isinstance(value, dict) else None


def records(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


Int = Annotated[int | None, BeforeValidator(_to_int)]
#: An ``int`` when the API sent an integer, a ``float`` when it sent a decimal.
Number = Annotated[int | float | None, BeforeValidator(_to_number)]
Bool = Annotated[bool | None, BeforeValidator(_to_bool)]
Text = Annotated[str | None, BeforeValidator(_to_text)]
Timestamp = Annotated[datetime | None, BeforeValidator(_to_datetime)]
