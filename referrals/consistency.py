"""Invariants that span rows, which the database cannot hold by itself (`manage.py check_consistency`).

The schema holds what one row can: reserved slots within the offer's slots, a reservation only on an
accepted or completed request, a receiving unit exactly when the status has one. What spans rows is
checked here:

- each capacity offer counts as reserved exactly the accepted or completed requests holding one of its slots;
- a request holds a slot of its own receiving unit's capacity, for its diagnosis group (unless the SOT
  representative corrected the group after acceptance) and in the week of its planned date;
- each request has a history, and its last event leaves it in its current status;
- each event follows the one before it: it starts from the status that one left, and is not dated before it.

Problems name requests by reference and offers by id, unit and week; never a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag
from django.utils import translation

from capacity.models import CapacityOffer
from capacity.weeks import iso_week
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus

HOLDING = (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
STATUS = dict(ReferralStatus.choices)


@dataclass(frozen=True)
class Problem:
    subject: str  # "SOT-2026-000123" or "capacity offer 17"
    text: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.text}"


def find_problems() -> list[Problem]:
    """Every inconsistency found, offers first, then requests in reference order."""
    return [
        *_reserved_slots_miscounted(),
        *_reservations_not_matching_their_offer(),
        *_requests_without_history(),
        *_status_not_left_by_last_event(),
        *_events_not_following_the_previous(),
    ]


def checked_counts() -> tuple[int, int]:
    """How many offers and requests a check covers (for its summary line)."""
    return CapacityOffer.objects.count(), Referral.objects.count()


def _offer_name(offer: CapacityOffer | None) -> str:
    if offer is None:  # only requests that hold a slot are named
        raise ValueError("The request holds no capacity offer.")
    return f"capacity offer {offer.pk} ({offer.unit.name}, {iso_week(offer.week_start)})"


def _status(value: str) -> str:
    with translation.override(None):  # the report is in English, as the messages around it
        return str(STATUS.get(value, value)).lower()


def _reserved_slots_miscounted() -> list[Problem]:
    offers = (
        CapacityOffer.objects.annotate(holders=Count("reserved_by", filter=Q(reserved_by__status__in=HOLDING)))
        .exclude(reserved_slots=F("holders"))
        .select_related("unit")
        .order_by("pk")
    )
    return [
        Problem(
            _offer_name(offer),
            f"{offer.reserved_slots} slots are counted as reserved, "
            f"but {offer.holders} accepted or completed requests hold one.",
        )
        for offer in offers
    ]


def _reservations_not_matching_their_offer() -> list[Problem]:
    holding = Referral.objects.filter(reserved_offer__isnull=False).select_related("reserved_offer__unit")
    corrected_since = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), kind=EventKind.GROUP_CORRECTED, at__gte=OuterRef("accepted_at")
    )
    week_end = F("reserved_offer__week_start") + timedelta(days=6)
    found = [
        (referral, "which belongs to another unit than the request's receiving unit.")
        for referral in holding.exclude(reserved_offer__unit_id=F("receiving_unit_id"))
    ]
    found += [
        (referral, "which is for another diagnosis group, and the group was not corrected after acceptance.")
        for referral in holding.exclude(reserved_offer__diagnosis_group_id=F("diagnosis_group_id")).exclude(
            Exists(corrected_since)
        )
    ]
    found += [
        (referral, "but the request's planned date is outside that week.")
        for referral in holding.exclude(planned_date__gte=F("reserved_offer__week_start"), planned_date__lte=week_end)
    ]
    return [
        Problem(referral.reference, f"holds a slot of {_offer_name(referral.reserved_offer)}, {text}")
        for referral, text in sorted(found, key=lambda item: item[0].reference)
    ]


def _requests_without_history() -> list[Problem]:
    lonely = Referral.objects.exclude(Exists(ReferralEvent.objects.filter(referral=OuterRef("pk"))))
    return [
        Problem(reference, "has no history (not one event).")
        for reference in lonely.order_by("reference").values_list("reference", flat=True)
    ]


def _status_not_left_by_last_event() -> list[Problem]:
    last = ReferralEvent.objects.filter(referral=OuterRef("pk")).order_by("-id").values("to_status")[:1]
    mismatched = (
        Referral.objects.annotate(last_to=Subquery(last))
        .filter(last_to__isnull=False)
        .exclude(last_to=F("status"))
        .order_by("reference")
    )
    return [
        Problem(
            referral.reference,
            f"is {_status(referral.status)}, but its last event leaves it {_status(referral.last_to)}.",
        )
        for referral in mismatched
    ]


def _events_not_following_the_previous() -> list[Problem]:
    """In the order they were written (id): no event dated before, or starting elsewhere than, its predecessor.

    Both conditions refer to the window, so the database filters after numbering the whole history.
    """

    def previous(field: str) -> Window:
        return Window(Lag(field), partition_by=[F("referral_id")], order_by=F("id").asc())

    events = (
        ReferralEvent.objects.annotate(
            previous_id=previous("id"), previous_at=previous("at"), previous_to=previous("to_status")
        )
        .annotate(
            dated_before=Case(When(at__lt=F("previous_at"), then=True), default=False),
            starts_elsewhere=Case(
                When(Q(from_status="") | Q(previous_to__isnull=True) | Q(from_status=F("previous_to")), then=False),
                default=True,
            ),
        )
        .filter(Q(dated_before=True) | Q(starts_elsewhere=True))
        .annotate(reference=F("referral__reference"))
        .order_by("reference", "id")
    )
    problems = []
    for event in events:
        subject, what = event.reference, f"event {event.pk} ({event.kind})"
        if event.dated_before:
            problems.append(Problem(subject, f"{what} is dated before event {event.previous_id}, which it follows."))
        if event.starts_elsewhere:
            problems.append(
                Problem(
                    subject,
                    f"{what} starts from {_status(event.from_status)}, but event {event.previous_id} "
                    f"before it left the request {_status(event.previous_to)}.",
                )
            )
    return problems
