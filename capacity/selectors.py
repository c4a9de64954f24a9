from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any  # a referral is Any here: referrals sit above capacity

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import user_scopes
from capacity.models import DEFAULT_CONFIRMATION_DAYS, CapacityOffer, ConfirmationLimit
from capacity.weeks import monday_of
from organisations.models import Unit

if TYPE_CHECKING:
    from accounts.models import User


def receiving_units_of(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=user_scopes(user).receiving_units).select_related("hospital").order_by("name")


def confirmation_days() -> int:
    """How many days an offer counts as confirmed (the administrator's setting)."""
    days = ConfirmationLimit.objects.values_list("days", flat=True).first()
    return DEFAULT_CONFIRMATION_DAYS if days is None else days


def offers_of_units(user: User, *, today: date, include_past: bool = False) -> QuerySet[CapacityOffer]:
    offers = (
        CapacityOffer.objects.active()
        .filter(unit_id__in=user_scopes(user).receiving_units)
        .select_related("unit__hospital", "diagnosis_group", "confirmed_by")
        .order_by("week_start", "unit__name", "diagnosis_group__sort_order", "care_type")
    )
    if not include_past:
        offers = offers.filter(week_start__gte=monday_of(today))
    return offers


def offer_get_for(user: User, *, pk: int) -> CapacityOffer:
    """An offer of one of the user's receiving units, else 404."""
    offer = (
        CapacityOffer.objects.active()
        .filter(pk=pk, unit_id__in=user_scopes(user).receiving_units)
        .select_related("unit__hospital", "diagnosis_group")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def offers_to_accept(referral: Any) -> QuerySet[CapacityOffer]:
    """The receiving unit's offers a request can be accepted into: its group, its ASA class, a free slot,
    a week not over."""
    from django.db.models import F
    from django.utils import timezone

    from capacity.weeks import first_open_week

    return (
        CapacityOffer.objects.active()
        .filter(
            unit_id=referral.receiving_unit_id,
            diagnosis_group_id=referral.diagnosis_group_id,
            week_start__gte=first_open_week(timezone.localdate()),
            max_asa__gte=referral.asa_class or 1,
            reserved_slots__lt=F("slots"),
        )
        .order_by("week_start", "care_type")
    )


def offers_visible_to(user: User, *, today: date) -> QuerySet[CapacityOffer] | None:
    """Capacity offers from this week on that the user works with: receiving staff their own units' (as
    offers_of_units), SOT representatives those of active units outside their regions (as the capacity
    overview). None: the user holds neither role."""
    from django.db.models import Q

    scopes = user_scopes(user)
    if not scopes.receiving_units and not scopes.sot_regions:
        return None
    condition = Q(unit_id__in=scopes.receiving_units)
    if scopes.sot_regions:
        condition |= Q(unit__is_active=True) & ~Q(unit__hospital__region_id__in=scopes.sot_regions)
    return (
        CapacityOffer.objects.active()
        .filter(condition, week_start__gte=monday_of(today))
        .select_related("unit__hospital", "diagnosis_group")
        .order_by("week_start", "unit_id", "diagnosis_group_id", "care_type", "id")
    )
