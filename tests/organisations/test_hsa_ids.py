"""HSA-ids on healthcare regions, regions, hospitals, units and people: format checked by form and database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organisations.hsa import normalise_hsa_id, validate_hsa_id
from tests.factories import HealthcareRegionFactory, HospitalFactory, RegionFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = ["SE2321000016-15CQ", "SE2321000255-A1", "SE1234567890-x"]
BAD = [
    "",
    "SE232100001615CQ",
    "SE232100001-15CQ",
    "se2321000016-15CQ",
    "SE2321000016-",
    "SE2321000016-15 CQ",
    "SE2321000016-15CQ'--",
    "SE2321000016-" + "A" * 19,
]


@pytest.mark.parametrize("value", GOOD)
def test_valid_hsa_ids_pass(value: str) -> None:
    validate_hsa_id(value)


@pytest.mark.parametrize("value", BAD)
def test_invalid_hsa_ids_are_refused_by_the_validator(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_hsa_id(value)


def test_normalise_capitalises_the_country_and_strips_space() -> None:
    assert normalise_hsa_id("  se2321000016-15CQ ") == "SE2321000016-15CQ"


@pytest.mark.parametrize("factory", [HealthcareRegionFactory, RegionFactory, HospitalFactory, UnitFactory, UserFactory])
def test_the_database_refuses_a_malformed_hsa_id(factory: Any) -> None:
    obj = factory()
    obj.hsa_id = "SE2321000016 15CQ"
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize("factory", [HealthcareRegionFactory, RegionFactory, HospitalFactory, UnitFactory, UserFactory])
def test_hsa_ids_are_unique_and_optional(factory: Any) -> None:
    factory(hsa_id=None)
    factory(hsa_id=None)  # any number without one
    factory(hsa_id="SE2321000016-15CQ")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(hsa_id="SE2321000016-15CQ")
