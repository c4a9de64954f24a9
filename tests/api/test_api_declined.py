"""The ranking in the API lists the units that declined the request, as the page does."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from capacity.weeks import first_open_week
from referrals import services
from referrals.models import DeclineReason, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory


def test_the_ranking_lists_declined_units_with_date_and_reason(world):
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=2)
    for unit in (world.neighbour_unit, world.far_unit):
        CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week, slots=3)
    referral = ReferralFactory(
        status=ReferralStatus.IN_REVIEW,
        sending_unit=world.home_unit,
        diagnosis_group=group,
        asa_class=3,
        medical_target_date=timezone.localdate() + timedelta(days=60),
        care_guarantee_deadline=timezone.localdate() + timedelta(days=80),
    )
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    services.referral_decline(referral=referral, by=world.receiving_staff, reason=DeclineReason.NO_CAPACITY)
    api = APIClient()
    api.force_authenticate(world.sot)
    data = api.get(f"/api/v1/referrals/{referral.pk}/proposals/", HTTP_ACCEPT_LANGUAGE="sv").json()
    assert [p["unit_id"] for p in data["proposals"]] == [world.far_unit.pk]
    (declined,) = data["declined"]
    assert declined["unit_id"] == world.neighbour_unit.pk
    assert declined["unit_name"] == "Ortopedi Karlskrona"
    assert declined["hospital_name"] == world.neighbour_unit.hospital.name
    assert declined["region_name"] == "Region Blekinge"
    assert declined["declined_on"] == timezone.localdate().isoformat()
    assert declined["reason"] == str(DeclineReason.NO_CAPACITY.label)
    assert declined["proposal"]["unit_id"] == world.neighbour_unit.pk  # it still has capacity


def test_no_decline_is_an_empty_list(world):
    referral = ReferralFactory(status=ReferralStatus.IN_REVIEW, sending_unit=world.home_unit)
    api = APIClient()
    api.force_authenticate(world.sot)
    assert api.get(f"/api/v1/referrals/{referral.pk}/proposals/").json()["declined"] == []


def test_the_schema_documents_the_declined_units(world):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    ranking = schema["paths"]["/api/v1/referrals/{id}/proposals/"]["get"]["responses"]["200"]
    ref = ranking["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    components = schema["components"]["schemas"]
    declined = components[ref]["properties"]["declined"]
    assert declined["type"] == "array"
    item = components[declined["items"]["$ref"].rsplit("/", 1)[-1]]
    assert {"unit_id", "unit_name", "hospital_name", "region_name", "declined_on", "reason", "proposal"} <= set(
        item["properties"]
    )
    assert "declined" in components[ref]["required"]
