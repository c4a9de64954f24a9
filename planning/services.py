"""Applying a group plan: each chosen assignment becomes an ordinary proposal through the lifecycle.

A submitted request is taken into review first (`referral_take`), then proposed (`referral_propose`), both in
one transaction on the request's locked row: nothing is reserved until the receiving unit accepts. A request
that is no longer waiting (it was proposed by an earlier apply, a concurrent one or by hand) is left alone,
so applying the same plan twice proposes once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from capacity.models import CapacityOffer
from capacity.weeks import format_week
from planning.data import WAITING, Scope, waiting_requests
from referrals.models import Referral, ReferralStatus
from referrals.services import TransitionNotAllowed, referral_propose, referral_take


@dataclass
class Applied:
    proposed: list[str] = field(default_factory=list)  # references
    unchanged: list[str] = field(default_factory=list)  # no longer waiting: proposed already, or moved on
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def plan_apply(*, by: User, scope: Scope, chosen: list[tuple[int, int]]) -> Applied:
    """Propose each chosen (request id, offer id) of the plan of `scope`. Ids outside the scope are ignored."""
    applied = Applied()
    requests = {r.pk: r for r in waiting_requests(scope).filter(pk__in=[r for r, _o in chosen])}
    already = Referral.objects.filter(
        pk__in=[r for r, _o in chosen if r not in requests], sending_unit__hospital__region=scope.region
    ).exclude(status__in=WAITING)
    applied.unchanged = sorted(already.values_list("reference", flat=True))
    offers = CapacityOffer.objects.select_related("unit__hospital").filter(
        pk__in=[o for _r, o in chosen], diagnosis_group=scope.group
    )
    by_pk = {offer.pk: offer for offer in offers}
    for request_id, offer_id in chosen:
        referral, offer = requests.get(request_id), by_pk.get(offer_id)
        if referral is None or offer is None:
            continue
        _propose(applied, by=by, referral=referral, offer=offer)
    return applied


def _propose(applied: Applied, *, by: User, referral: Referral, offer: CapacityOffer) -> None:
    note = _("From the group plan: %(week)s.") % {"week": format_week(offer.week_start)}
    try:
        with transaction.atomic():
            if referral.status == ReferralStatus.SUBMITTED:
                referral_take(referral=referral, by=by)
            referral_propose(referral=referral, by=by, unit=offer.unit, note=note)
    except TransitionNotAllowed:
        applied.unchanged.append(referral.reference)
    except ValidationError as exc:
        applied.refused.append((referral.reference, " ".join(exc.messages)))
    else:
        applied.proposed.append(referral.reference)
