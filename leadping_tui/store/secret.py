"""Showing secrets without revealing them."""

from __future__ import annotations

NOT_SET = "(not set)"
_ELLIPSIS = "\u2026"
_SHORT = 12
_MAX_PREFIX = 4


def mask_secret(value: str | None) -> str:
    """A recognisable but useless form of a secret, e.g. ``sk_live_abcdef1234`` -> ``sk_…1234``.

    The prefix is everything up to the first ``_`` when that is at most four
    characters (``sk_``), else the first three characters; then ``…`` and the
    last four. Secrets shorter than 12 characters show at most their last two
    characters, and those shorter than 6 show nothing at all, so that the
    mask never gives away a meaningful share of the secret.
    """
    if value is None:
        return NOT_SET
    if not value:
        return "(empty)"
    if len(value) < _SHORT:
        return _ELLIPSIS + (value[-2:] if len(value) >= 6 else "")
    underscore = value.find("_")
    prefix = value[: underscore + 1] if 0 < underscore < _MAX_PREFIX else value[:3]
    return f"{prefix}{_ELLIPSIS}{value[-4:]}"
