"""The ranking returns its best `TOP_N` units: the pages say how many more there are, and a unit ranked
below them is still proposed in one click (no reason needed: the matching ranks it)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from capacity.matching import TOP_N
from capacity.weeks import first_open_week
from referrals.models import ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, HospitalFactory, ReferralFactory, UnitFactory

MORE = 5


def _ranked_units(world, group) -> list:
    """TOP_N + MORE units with capacity, each farther away than the one before."""
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    units = []
    for n in range(TOP_N + MORE):
        hospital = HospitalFactory(region=world.neighbour_region, latitude=Decimal(f"{56.1 + n / 50:.5f}"))
        unit = UnitFactory(hospital=hospital)
        CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week)
        units.append(unit)
    return units


def test_the_request_page_says_how_many_units_can_take_the_patient(client, world):
    group = DiagnosisGroupFactory()
    _ranked_units(world, group)
    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.IN_REVIEW, diagnosis_group=group)
    client.force_login(world.sot)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    matching = response.context["matching"]
    assert (len(matching.proposals), matching.ranked_units, matching.more) == (TOP_N, TOP_N + MORE, MORE)
    assert f"{TOP_N + MORE} verksamheter kan ta emot patienten" in response.content.decode()
    response = client.get(reverse("referrals:propose", args=[referral.pk]))
    assert f"{TOP_N + MORE} verksamheter kan ta emot patienten" in response.content.decode()


def test_a_unit_ranked_below_the_top_is_proposed_without_a_reason(client, world):
    group = DiagnosisGroupFactory()
    last = _ranked_units(world, group)[-1]
    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.IN_REVIEW, diagnosis_group=group)
    client.force_login(world.sot)
    url = reverse("referrals:propose", args=[referral.pk])
    page = client.get(url, {"unit": last.pk})
    assert page.context["proposal"] is not None and page.context["proposal"].unit_id == last.pk
    assert not page.context["outside"]
    response = client.post(url, {"chosen": last.pk, "unit": last.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (ReferralStatus.PROPOSED, last)
