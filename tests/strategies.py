"""Hypothesis strategies for odd and hostile status payloads, in both response shapes.

The API is documented with every number a JSON string (the seed page) and
typed with JSON numbers by the generated SDK; the live service has sent both.
Third parties write the text fields.  These strategies build payloads that
mix everything the client has been promised it may see, and some it has not:

* any field omitted, ``null``, or of the wrong JSON type (a section that is a
  list, a number that is a boolean, a boolean that is a number);
* numbers as numeric strings (``"12"``, ``"-3"``, ``"1e3"``, ``" 7 "``),
  floats including NaN, ±inf, ``-0.0`` and ``1e308``, and integers far past
  64 bits (hundreds of digits, but below Python's 4 300-digit limit that
  ``json.loads`` enforces anyway);
* unknown enum values and unknown fields at every level;
* empty and long arrays (long ones are built by repeating one generated item,
  so a few hundred entries cost almost nothing to generate);
* odd timestamps: year 1 and 9999 with ±14:00 offsets, no zone, nine-digit
  fractions, 30 February, empty strings and garbage;
* text with markup look-alikes, ANSI and OSC escapes, C0/C1 controls, bidi
  overrides, zero-width characters, combining marks, emoji, wide CJK
  characters, lone surrogates and very long lines.

Everything here is plain data (``dict``/``list``/scalars), exactly what
``json.loads`` could hand the client, plus NaN/inf which Python's JSON
decoder also accepts.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

#: The fixed "now" of the tests; generated recent timestamps are near it.
NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

# -- text -------------------------------------------------------------------------

#: Markup that Rich / Textual would act on if a string were ever parsed as markup.
MARKUP_LOOKALIKES = (
    "[red]x[/red]",
    "[link=http://x]y[/link]",
    "[link=https://evil.example]click[/link]",
    "[@click=app.quit]z[/]",
    "[@click=app.quit]boom[/]",
    "[bold",
    "[/]",
    "[/bold]",
    "\\[escaped]",
    "[on red][blink]loud",
    "[$accent]theme[/]",
)
#: Terminal escape sequences and control characters.
ESCAPES = (
    "\x1b[2J",
    "\x1b[H\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1bP+q544e\x1b\\",
    "\x9b31m8-bit CSI",
    "\x9d0;c1 osc\x9c",
    "bell\x07 backspace\x08 nul\x00 del\x7f",
    "carriage\rreturn",
    "line one\nline two\r\nthree",
    "tab\there",
    "\x0b\x0c\x1c\x1f",
)
#: Bidi controls, invisible characters, combining marks.
INVISIBLES = (
    "abc\u202edef",
    "\u200fRTL mark",
    "\u202bembedded\u202c",
    "\u2066isolate\u2069 after",
    "zero\u200bwidth\u2060joiner\ufeffbom",
    "soft\u00adhyphen",
    "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
    "Z\u0351\u0352\u0357\u035b\u0363\u0364\u0368\u0369a\u0300\u0301l\u0302g\u0303o",
    "tag\U000e0041\U000e0042chars",
    "lone surrogate \ud800 here",
    "\udfff",
)
#: Wide and composed characters that change cell widths.
WIDE = (
    "👍🏽",
    "👨‍👩‍👧‍👦 family",
    "🇺🇸🇯🇵",
    "漢字テスト",
    "한국어 텍스트",
    "ｆｕｌｌｗｉｄｔｈ",
    "שלום עולם",
    "مرحبا بالعالم",
    "e\u0301",
)
LONG_LINE = "W" * 5_000
LONG_WIDE_LINE = "界" * 2_500

#: Every hand-written hostile string, for tests that want them one by one.
HOSTILE_TEXTS: tuple[str, ...] = (*MARKUP_LOOKALIKES, *ESCAPES, *INVISIBLES, *WIDE)

_PIECES = st.sampled_from(HOSTILE_TEXTS)
_ANY_CHAR = st.characters(codec=None, exclude_categories=())

hostile_text: st.SearchStrategy[str] = st.one_of(
    _PIECES,
    st.text(_ANY_CHAR, max_size=40),
    st.lists(st.one_of(_PIECES, st.text(_ANY_CHAR, max_size=8)), min_size=2, max_size=5).map(
        "".join
    ),
    st.sampled_from((LONG_LINE, LONG_WIDE_LINE, "[red]" * 1_000, "\x1b[2J" * 500)),
)
"""One string from a third party: hand-picked nasties, random unicode, or mixes."""

#: The C0 controls (and DEL) no output may contain, except a newline.
FORBIDDEN_CONTROLS = frozenset(chr(code) for code in range(0x20) if code != 0x0A) | {"\x7f"}


def forbidden_controls(text: str) -> set[str]:
    """The raw control characters in ``text`` that must never reach a terminal."""
    found = {char for char in text if char in FORBIDDEN_CONTROLS}
    found |= {char for char in text if 0x80 <= ord(char) <= 0x9F}
    return found


# -- scalars ------------------------------------------------------------------------

NUMERIC_STRINGS = (
    "12",
    "-3",
    "0",
    "-0",
    "1e3",
    "12.50",
    " 7 ",
    "1,234",
    "45%",
    "1_000",
    "",
    " ",
    "NaN",
    "Infinity",
    "-inf",
    "1e400",
    "-1e400",
    "9" * 30,
    "0x1A",
    "١٢",  # Arabic-Indic digits: float() reads them
    "12abc",
    "abc",
)
HUGE_INTS = (2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, -(10**30), 10**400, -(10**400))
ODD_FLOATS = (math.nan, math.inf, -math.inf, -0.0, 0.5, 1e308, -1e308, 5e-324, 99.999)

numberish: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(-5, 10**6),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(NUMERIC_STRINGS),
    st.sampled_from(HUGE_INTS),
    st.integers(min_value=2**64, max_value=10**600),
    st.sampled_from(ODD_FLOATS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.just([]),
    st.just({}),
)
"""A value where the API promises a number: anything it might really send instead."""

percentish: st.SearchStrategy[Any] = st.one_of(
    numberish, st.floats(-10, 110), st.floats(0, 100).map(lambda value: f"{value:.2f}")
)

boolish: st.SearchStrategy[Any] = st.one_of(
    st.booleans(),
    st.none(),
    st.sampled_from((0, 1, 2, -1, 1.5, math.nan, "true", "False", "yes", "no", "maybe", "", [])),
)
"""A value where the API promises a boolean."""

textish: st.SearchStrategy[Any] = st.one_of(
    st.none(), hostile_text, st.integers(), st.booleans(), st.floats(), st.just([]), st.just({})
)
"""A free-text field: hostile text mostly, sometimes not a string at all."""


def enumish(*known: str) -> st.SearchStrategy[Any]:
    """One of the documented values, a spelling variant, an unknown value, or junk."""
    variants = [value.upper() for value in known] + [f" {value.lower()} " for value in known]
    return st.one_of(
        st.sampled_from(known),
        st.sampled_from(variants),
        st.sampled_from(("Hibernating", "unknown_value_42", "", "null")),
        textish,
    )


# -- timestamps ---------------------------------------------------------------------

ODD_TIMESTAMPS = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999-23:59",
    "2026-11-27T10:00:00",
    "2026-11-27T10:00:00+14:00",
    "2026-11-27T10:00:00+05:45",
    "2026-11-27T10:00:00.123456789Z",
    "2026-11-27T10:00:00+14:00:30.5",
    "2026-11-27 10:00:00z",
    "2026-11-27",
    "2026-02-30T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-27T25:00:00Z",
    "+002026-01-01T00:00:00Z",
    "",
    " ",
    "garbage",
    "yesterday",
    "1700000000",
)

_OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_GENERATED_TIMES = st.builds(
    lambda when, tz, zulu: (
        when.replace(tzinfo=tz).isoformat().replace("+00:00", "Z" if zulu else "+00:00")
    ),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.one_of(st.just(UTC), _OFFSETS),
    st.booleans(),
)
_RECENT_TIMES = st.builds(
    lambda minutes: (NOW + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z"),
    st.integers(-60 * 24 * 400, 60 * 24 * 30),
)

timestampish: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    _RECENT_TIMES,
    st.sampled_from(ODD_TIMESTAMPS),
    _GENERATED_TIMES,
    st.integers(0, 2**40),
    hostile_text,
)
"""A value where the API promises an ISO 8601 timestamp."""

# -- JSON values for unknown fields ---------------------------------------------------


def json_values(*, nan: bool) -> st.SearchStrategy[Any]:
    """Any JSON value, small; NaN/inf only when ``nan`` (they never compare equal)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=nan, allow_infinity=nan),
        st.text(max_size=12),
        st.sampled_from(HOSTILE_TEXTS[:6]),
        st.sampled_from(("half \ud800 pair", "\udfff")),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(_ANY_CHAR, max_size=8), children, max_size=3),
        ),
        max_leaves=8,
    )


