"""Phone-number checks and the location the simulator reports for a number.

``phonenumbers`` is imported lazily: importing it costs tens of milliseconds and
its geocoder a few hundred, and the simulator must start in well under 100 ms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_E164 = re.compile(r"\+[1-9]\d{7,14}")

NOT_FOUND_NUMBER = "+12025550199"
"""A valid number that is "not in your organisation": the API answers 404."""

_US_AREAS: dict[str, tuple[str, str, str]] = {
    # area code: (city, state, IANA zone). Enough for demos without the geocoder.
    "202": ("Washington", "DC", "America/New_York"),
    "212": ("New York", "NY", "America/New_York"),
    "305": ("Miami", "FL", "America/New_York"),
    "312": ("Chicago", "IL", "America/Chicago"),
    "415": ("San Francisco", "CA", "America/Los_Angeles"),
    "512": ("Austin", "TX", "America/Chicago"),
    "617": ("Boston", "MA", "America/New_York"),
    "702": ("Las Vegas", "NV", "America/Los_Angeles"),
    "713": ("Houston", "TX", "America/Chicago"),
    "206": ("Seattle", "WA", "America/Los_Angeles"),
    "303": ("Denver", "CO", "America/Denver"),
    "404": ("Atlanta", "GA", "America/New_York"),
}


def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


@lru_cache(maxsize=4096)
def is_valid_number(raw: str) -> bool:
    """True if ``raw`` is E.164 (``+`` then 8-15 digits) and a real, valid number."""
    if not _E164.fullmatch(raw):
        return False
    pn = _phonenumbers()
    try:
        parsed = pn.parse(raw, None)
    except pn.NumberParseException:
        return False
    return bool(pn.is_valid_number(parsed))


@dataclass(frozen=True)
class Location:
    """Where a number is, as the SDK's ``PhoneNumberLocation`` describes it."""

    location: str | None
    state: str | None
    country_code: str | None
    time_zone_id: str | None
    canonical_city: str | None
    canonical_state: str | None


@lru_cache(maxsize=4096)
def location_of(number: str) -> Location:
    """The location of a valid number (a small built-in table first, then phonenumbers)."""
    if number.startswith("+1") and len(number) == 12:
        known = _US_AREAS.get(number[2:5])
        if known is not None:
            city, state, zone = known
            label = "Washington, DC" if state == "DC" else f"{city}, {state}"
            return Location(label, state, "US", zone, city, state)
    pn = _phonenumbers()
    from phonenumbers import geocoder, timezone

    parsed = pn.parse(number, None)
    region = pn.region_code_for_number(parsed)
    described = geocoder.description_for_number(parsed, "en") or None
    zones = [z for z in timezone.time_zones_for_number(parsed) if z != "Etc/Unknown"]
    place: str | None = None
    area: str | None = None
    if described and ", " in described:
        place, area = described.rsplit(", ", 1)
    return Location(described, area, region, zones[0] if zones else None, place, area)
