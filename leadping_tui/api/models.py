"""Pydantic models for the phone-number status response.

The live API answers in two shapes (see ``leadping-api.md``): the seed page's,
where every number is a JSON string, and the generated SDK's, where numbers are
JSON numbers and several sections are new.  One set of models reads both.
Every field is optional, numbers may arrive as strings, unknown enum values are
kept as text and unknown fields are kept so they can still be shown and
serialised back out.  A garbled scalar becomes ``None`` rather than failing the
whole response: one odd field must never blank the dashboard.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

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


def _section(value: Any) -> Any:
    return value if isinstance(value, dict) else None


def _records(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


Int = Annotated[int | None, BeforeValidator(_to_int)]
#: An ``int`` when the API sent an integer, a ``float`` when it sent a decimal.
Number = Annotated[int | float | None, BeforeValidator(_to_number)]
Bool = Annotated[bool | None, BeforeValidator(_to_bool)]
Text = Annotated[str | None, BeforeValidator(_to_text)]
Timestamp = Annotated[datetime | None, BeforeValidator(_to_datetime)]


class ApiModel(BaseModel):
    """Base for every section: camelCase on the wire, extra fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=True,
    )

    @model_validator(mode="after")
    def _encodable_extras(self) -> Self:
        extra = self.__pydantic_extra__
        if extra:
            # Unknown fields are kept as sent, except text that cannot be encoded.
            cleaned = without_lone_surrogates(extra)
            if cleaned is not extra:
                extra.clear()
                extra.update(cleaned)
        return self

    @property
    def unknown_fields(self) -> dict[str, Any]:
        """Fields the payload held that this model does not know."""
        return dict(self.model_extra or {})


class UiState(ApiModel):
    """How the web console presents the readiness state."""

    tone: Text = None
    description: Text = None
    label: Text = None


class WarmupAction(ApiModel):
    """One scheduled or executed warmup message."""

    id: Text = None
    conversation_id: Text = None
    from_phone_number: Text = None
    to_phone_number: Text = None
    body: Text = None
    scheduled_at: Timestamp = None
    executed_at: Timestamp = None
    failure_reason: Text = None


class SmsWarmup(ApiModel):
    """SMS warmup readiness and health for the number."""

    phone_number_id: Text = None
    phone_number: Text = None
    health_score: Number = None
    progress_percent: Number = None
    status: Text = None
    health_status: Text = None
    sent_count: Int = None
    received_count: Int = None
    delivered_count: Int = None
    failure_count: Int = None
    carrier_rejection_count: Int = None
    opt_out_signal_count: Int = None
    spam_signal_count: Int = None
    delivery_success_rate: Number = None
    next_scheduled_action_at: Timestamp = None
    last_successful_message_at: Timestamp = None
    last_health_snapshot_at: Timestamp = None
    started_at: Timestamp = None
    completed_at: Timestamp = None
    pause_reason: Text = None
    block_reason: Text = None
    warmup_enabled: Bool = None
    is_internal_pool: Bool = None
    is_approved_test_destination: Bool = None
    is_messaging_program_approved: Bool = None
    global_warmup_enabled: Bool = None
    can_pause: Bool = None
    can_resume: Bool = None
    ui_state: Annotated[UiState | None, BeforeValidator(_section)] = None
    recent_actions: Annotated[list[WarmupAction], BeforeValidator(_records)] = Field(
        default_factory=list
    )


class OptOutMetrics(ApiModel):
    """Opt-out counts over the window the API used."""

    window_days: Int = None
    window_started_at: Timestamp = None
    distinct_contacted_count: Int = None
    opt_out_count: Int = None
    opt_out_rate_percent: Number = None


class TrendBucket(ApiModel):
    """One bucket of the traffic trend."""

    start_at: Timestamp = None
    end_at: Timestamp = None
    label: Text = None
    sms_sent_count: Int = None
    sms_failed_count: Int = None
    mms_sent_count: Int = None
    mms_failed_count: Int = None
    call_placed_count: Int = None
    call_failed_count: Int = None


class TrafficMetrics(ApiModel):
    """Traffic counts over the window the API used."""

    window_days: Int = None
    window_started_at: Timestamp = None
    sms_sent_count: Int = None
    sms_failed_count: Int = None
    mms_sent_count: Int = None
    mms_failed_count: Int = None
    call_placed_count: Int = None
    call_failed_count: Int = None
    call_connected_count: Int = None
    call_short_count: Int = None
    call_invalid_number_count: Int = None
    trend: Annotated[list[TrendBucket], BeforeValidator(_records)] = Field(default_factory=list)


