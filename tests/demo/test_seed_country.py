"""The demo and the whole country: two regions outside Södra and Sydöstra join SOT with capacity, so a
coordinator in Skåne is proposed their units when the own healthcare region is full; the history stays in
Södra and Sydöstra, and what the administrator set about taking part stays when the seed runs again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from capacity.matching import rank_receiving_units
from capacity.models import CapacityOffer
from catalog.models import DiagnosisGroup
from demo.capacity import JOINING_UNITS
from demo.participation import JOINING
from organisations.models import Region, Unit
from referrals.models import Referral, ReferralStatus
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
HISTORY = ("sodra", "sydostra")


def _seed() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--referrals", "20", stdout=StringIO())


def test_the_demo_of_the_whole_country():
    """One seeding (it is slow), every check of it in turn."""
    _seed()
    _two_more_regions_take_part_and_bring_capacity()
    _the_history_stays_in_sodra_and_sydostra()
    _when_sodra_and_sydostra_are_full_skane_is_proposed_the_rest_of_the_country()
    _the_administrators_choice_stays_when_the_seed_runs_again()


def _two_more_regions_take_part_and_bring_capacity() -> None:
    today = timezone.localdate()
    taking_part = set(Region.objects.taking_part(on=today).values_list("code", flat=True))
    assert taking_part == {*JOINING, "skane", "blekinge", "kronoberg", "halland", "ostergotland", "jonkoping", "kalmar"}
    outside = CapacityOffer.objects.exclude(unit__hospital__region__healthcare_region__code__in=HISTORY)
    assert set(outside.values_list("unit__hospital__region__code", flat=True)) == set(JOINING)
    # Staff accounts only for units of regions taking part: the others' units neither send nor receive.
    assert not User.objects.filter(username="personal.akademiska-ortopedi").exists()
    assert User.objects.filter(username="personal.molndal-ortopedi").exists()


def _the_history_stays_in_sodra_and_sydostra() -> None:
    referrals = Referral.objects.all()
    assert referrals.exists()
    assert not referrals.exclude(sending_unit__hospital__region__healthcare_region__code__in=HISTORY).exists()
    assert (
        not referrals.filter(receiving_unit__isnull=False)
        .exclude(receiving_unit__hospital__region__healthcare_region__code__in=HISTORY)
        .exists()
    )


def _when_sodra_and_sydostra_are_full_skane_is_proposed_the_rest_of_the_country() -> None:
    artros = DiagnosisGroup.objects.get(code="artros-hoft-kna")
    referral = ReferralFactory(
        status=ReferralStatus.SUBMITTED,
        reference="SOT-2000-000001",  # not one of the demo's
        sending_unit=Unit.objects.get(code="sus-lund-ortopedi"),
        diagnosis_group=artros,
        asa_class=3,
    )
    referral = Referral.objects.select_related("sending_unit__hospital__region").get(pk=referral.pk)
    assert any(p.same_healthcare_region for p in rank_receiving_units(referral).proposals)
    home = CapacityOffer.objects.filter(unit__hospital__region__healthcare_region__code__in=HISTORY)
    home.update(reserved_slots=F("slots"))
    proposals = rank_receiving_units(referral).proposals
    assert proposals
    assert {p.region_name for p in proposals} <= {"Västra Götalandsregionen", "Region Stockholm"}
    assert not any(p.same_healthcare_region for p in proposals)


def _the_administrators_choice_stays_when_the_seed_runs_again() -> None:
    # As in a demo seeded before the regions joined: their capacity comes when the seed runs again, but only
    # where the administrator has not stopped the region meanwhile.
    CapacityOffer.objects.filter(unit__code__in=JOINING_UNITS).delete()
    Region.objects.filter(code="stockholm").update(takes_part=False)
    _seed()
    assert not Region.objects.get(code="stockholm").takes_part
    again = CapacityOffer.objects.filter(unit__code__in=JOINING_UNITS)
    assert set(again.values_list("unit__hospital__region__code", flat=True)) == {"vastra-gotaland"}
