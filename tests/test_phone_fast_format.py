"""The dashboard formats North American numbers without loading phonenumbers.

The fast path must agree with phonenumbers for every number it accepts.
"""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from leadping_tui.phone import format_number

nanp = st.builds(
    lambda area, exchange, line: f"+1{area}{exchange}{line:04d}",
    st.integers(200, 999),
    st.integers(200, 999),
    st.integers(0, 9999),
)


@settings(max_examples=400, deadline=None)
@given(nanp)
def test_fast_path_matches_phonenumbers(e164: str) -> None:
    parsed = phonenumbers.parse(e164, None)
    expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    assert format_number(e164) == expected


def test_other_numbers_still_use_phonenumbers() -> None:
    assert format_number("+442079460000") == "+44 20 7946 0000"
    assert format_number("+11234567890") == phonenumbers.format_number(
        phonenumbers.parse("+11234567890", None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    assert format_number("not a number") == "not a number"


def test_formatting_a_us_number_does_not_import_phonenumbers() -> None:
    probe = (
        "import sys; from leadping_tui.phone import format_number; "
        "print(format_number('+12025550101'), 'phonenumbers' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["+1", "202-555-0101", "False"]
