from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import user_scopes
from capacity.models import CapacityOffer
from capacity.weeks import monday_of
from organisations.models import Unit


def receiving_units_of(user) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=user_scopes(user).receiving_units).select_related("hospital").order_by("name")


def offers_of_units(user, *, today: date, include_past: bool = False) -> QuerySet[CapacityOffer]:
    offers = (
        CapacityOffer.objects.active()
        .filter(unit_id__in=user_scopes(user).receiving_units)
        .select_related("unit__hospital", "diagnosis_group")
        .order_by("week_start", "unit__name", "diagnosis_group__sort_order", "care_type")
    )
    if not include_past:
        offers = offers.filter(week_start__gte=monday_of(today))
    return offers


def offer_get_for(user, *, pk: int) -> CapacityOffer:
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
