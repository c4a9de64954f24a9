from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalog.icd10 import lookup_icd10

# The description is looked up among the Swedish titles first (none here: WHO's English is shown).
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "code", "description_part"),
    [
        ("M17.1", "M17.1", "gonarthrosis"),
        ("m171", "M17.1", "gonarthrosis"),  # forgiving: lower case, no point
        (" C50.9 ", "C50.9", "Breast"),
        ("M17", "M17", "Gonarthrosis"),  # a category alone is a valid code
        ("S72.00", "S72.00", "neck of femur"),  # ICD-10-SE's fifth character
        ("K80.29", "K80.29", "gallbladder"),  # fifth character under a known fourth
    ],
)
def test_known_codes_are_normalised_and_described(raw, code, description_part):
    result = lookup_icd10(raw)
    assert result.code == code
    assert description_part.lower() in result.description.lower()
    assert result.category == code[:3]


@pytest.mark.parametrize("raw", ["", "M1", "17.1", "MM17", "M17.123", "M17-1", "Ö17"])
def test_malformed_codes_are_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        lookup_icd10(raw)
    assert excinfo.value.code == "format"


@pytest.mark.parametrize("raw", ["U99.9", "D99", "K94.1", "C98"])
def test_unknown_categories_are_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        lookup_icd10(raw)
    assert excinfo.value.code == "unknown"
