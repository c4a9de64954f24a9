"""A small world for the group plan: the home region's waiting requests of one group, offers elsewhere."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from capacity.models import CapacityOffer
from capacity.weeks import first_open_week
from catalog.models import AsaClass
from planning.data import Scope
from referrals.models import Referral, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, HospitalFactory, ReferralFactory, UnitFactory


def week(n: int) -> date:
    """The Monday n weeks after the first open week."""
    return first_open_week(timezone.localdate()) + timedelta(weeks=n)


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture
def scope(world, group) -> Scope:
    return Scope(region=world.home_region, group=group)


def waiting(world, group, *, target: date | None = None, deadline: date | None = None, **kwargs) -> Referral:
    """A submitted request of the home unit: ASA III, the target date in week 2, the deadline in week 8."""
    return ReferralFactory(
        sending_unit=world.home_unit,
        diagnosis_group=group,
        status=kwargs.pop("status", ReferralStatus.SUBMITTED),
        asa_class=kwargs.pop("asa_class", AsaClass.III),
        decision_date=timezone.localdate() - timedelta(days=100),
        medical_target_date=target or week(2),
        care_guarantee_deadline=deadline or week(8),
        **kwargs,
    )


def unit_at(region, latitude: str):
    """A unit whose hospital lies north of the home hospital (56.0, 14.0): 0.9 degrees is about 100 km."""
    return UnitFactory(hospital=HospitalFactory(region=region, latitude=Decimal(latitude)))


def offer(unit, group, n: int = 0, **kwargs) -> CapacityOffer:
    kwargs.setdefault("slots", 1)
    return CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week(n), **kwargs)
