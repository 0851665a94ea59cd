"""Parsing, normalising and formatting phone numbers."""

from __future__ import annotations

import pytest

from leadping_tui.phone import InvalidNumber, format_number, normalize_number, region_of


@pytest.mark.parametrize(
    "text,expected",
    [
        ("+12025550101", "+12025550101"),
        ("+1 (202) 555-0101", "+12025550101"),
        ("202.555.0101", "+12025550101"),
        ("(202) 555-0102", "+12025550102"),
        ("202 555 0103", "+12025550103"),
        ("12025550104", "+12025550104"),
        ("1-202-555-0105", "+12025550105"),
        ("  +1 202 555 0106  ", "+12025550106"),
        ("+1-202-555-0199", "+12025550199"),
        ("tel:+1-202-555-0101", "+12025550101"),
        ("TEL:+1-202-555-0101;ext=5", "+12025550101"),
        ("+44 20 7946 0000", "+442079460000"),
        ("011 44 20 7946 0000", "+442079460000"),  # the US international prefix
        ("+33 1 23 45 67 89", "+33123456789"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("＋１ ２０２ ５５５ ０１０１", "+12025550101"),  # full-width digits
    ],
)
def test_accepts_common_formats(text: str, expected: str) -> None:
    assert normalize_number(text) == expected


def test_default_region_reads_national_numbers() -> None:
    assert normalize_number("020 7946 0000", default_region="GB") == "+442079460000"


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "empty input: type a number such as +1 202 555 0101"),
        ("   ", "empty input: type a number such as +1 202 555 0101"),
        ("abc", "contains letters"),
        ("1-800-FLOWERS", "contains letters"),
        ("+1 202 555 0101 x12", "contains letters"),
        ("+1 202 555", "is too short for the US"),
        ("2025550", "is too short for the US: include the area code"),
        ("+1202555010199", "is too long for the US"),
        ("+1 202 555 01011", "is too long for the US"),
        ("+44 20 7946", "is too short for the UK"),
        ("+44 20 7946 0000 000", "is too long for the UK"),
        ("+49 123", "is too short for Germany"),
        ("+33 1", "is too short for France"),
        ("+1 123 555 0101", "is not a valid number in the US"),
        ("+999 1234567", "has an unknown country code"),
        ("+++", "is not a phone number: it has no digits"),
        ("---", "is not a phone number: it has no digits"),
        ("1", "is too short"),
    ],
)
def test_rejects_with_a_plain_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidNumber) as caught:
        normalize_number(text)
    assert caught.value.reason == reason
    shown = text.strip()
    assert str(caught.value) == (f'"{shown}" {reason}' if shown else reason)
    assert isinstance(caught.value, ValueError)


def test_no_country_code_without_a_region() -> None:
    with pytest.raises(InvalidNumber) as caught:
        normalize_number("2025550101", default_region="ZZ")
    assert caught.value.reason == "has no country code: start it with + and the country code"


def test_error_message_shows_input_sanitised_and_short() -> None:
    hostile = "\x1b]8;;http://evil\x07+1\u202e202[red]" + "9" * 200
    with pytest.raises(InvalidNumber) as caught:
        normalize_number(hostile)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "␛]8;;http://evil␇+1202[red]" in message
    assert len(caught.value.text) <= 40
    assert caught.value.text.endswith("…")


@pytest.mark.parametrize(
    "e164,shown",
    [
        ("+12025550101", "+1 202-555-0101"),
        ("+442079460000", "+44 20 7946 0000"),
        ("+33123456789", "+33 1 23 45 67 89"),
        ("garbage", "garbage"),
        ("", ""),
    ],
)
def test_format_number(e164: str, shown: str) -> None:
    assert format_number(e164) == shown


@pytest.mark.parametrize(
    "e164,region",
    [
        ("+12025550101", "US"),
        ("+16135550123", "CA"),
        ("+442079460000", "GB"),
        ("+12025", "US"),  # invalid, but +1 still says North America
        ("+80012345678", None),  # non-geographic
        ("not a number", None),
    ],
)
def test_region_of(e164: str, region: str | None) -> None:
    assert region_of(e164) == region