def extra_fields(*, nan: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Fields no model knows: random names, including snake_case twins of known ones."""
    keys = st.one_of(
        st.text(min_size=1, max_size=12),
        st.text(_ANY_CHAR, min_size=1, max_size=6),  # lone surrogates too
        st.sampled_from(("futureField", "messages_possible", "sms_warmup", "__class__", "id")),
        st.sampled_from(("bad\ud800key", "\udc00")),
    )
    return st.dictionaries(keys, json_values(nan=nan), max_size=3)


# -- sections ------------------------------------------------------------------------

_WEIRD_SECTION = st.one_of(
    st.none(),
    st.just([]),
    st.just([{"a": 1}]),
    st.sampled_from(("", "n/a", "[red]x[/red]")),
    st.integers(),
    st.booleans(),
)


def _section(
    fields: dict[str, st.SearchStrategy[Any]], *, nan: bool
) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object where any field may be missing, with unknown fields mixed in."""
    body = st.fixed_dictionaries({}, optional=fields)
    return st.builds(lambda extra, known: {**extra, **known}, extra_fields(nan=nan), body)


def _sometimes_weird(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # Mostly the real thing; now and then null, a list, a string or a number.
    return st.one_of(strategy, strategy, strategy, _WEIRD_SECTION)


def _replicate(item: Any, count: int) -> list[Any]:
    """``count`` entries from one: some with fresh ids, some exact repeats (same id)."""
    if not isinstance(item, dict):
        return [item] * count
    return [item if index % 4 == 0 else {**item, "id": f"r{index}"} for index in range(count)]


def arrays(item: st.SearchStrategy[Any], *, max_items: int, big: int) -> st.SearchStrategy[Any]:
    """An array of ``item``: empty, a few generated ones, or up to ``big`` repeats; or junk."""
    entry = st.one_of(item, item, item, st.none(), st.integers(), st.text(max_size=5))
    options: list[st.SearchStrategy[Any]] = [
        st.just([]),
        st.lists(entry, max_size=max_items),
        _WEIRD_SECTION,
    ]
    if big:
        options.append(st.builds(_replicate, item, st.integers(0, big)))
    return st.one_of(*options)


def _ints(shape: str) -> st.SearchStrategy[Any]:
    # The seed shape sends integers as strings, the SDK as numbers; both get junk too.
    plain = st.integers(-5, 10**6)
    typical = plain.map(str) if shape == "seed" else plain
    return st.one_of(typical, typical, numberish)


READINESS_STATES = ("Not Started", "In Progress", "Paused", "Blocked", "Ready")
HEALTH_STATUSES = ("Not Evaluated", "Evaluating", "Healthy", "Needs Attention", "Blocked")
CAPACITY_HEALTH = (
    "unknown",
    "new",
    "healthy",
    "warmup",
    "limited",
    "cooling_down",
    "suspended",
    "disabled",
)
TONES = ("success", "warning", "danger", "info", "neutral", "fuchsia", "[red]x[/red]")


def ui_state(shape: str, *, nan: bool) -> st.SearchStrategy[Any]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "tone": enumish(*TONES),
        "description": textish,
    }
    if shape != "seed":
        fields["label"] = enumish(*READINESS_STATES)
    return _sometimes_weird(_section(fields, nan=nan))


def warmup_action(*, nan: bool) -> st.SearchStrategy[dict[str, Any]]:
    return _section(
        {
            "id": textish,
            "conversationId": textish,
            "fromPhoneNumber": st.one_of(st.just("+12025550101"), textish),
            "toPhoneNumber": st.one_of(st.just("+12025550177"), textish),
            "body": textish,
            "scheduledAt": timestampish,
            "executedAt": timestampish,
            "failureReason": textish,
        },
        nan=nan,
    )


def sms_warmup(shape: str, *, nan: bool, max_items: int, big: int) -> st.SearchStrategy[Any]:
    ints = _ints(shape)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "phoneNumberId": textish,
        "phoneNumber": st.one_of(st.just("+12025550101"), textish),
        "healthScore": st.one_of(percentish, st.integers(0, 100)),
        "progressPercent": percentish,
        "uiState": ui_state(shape, nan=nan),
        "warmupEnabled": boolish,
    }
    if shape == "seed":
        for name in (
            "sentCount",
            "receivedCount",
            "deliveredCount",
            "failureCount",
            "carrierRejectionCount",
            "optOutSignalCount",
            "spamSignalCount",
        ):
            fields[name] = ints
        fields["deliverySuccessRate"] = percentish
        for name in (
            "nextScheduledActionAt",
            "lastSuccessfulMessageAt",
            "lastHealthSnapshotAt",
            "startedAt",
            "completedAt",
        ):
            fields[name] = timestampish
        fields["pauseReason"] = textish
        fields["blockReason"] = textish
        for name in (
            "isInternalPool",
            "isApprovedTestDestination",
            "isMessagingProgramApproved",
            "globalWarmupEnabled",
            "canPause",
            "canResume",
        ):
            fields[name] = boolish
        fields["recentActions"] = arrays(warmup_action(nan=nan), max_items=max_items, big=big)
    else:
        fields["status"] = enumish(*READINESS_STATES)
        fields["healthStatus"] = enumish(*HEALTH_STATUSES)
    return _sometimes_weird(_section(fields, nan=nan))


