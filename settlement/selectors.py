"""Who may download which settlement files, and what is in them. Aggregates only, never a patient.

A settlement file covers one pair of regions (sending → receiving) and one month: the requests
counted as coordinated that month as the monthly report counts them (accepted in the month,
Europe/Stockholm, by a unit of another region), by diagnosis group × care form × unit price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from accounts.selectors import user_scopes
from organisations.models import Region
from referrals.models import EventKind, ReferralEvent
from reports.figures import SENDING_REGION, month_window

if TYPE_CHECKING:
    from accounts.models import User

RECEIVING_REGION = "receiving_unit__hospital__region"
PRICE = "referral__settlement_price__price"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Pair:
    sending: Region
    receiving: Region
    patients: int = 0
    amount: Decimal = Decimal("0.00")
    without_price: int = 0


def may_see_settlements(user: User) -> bool:
    scopes = user_scopes(user)
    return bool(scopes.is_administrator or scopes.director_regions or scopes.director_healthcare_regions)


def _visible_pairs_q(user: User) -> Q:
    """Pairs a user may see: a region's director those their region sends or receives in; a healthcare
    region's director those with both regions inside it; an administrator all."""
    scopes = user_scopes(user)
    if scopes.is_administrator:
        return Q()
    q = Q(pk__in=[])
    if scopes.director_regions:
        q |= Q(**{f"{SENDING_REGION}_id__in": scopes.director_regions})
        q |= Q(**{f"{RECEIVING_REGION}_id__in": scopes.director_regions})
    if scopes.director_healthcare_regions:
        q |= Q(
            **{
                f"{SENDING_REGION}__healthcare_region_id__in": scopes.director_healthcare_regions,
                f"{RECEIVING_REGION}__healthcare_region_id__in": scopes.director_healthcare_regions,
            }
        )
    return q


def coordinated_events(month: date) -> QuerySet[ReferralEvent]:
    """The acceptances of the month by a unit of another region (the report's definition)."""
    start, end = month_window(month)
    return (
        ReferralEvent.objects.filter(at__gte=start, at__lt=end, kind=EventKind.ACCEPTED)
        .filter(**{f"{RECEIVING_REGION}__isnull": False})
        .exclude(**{RECEIVING_REGION: F(SENDING_REGION)})
    )


def pairs_visible_to(user: User, *, month: date) -> list[Pair]:
    """The pairs with coordinated requests in the month that the user may see, with their totals."""
    rows = (
        coordinated_events(month)
        .filter(_visible_pairs_q(user))
        .values(sending=F(f"{SENDING_REGION}_id"), receiving=F(f"{RECEIVING_REGION}_id"))
        .annotate(
            patients=Count("referral_id", distinct=True),
            amount=Sum(PRICE),
            without_price=Count("referral_id", distinct=True, filter=Q(**{f"{PRICE}__isnull": True})),
        )
        .order_by()
    )
    regions = Region.objects.in_bulk()
    pairs = [
        Pair(
            regions[r["sending"]],
            regions[r["receiving"]],
            r["patients"],
            Decimal(r["amount"] or 0).quantize(CENT),
            r["without_price"],
        )
        for r in rows
    ]
    return sorted(pairs, key=lambda p: (p.sending.name, p.receiving.name))


def pair_get_for(user: User, *, month: date, sending_code: str, receiving_code: str) -> Pair:
    """One pair's file the user may download; 404 for another's pair or one without requests that month."""
    for pair in pairs_visible_to(user, month=month):
        if (pair.sending.code, pair.receiving.code) == (sending_code, receiving_code):
            return pair
    raise Http404


def settlement_lines(pair: Pair, *, month: date) -> list[dict]:
    """Lines of a pair's file: diagnosis group × care form × unit price (None: price missing), count, amount."""
    rows = (
        coordinated_events(month)
        .filter(**{f"{SENDING_REGION}_id": pair.sending.pk, f"{RECEIVING_REGION}_id": pair.receiving.pk})
        .values(
            group=F("referral__diagnosis_group__name"),
            sort=F("referral__diagnosis_group__sort_order"),
            care_form=F("referral__settlement_price__care_form"),
            unit_price=F(PRICE),
        )
        .annotate(patients=Count("referral_id", distinct=True))
        .order_by("sort", "group", "care_form", "unit_price")
    )
    return [
        {
            **row,
            "amount": (row["unit_price"] * row["patients"]).quantize(CENT) if row["unit_price"] is not None else None,
        }
        for row in rows
    ]
