"""Stable, fast pseudo-randomness keyed by a number and some integers.

Python's ``hash()`` is salted per process, so it cannot give the same data
twice across runs; everything random in the simulator comes from here instead.
"""

from __future__ import annotations

import hashlib

_MASK = (1 << 64) - 1


def stable_seed(text: str) -> int:
    """A 64-bit seed that depends only on ``text``."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def mix(seed: int, *parts: int) -> int:
    """A 64-bit value determined by ``seed`` and ``parts`` (splitmix64 rounds)."""
    z = seed & _MASK
    for part in parts:
        z = (z ^ (part & _MASK)) + 0x9E3779B97F4A7C15 & _MASK
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & _MASK
        z ^= z >> 31
    return z


def unit(seed: int, *parts: int) -> float:
    """A float in [0, 1) determined by ``seed`` and ``parts``."""
    return mix(seed, *parts) / 18446744073709551616.0


def pick(seed: int, options: tuple[str, ...], *parts: int) -> str:
    """One of ``options``, chosen by ``seed`` and ``parts``."""
    return options[mix(seed, *parts) % len(options)]