def opt_out_metrics(shape: str, *, nan: bool) -> st.SearchStrategy[Any]:
    ints = _ints(shape)
    return _sometimes_weird(
        _section(
            {
                "windowDays": ints,
                "windowStartedAt": timestampish,
                "distinctContactedCount": ints,
                "optOutCount": ints,
                "optOutRatePercent": percentish,
            },
            nan=nan,
        )
    )


def trend_bucket(*, nan: bool) -> st.SearchStrategy[dict[str, Any]]:
    ints = _ints("sdk")
    return _section(
        {
            "startAt": timestampish,
            "endAt": timestampish,
            "label": textish,
            "smsSentCount": ints,
            "smsFailedCount": ints,
            "mmsSentCount": ints,
            "mmsFailedCount": ints,
            "callPlacedCount": ints,
            "callFailedCount": ints,
        },
        nan=nan,
    )


def traffic_metrics(shape: str, *, nan: bool, max_items: int, big: int) -> st.SearchStrategy[Any]:
    ints = _ints(shape)
    names = ["smsSentCount", "smsFailedCount", "callPlacedCount", "callFailedCount"]
    if shape != "seed":
        names += [
            "mmsSentCount",
            "mmsFailedCount",
            "callConnectedCount",
            "callShortCount",
            "callInvalidNumberCount",
        ]
    fields: dict[str, st.SearchStrategy[Any]] = {name: ints for name in names}
    fields["windowDays"] = ints
    fields["windowStartedAt"] = timestampish
    if shape != "seed":
        fields["trend"] = arrays(trend_bucket(nan=nan), max_items=max_items, big=big)
    return _sometimes_weird(_section(fields, nan=nan))