class OutboundCapacity(ApiModel):
    """Outbound SMS and voice capacity: used, limit and remaining per period."""

    phone_number_id: Text = None
    phone_number: Text = None
    health_status: Text = None
    health_reason: Text = None
    sms_approved: Bool = None
    capacity_available: Bool = None
    sms_used_this_minute: Int = None
    sms_limit_this_minute: Int = None
    sms_remaining_this_minute: Int = None
    sms_used_this_hour: Int = None
    sms_limit_this_hour: Int = None
    sms_remaining_this_hour: Int = None
    sms_used_today: Int = None
    sms_limit_today: Int = None
    sms_remaining_today: Int = None
    sms_minutely_resets_at: Timestamp = None
    sms_hourly_resets_at: Timestamp = None
    sms_daily_resets_at: Timestamp = None
    sms_ramping: Bool = None
    sms_ramp_direction: Text = None
    voice_used_this_minute: Int = None
    voice_limit_this_minute: Int = None
    voice_remaining_this_minute: Int = None
    voice_used_this_hour: Int = None
    voice_limit_this_hour: Int = None
    voice_remaining_this_hour: Int = None
    voice_used_today: Int = None
    voice_limit_today: Int = None
    voice_remaining_today: Int = None
    voice_minutely_resets_at: Timestamp = None
    voice_hourly_resets_at: Timestamp = None
    voice_daily_resets_at: Timestamp = None
    voice_ramping: Bool = None
    voice_ramp_direction: Text = None


class Coordinate(ApiModel):
    """A point on the map, in degrees."""

    latitude: Number = None
    longitude: Number = None


class LocationSource(ApiModel):
    """How a location value was resolved (``method``) and from what (``query``)."""

    method: Text = None
    query: Text = None


class Location(ApiModel):
    """Where the number is homed."""

    location: Text = None
    state: Text = None
    country_code: Text = None
    time_zone_id: Text = None
    canonical_city: Text = None
    canonical_state: Text = None
    coordinate: Annotated[Coordinate | None, BeforeValidator(_section)] = None
    coordinate_source: Annotated[LocationSource | None, BeforeValidator(_section)] = None
    time_zone_source: Annotated[LocationSource | None, BeforeValidator(_section)] = None


class MessagingEvent(ApiModel):
    """One entry of ``recentEvents``."""

    id: Text = None
    created_at: Timestamp = None
    label: Text = None
    event_type: Text = None
    direction: Text = None
    from_phone_number: Text = None
    to_phone_number: Text = None
    text_preview: Text = None
    provider_status: Text = None
    is_opt_out: Bool = None
    is_demo: Bool = None


class PhoneNumberStatus(ApiModel):
    """The whole ``GET /phone-numbers/{n}/status`` response, in either shape."""

    number: Text = None
    messages_possible: Int = None
    messages_warmed: Int = None
    calls_possible: Int = None
    warmup_calls_made: Int = None
    sms_warmup: Annotated[SmsWarmup | None, BeforeValidator(_section)] = None
    opt_out_metrics: Annotated[OptOutMetrics | None, BeforeValidator(_section)] = None
    traffic_metrics: Annotated[TrafficMetrics | None, BeforeValidator(_section)] = None
    outbound_capacity: Annotated[OutboundCapacity | None, BeforeValidator(_section)] = None
    location: Annotated[Location | None, BeforeValidator(_section)] = None
    recent_events: Annotated[list[MessagingEvent], BeforeValidator(_records)] = Field(
        default_factory=list
    )
    _events_total: int | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _encodable_keys(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        try:
            return handler(data)
        except ValidationError as exc:
            # Only a key holding half a surrogate pair fails the models; clean
            # the whole payload then (walking it every time would be slow).
            if not any(error["type"] == "string_unicode" for error in exc.errors()):
                raise
        return handler(without_lone_surrogates(data))

    @property
    def events_total(self) -> int:
        """How many events the response held, even when only the newest were parsed."""
        return len(self.recent_events) if self._events_total is None else self._events_total

    def to_api_json(self) -> dict[str, Any]:
        """The status as the API's camelCase JSON: numbers as numbers, unknown fields kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


KNOWN_TOP_LEVEL_KEYS = frozenset(
    field.alias or name for name, field in PhoneNumberStatus.model_fields.items()
)
