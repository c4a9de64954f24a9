"""Capacity as Schedule and Slot: a receiving unit sees its own Slots, an SOT representative those of units
outside its regions; another unit's Slot is 404, a role without capacity 403, no token 401."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from capacity.weeks import first_open_week
from fhir import systems
from tests.factories import CapacityOfferFactory, UserFactory, member
from tests.fhir.conftest import FHIR, fhir_client


@pytest.fixture
def offer(world, reference_data):
    group, _priority = reference_data
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    return CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=3)


def test_a_slot_per_offer_week(world, offer):
    body = fhir_client(world.receiving_staff).get(f"{FHIR}/Slot/{offer.pk}").json()
    assert body["status"] == "free"
    assert body["extension"] == [{"url": systems.EXT_SLOT_CAPACITY, "valueInteger": offer.free_slots}]
    assert body["schedule"] == {"reference": f"Schedule/unit-{world.neighbour_unit.pk}"}
    assert body["start"].startswith(offer.week_start.isoformat())
    assert body["end"].startswith((offer.week_start + timedelta(days=7)).isoformat())
    offer.reserved_slots = offer.slots
    offer.save()
    assert fhir_client(world.receiving_staff).get(f"{FHIR}/Slot/{offer.pk}").json()["status"] == "busy"


def test_slot_searches(world, offer):
    client = fhir_client(world.sot)
    unit = f"Schedule/unit-{world.neighbour_unit.pk}"
    assert client.get(f"{FHIR}/Slot", {"schedule": unit, "status": "free"}).json()["total"] == 1
    assert client.get(f"{FHIR}/Slot", {"status": "busy"}).json()["total"] == 0
    assert client.get(f"{FHIR}/Slot", {"start": f"ge{offer.week_start}"}).json()["total"] == 1
    assert client.get(f"{FHIR}/Slot", {"start": f"lt{offer.week_start}"}).json()["total"] == 0
    group = f"{systems.DIAGNOSIS_GROUP}|{offer.diagnosis_group.code}"
    assert client.get(f"{FHIR}/Slot", {"service-type": group}).json()["total"] == 1
    schedules = client.get(f"{FHIR}/Schedule").json()
    assert [e["resource"]["id"] for e in schedules["entry"]] == [f"unit-{world.neighbour_unit.pk}"]


def test_slot_personas(world, offer):
    other_receiver = UserFactory(username="other-receiver")
    member(other_receiver, Role.RECEIVING_STAFF, world.far_unit)
    own_sot = UserFactory(username="neighbour-sot")
    member(own_sot, Role.SOT_REPRESENTATIVE, world.neighbour_region)
    path = f"{FHIR}/Slot/{offer.pk}"
    assert fhir_client(world.receiving_staff).get(path).status_code == 200  # its own unit's
    assert fhir_client(world.sot).get(path).status_code == 200  # another region's unit
    assert fhir_client(other_receiver).get(path).status_code == 404  # another unit's
    assert fhir_client(own_sot).get(path).status_code == 404  # its own region's units are not on offer to it
    assert fhir_client(other_receiver).get(f"{FHIR}/Slot").json()["total"] == 0
    for persona in ("unit_staff", "director", "administrator"):
        assert fhir_client(getattr(world, persona)).get(path).status_code == 403, persona
        assert fhir_client(getattr(world, persona)).get(f"{FHIR}/Schedule").status_code == 403, persona
    assert fhir_client().get(path).status_code == 401


def test_geography_for_every_signed_in_caller(world, db):
    world.home_unit.hsa_id = "SE2321000032-ORT1"
    world.home_unit.save()
    client = fhir_client(world.director)
    found = client.get(f"{FHIR}/Organization", {"identifier": f"{systems.HSA_ID}|SE2321000032-ORT1"}).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [f"unit-{world.home_unit.pk}"]
    assert (
        client.get(f"{FHIR}/Organization", {"identifier": "urn:oid:1.2.752.129.2.1.4.1|SE2321000032-ORT1"}).json()[
            "total"
        ]
        == 1
    )
    regions = client.get(f"{FHIR}/Organization", {"type": "region"}).json()
    assert regions["total"] == 3
    unit = client.get(f"{FHIR}/Organization/unit-{world.home_unit.pk}").json()
    assert unit["partOf"]["reference"] == f"Organization/hospital-{world.home_unit.hospital_id}"
    assert client.get(f"{FHIR}/Location/hospital-{world.home_unit.hospital_id}").status_code == 200
    assert client.get(f"{FHIR}/HealthcareService/unit-{world.home_unit.pk}").status_code == 200
    assert client.get(f"{FHIR}/Organization/unit-999999").status_code == 404