def outbound_capacity(*, nan: bool) -> st.SearchStrategy[Any]:
    ints = _ints("sdk")
    fields: dict[str, st.SearchStrategy[Any]] = {
        "phoneNumberId": textish,
        "phoneNumber": textish,
        "healthStatus": enumish(*CAPACITY_HEALTH),
        "healthReason": textish,
        "smsApproved": boolish,
        "capacityAvailable": boolish,
    }
    for channel in ("sms", "voice"):
        for period, reset in (
            ("ThisMinute", "Minutely"),
            ("ThisHour", "Hourly"),
            ("Today", "Daily"),
        ):
            for kind in ("Used", "Limit", "Remaining"):
                fields[f"{channel}{kind}{period}"] = ints
            fields[f"{channel}{reset}ResetsAt"] = timestampish
        fields[f"{channel}Ramping"] = boolish
        fields[f"{channel}RampDirection"] = enumish("up", "down", "none")
    return _sometimes_weird(_section(fields, nan=nan))


def location(*, nan: bool) -> st.SearchStrategy[Any]:
    fields = {
        name: textish
        for name in (
            "location",
            "state",
            "countryCode",
            "timeZoneId",
            "canonicalCity",
            "canonicalState",
        )
    }
    fields["coordinate"] = st.one_of(st.none(), json_values(nan=nan))
    return _sometimes_weird(_section(fields, nan=nan))


