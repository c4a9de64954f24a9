from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sot.personal_numbers import mask_personal_number, normalize_personal_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19121212-1212", "191212121212"),
        ("191212121212", "191212121212"),
        ("121212-1212", "201212121212"),  # ten digits with "-": under 100 years old
        ("121212+1212", "191212121212"),  # "+": 100 years or older
        ("1212121212", "201212121212"),
        (" 19121212 1212 ", "191212121212"),
        ("19121272-1219", "191212721219"),  # samordningsnummer: birth day + 60
        ("121272-1219", "201212721219"),
    ],
)
def test_valid_numbers_are_normalised_to_twelve_digits(raw, expected):
    assert normalize_personal_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "format"),
        ("12345", "format"),
        ("19121212/1212", "format"),
        ("1912121212123", "format"),
        ("19121312-1212", "date"),  # month 13
        ("19120231-1234", "date"),  # 31 February
        ("19121292-1212", "date"),  # samordningsnummer with day 32
        ("19121212-1213", "checksum"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as excinfo:
        normalize_personal_number(raw)
    assert excinfo.value.code == code


def test_mask_hides_the_last_four():
    assert mask_personal_number("191212121212") == "19121212-****"
