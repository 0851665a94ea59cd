"""Pydantic models for the phone-number status response.

The live API answers in two shapes (see ``leadping-api.md``): the seed page's,
where every number is a JSON string, and the generated SDK's, where numbers are
JSON numbers and several sections are new.  One set of models reads both.
Every field is optional, numbers may arrive as strings, unknown enum values are
kept as text and unknown fields are kept so they can still be shown and
serialised back out.  A garbled scalar becomes ``None`` rather than failing the
whole response: one odd field must never blank the dashboard (the lenient field
types are in :mod:`leadping_tui.api.lenient`).
"""

from __future__ import annotations

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

from leadping_tui.api.lenient import (
    Bool,
    Int,
    Number,
    Text,
    Timestamp,
    records,
    section,
    without_lone_surrogates,
)


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
    ui_state: Annotated[UiState | None, BeforeValidator(section)] = None
    recent_actions: Annotated[list[WarmupAction], BeforeValidator(records)] = Field(
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
    trend: Annotated[list[TrendBucket], BeforeValidator(records)] = Field(default_factory=list)


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
    coordinate: Annotated[Coordinate | None, BeforeValidator(section)] = None
    coordinate_source: Annotated[LocationSource | None, BeforeValidator(section)] = None
    time_zone_source: Annotated[LocationSource | None, BeforeValidator(section)] = None


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
    sms_warmup: Annotated[SmsWarmup | None, BeforeValidator(section)] = None
    opt_out_metrics: Annotated[OptOutMetrics | None, BeforeValidator(section)] = None
    traffic_metrics: Annotated[TrafficMetrics | None, BeforeValidator(section)] = None
    outbound_capacity: Annotated[OutboundCapacity | None, BeforeValidator(section)] = None
    location: Annotated[Location | None, BeforeValidator(section)] = None
    recent_events: Annotated[list[MessagingEvent], BeforeValidator(records)] = Field(
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