def messaging_event(shape: str, *, nan: bool) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "id": st.one_of(st.integers(0, 50).map(lambda n: f"ev{n}"), textish),
        "createdAt": timestampish,
        "label": textish,
        "eventType": enumish("sms.outbound", "sms.inbound", "sms.status"),
        "direction": enumish("outbound", "inbound"),
        "fromPhoneNumber": st.one_of(st.just("+12025550101"), textish),
        "toPhoneNumber": st.one_of(st.just("+12025550177"), textish),
        "textPreview": textish,
        "isOptOut": boolish,
    }
    if shape == "seed":
        fields["providerStatus"] = enumish("delivered", "sent", "failed", "undelivered")
    else:
        fields["isDemo"] = boolish
    return _section(fields, nan=nan)


def status_payloads(
    shape: str | None = None, *, nan: bool = True, max_items: int = 8, big: int = 300
) -> st.SearchStrategy[dict[str, Any]]:
    """A whole status response of the seed or SDK shape (``None``: either).

    ``nan=False`` keeps NaN and infinities out of unknown fields, where they
    survive parsing and would make a model unequal to itself.  Arrays hold up
    to ``max_items`` generated entries, or up to ``big`` repeats of one.
    """
    if shape is None:
        return st.one_of(
            status_payloads("seed", nan=nan, max_items=max_items, big=big),
            status_payloads("sdk", nan=nan, max_items=max_items, big=big),
        )
    ints = _ints(shape)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "number": st.one_of(st.just("+12025550101"), textish),
        "messagesPossible": ints,
        "callsPossible": ints,
        "smsWarmup": sms_warmup(shape, nan=nan, max_items=max_items, big=big),
        "optOutMetrics": opt_out_metrics(shape, nan=nan),
        "trafficMetrics": traffic_metrics(shape, nan=nan, max_items=max_items, big=big),
        "recentEvents": arrays(messaging_event(shape, nan=nan), max_items=max_items, big=big),
    }
    if shape == "seed":
        fields["messagesWarmed"] = ints
        fields["warmupCallsMade"] = ints
    else:
        fields["outboundCapacity"] = outbound_capacity(nan=nan)
        fields["location"] = location(nan=nan)
    return _section(fields, nan=nan)


# -- drawing context ----------------------------------------------------------------

ZONES: tuple[tzinfo, ...] = (
    UTC,
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Kiritimati"),  # UTC+14
    ZoneInfo("Pacific/Pago_Pago"),  # UTC-11
    ZoneInfo("Asia/Kathmandu"),  # UTC+05:45
    timezone(timedelta(hours=-12)),
)

moments: st.SearchStrategy[datetime] = st.one_of(
    st.just(NOW),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
"""A wall-clock "now": the clock is sane even when the payload is not."""

zones: st.SearchStrategy[tzinfo] = st.sampled_from(ZONES)
