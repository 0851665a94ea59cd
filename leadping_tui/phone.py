"""Parse, normalise and format phone numbers (E.164), with plain-words errors.

The heavy lifting (every country's numbering plan) is the ``phonenumbers``
package; this module turns its verdicts into messages a person can act on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from leadping_tui.terminal.safe_text import clean

if TYPE_CHECKING:
    from phonenumbers import NumberParseException

# phonenumbers' metadata takes ~30 ms to import. The dashboard formats numbers
# for its first frame, so the common case (a North American number, already
# E.164) is formatted without it; everything else imports it on first use.
_NANP = re.compile(r"\+1([2-9]\d\d)([2-9]\d\d)(\d{4})")

__all__ = ["InvalidNumber", "format_number", "normalize_number", "region_of"]

# How much of the user's input to echo back in an error message.
_SHOWN_INPUT_CELLS = 40

# Region names that read better with an article or an abbreviation.
_REGION_NAMES = {
    "US": "the US",
    "GB": "the UK",
    "AE": "the UAE",
    "BS": "the Bahamas",
    "CZ": "the Czech Republic",
    "DO": "the Dominican Republic",
    "NL": "the Netherlands",
    "PH": "the Philippines",
}


class InvalidNumber(ValueError):
    """The text is not a usable phone number; ``str()`` says why in plain words."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        """What was typed, sanitised and shortened for display."""
        self.reason = reason
        """Why it was refused, e.g. ``"too short for the US"``."""
        super().__init__(f'"{text}" {reason}' if text else reason)


def normalize_number(text: str, default_region: str = "US") -> str:
    """Return ``text`` as an E.164 number such as ``+12025550101``.

    Accepts the usual ways of writing a number: ``+1 (202) 555-0101``,
    ``202.555.0101``, ``12025550101``, ``+44 20 7946 0000``, a ``tel:`` URI.
    A number without a leading ``+`` is read as a number of
    ``default_region``. Raises :class:`InvalidNumber` saying why otherwise.
    """
    shown = clean(text, max_len=_SHOWN_INPUT_CELLS).strip()
    candidate = _strip_tel_prefix(str(text)).strip()
    if not candidate:
        raise InvalidNumber("", "empty input: type a number such as +1 202 555 0101")
    if any(ch.isalpha() for ch in candidate):
        # phonenumbers would read 1-800-FLOWERS as digits; for a watchlist a
        # letter is far more likely a typo or the wrong field pasted in.
        raise InvalidNumber(shown, "contains letters")
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    try:
        parsed = phonenumbers.parse(candidate, default_region)
    except NumberParseException as exc:
        raise InvalidNumber(shown, _parse_failure(exc, candidate, default_region)) from None

    region = _region_for_message(parsed.country_code or 0)
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible == ValidationResult.IS_POSSIBLE_LOCAL_ONLY and not candidate.startswith("+"):
        raise InvalidNumber(shown, f"is too short for {region}: include the area code")
    if possible in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        raise InvalidNumber(shown, f"is too short for {region}")
    if possible == ValidationResult.TOO_LONG:
        raise InvalidNumber(shown, f"is too long for {region}")
    if possible == ValidationResult.INVALID_LENGTH:
        raise InvalidNumber(shown, f"has the wrong number of digits for {region}")
    if possible == ValidationResult.INVALID_COUNTRY_CODE:
        raise InvalidNumber(shown, "has an unknown country code")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(shown, f"is not a valid number in {region}")
    return str(phonenumbers.format_number(parsed, PhoneNumberFormat.E164))


def format_number(e164: str) -> str:
    """``+12025550101`` as ``+1 202-555-0101`` for display; the input unchanged if unparsable."""
    nanp = _NANP.fullmatch(e164)
    if nanp is not None:
        return "+1 {}-{}-{}".format(*nanp.groups())
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat

    try:
        parsed = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return str(phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL))


def region_of(e164: str) -> str | None:
    """The ISO region code of an E.164 number (``"US"``), or None if unknown."""
    import phonenumbers
    from phonenumbers import NumberParseException

    try:
        parsed = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if not region:
        region = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    if not region or not region.isalpha():  # "ZZ" unknown, "001" non-geographic
        return None
    return None if region == "ZZ" else str(region)


def _strip_tel_prefix(text: str) -> str:
    stripped = text.strip()
    if stripped[:4].lower() == "tel:":
        # RFC 3966 parameters (";ext=", ";phone-context=") are not part of the number.
        return stripped[4:].split(";", 1)[0]
    return stripped


def _parse_failure(exc: NumberParseException, candidate: str, default_region: str) -> str:
    import phonenumbers
    from phonenumbers import NumberParseException

    kind = exc.error_type
    if kind == NumberParseException.INVALID_COUNTRY_CODE:
        if candidate.lstrip().startswith("+"):
            return "has an unknown country code"
        return "has no country code: start it with + and the country code"
    if kind == NumberParseException.TOO_SHORT_AFTER_IDD:
        return "is too short after the international prefix"
    if kind in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_LONG):
        length = "short" if kind == NumberParseException.TOO_SHORT_NSN else "long"
        code = _country_code_typed(candidate, default_region)
        return f"is too {length} for {_region_for_message(code)}" if code else f"is too {length}"
    digits = phonenumbers.normalize_digits_only(candidate)
    if not digits:
        return "is not a phone number: it has no digits"
    # The parser gives up on one or two digits, and on absurdly long input.
    return "is too long" if len(digits) > 17 else "is too short"


def _country_code_typed(candidate: str, default_region: str) -> int:
    """The country code the user meant (0 if unclear), for a number too mangled to parse."""
    import phonenumbers

    if not candidate.startswith("+"):
        return int(phonenumbers.country_code_for_region(default_region))
    digits = phonenumbers.normalize_digits_only(candidate)
    for size in (1, 2, 3):
        if len(digits) > size:
            code = int(digits[:size])
            if phonenumbers.region_code_for_country_code(code) != "ZZ":
                return code
    return 0


def _region_for_message(country_code: int) -> str:
    import phonenumbers

    region = phonenumbers.region_code_for_country_code(country_code)
    if region in _REGION_NAMES:
        return _REGION_NAMES[region]
    # The geocoder loads ~0.3 s of data; only error messages need it.
    from phonenumbers import geocoder

    example = phonenumbers.example_number(region)
    name = geocoder.country_name_for_number(example, "en") if example is not None else ""
    return str(name) if name else f"country code +{country_code}"
