from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from organisations.models import HealthcareRegion, Region, Unit
from tests.factories import (
    HealthcareRegionFactory,
    HospitalFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
    member,
)


@dataclass
class World:
    """Two regions of one healthcare region and one of another, with one persona per role.

    Personas: unit staff of the home unit (owner), unit staff of another region, the home
    region's SOT representative, another region's SOT representative, receiving staff in
    another region, a health director, an administrator, and a user with no role.
    """

    south: HealthcareRegion
    southeast: HealthcareRegion
    home_region: Region
    neighbour_region: Region
    far_region: Region
    home_unit: Unit
    neighbour_unit: Unit
    far_unit: Unit
    unit_staff: User
    other_region_staff: User
    sot: User
    other_sot: User
    receiving_staff: User
    director: User
    administrator: User
    nobody: User


@pytest.fixture
def world(db) -> World:
    south = HealthcareRegionFactory(code="sodra", name="Södra sjukvårdsregionen")
    southeast = HealthcareRegionFactory(code="sydostra", name="Sydöstra sjukvårdsregionen")
    home_region = RegionFactory(code="skane", name="Region Skåne", healthcare_region=south)
    neighbour_region = RegionFactory(code="blekinge", name="Region Blekinge", healthcare_region=south)
    far_region = RegionFactory(code="kalmar", name="Region Kalmar län", healthcare_region=southeast)
    home_unit = UnitFactory(hospital=HospitalFactory(region=home_region), name="Ortopedi Lund")
    neighbour_unit = UnitFactory(hospital=HospitalFactory(region=neighbour_region), name="Ortopedi Karlskrona")
    far_unit = UnitFactory(hospital=HospitalFactory(region=far_region), name="Ortopedi Kalmar")

    def persona(username: str, role: str | None = None, scope=None, **extra) -> User:
        user = UserFactory(username=username, **extra)
        if role:
            member(user, role, scope)
        return user

    return World(
        south=south,
        southeast=southeast,
        home_region=home_region,
        neighbour_region=neighbour_region,
        far_region=far_region,
        home_unit=home_unit,
        neighbour_unit=neighbour_unit,
        far_unit=far_unit,
        unit_staff=persona("staff", Role.UNIT_STAFF, home_unit),
        other_region_staff=persona("stranger", Role.UNIT_STAFF, neighbour_unit),
        sot=persona("sot", Role.SOT_REPRESENTATIVE, home_region),
        other_sot=persona("other-sot", Role.SOT_REPRESENTATIVE, neighbour_region),
        receiving_staff=persona("receiver", Role.RECEIVING_STAFF, neighbour_unit),
        director=persona("director", Role.HEALTH_DIRECTOR, home_region),
        administrator=persona("administrator", is_staff=True, is_superuser=True),
        nobody=persona("nobody"),
    )


@pytest.fixture(autouse=True)
def _own_reference_cache(monkeypatch):
    """Each test keeps reference data (sot.reference_cache) under keys of its own: a test's rows are rolled
    back, but what it kept in the shared Redis is not, and must never be found by the next test."""
    from sot import reference_cache

    monkeypatch.setattr(reference_cache, "PREFIX", f"reference:{uuid.uuid4().hex}:")


@pytest.fixture(autouse=True)
def _fresh_local_cache(settings):
    """Each test starts with an empty in-process cache (the API rate limit counts there): SQLite hands out the
    same user ids again in every test, so one test's requests would otherwise count against the next."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _no_compiled_queries():
    """Each test compiles its own queries (sot.compiled_queries): SQLite hands out the same ids again."""
    from sot import compiled_queries

    compiled_queries.forget()
