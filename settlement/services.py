"""Fixing the price of a request at its acceptance (called inside the acceptance's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from organisations.models import Unit
from settlement.models import PriceListEntry, ReferralPrice

if TYPE_CHECKING:
    from referrals.models import Referral


def price_in_force(
    *, receiving_region_id: int, diagnosis_group_id: int, care_form: str, on: datetime
) -> PriceListEntry | None:
    """The list's entry for the key in the calendar year (Europe/Stockholm) of `on`, or None."""
    if not care_form:
        return None
    return PriceListEntry.objects.filter(
        receiving_region_id=receiving_region_id,
        diagnosis_group_id=diagnosis_group_id,
        care_form=care_form,
        year=timezone.localdate(on).year,
    ).first()


def referral_price_fix(*, referral: Referral, care_form: str, at: datetime) -> ReferralPrice | None:
    """Copy the price in force at `at` to the request; no entry → a row without a price (never blocks care).

    A request is accepted once (acceptance leads only to completion or withdrawal, both final), so
    its price is fixed once; were it accepted again, the new acceptance's price replaces the old.
    """
    if referral.receiving_unit_id is None or referral.diagnosis_group_id is None:
        return None  # accepted requests always have both; nothing to price otherwise
    region_id = Unit.objects.filter(pk=referral.receiving_unit_id).values_list("hospital__region_id", flat=True).get()
    entry = price_in_force(
        receiving_region_id=region_id, diagnosis_group_id=referral.diagnosis_group_id, care_form=care_form, on=at
    )
    price, _created = ReferralPrice.objects.update_or_create(
        referral_id=referral.pk,
        defaults={
            "receiving_region_id": region_id,
            "diagnosis_group_id": referral.diagnosis_group_id,
            "care_form": care_form,
            "year": timezone.localdate(at).year,
            "price": entry.price if entry else None,
            "entry": entry,
            "fixed_at": at,
        },
    )
    return price


def price_fix_on_acceptance(sender: Any, *, referral: Referral, care_form: str, at: datetime, **kwargs: Any) -> None:
    """The receiver of `referrals.signals.referral_accepted` (settlement/apps.py)."""
    referral_price_fix(referral=referral, care_form=care_form, at=at)
