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

_US_AREAS: dict[str, tuple[str, str, str, float, float]] = {
    # area code: (city, state, IANA zone, latitude, longitude of the city centre).
    # Enough for demos without the geocoder.
    "202": ("Washington", "DC", "America/New_York", 38.9072, -77.0369),
    "212": ("New York", "NY", "America/New_York", 40.7128, -74.0060),
    "305": ("Miami", "FL", "America/New_York", 25.7617, -80.1918),
    "312": ("Chicago", "IL", "America/Chicago", 41.8781, -87.6298),
    "415": ("San Francisco", "CA", "America/Los_Angeles", 37.7749, -122.4194),
    "512": ("Austin", "TX", "America/Chicago", 30.2672, -97.7431),
    "617": ("Boston", "MA", "America/New_York", 42.3601, -71.0589),
    "702": ("Las Vegas", "NV", "America/Los_Angeles", 36.1699, -115.1398),
    "713": ("Houston", "TX", "America/Chicago", 29.7604, -95.3698),
    "206": ("Seattle", "WA", "America/Los_Angeles", 47.6062, -122.3321),
    "303": ("Denver", "CO", "America/Denver", 39.7392, -104.9903),
    "404": ("Atlanta", "GA", "America/New_York", 33.7490, -84.3880),
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
    coordinate: tuple[float, float] | None = None
    #: How the place and the zone were resolved: (method, query).
    source: tuple[str, str] | None = None


@lru_cache(maxsize=4096)
def location_of(number: str) -> Location:
    """The location of a valid number (a small built-in table first, then phonenumbers)."""
    if number.startswith("+1") and len(number) == 12:
        known = _US_AREAS.get(number[2:5])
        if known is not None:
            city, state, zone, latitude, longitude = known
            label = "Washington, DC" if state == "DC" else f"{city}, {state}"
            return Location(
                label,
                state,
                "US",
                zone,
                city,
                state,
                coordinate=(latitude, longitude),
                source=("area code", number[2:5]),
            )
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
    first_zone = zones[0] if zones else None
    source = ("number prefix", number[:5])
    return Location(described, area, region, first_zone, place, area, source=source)
