"""Who sees which request: the one place that decides it (patientdatalagen 4 kap. 1 §, inner secrecy).

Unit staff see their unit's requests; SOT representatives their region's submitted requests and
requests proposed to their region's units; receiving staff what is proposed to or accepted by
their unit; health directors and administrators no patient at all. Everything outside answers 404.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import roles_on_request, user_scopes
from organisations.models import Unit, taking_part_q
from referrals import clock, working_days
from referrals.models import STATUSES_WITH_RECEIVING_UNIT, Referral, ReferralStatus, StateWaitLimit
from sot import compiled_queries, reference_cache

if TYPE_CHECKING:
    from accounts.models import User


def _visibility_filter(user: User) -> Q | None:
    scopes = user_scopes(user)
    parts: list[Q] = []
    if scopes.unit_staff_units:
        parts.append(Q(sending_unit_id__in=scopes.unit_staff_units))
    if scopes.sot_regions:
        parts.append(Q(sending_unit__hospital__region_id__in=scopes.sot_regions, submitted_at__isnull=False))
        parts.append(Q(receiving_unit__hospital__region_id__in=scopes.sot_regions))
    if scopes.receiving_units:
        parts.append(Q(receiving_unit_id__in=scopes.receiving_units, status__in=STATUSES_WITH_RECEIVING_UNIT))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    condition = _visibility_filter(user)
    if condition is None:
        return Referral.objects.none()
    return Referral.objects.filter(condition)


def referral_get_for(user: User, *, pk: int) -> Referral:
    """The access helper: the request if the user may see it, else 404 (never 403, which would leak)."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "patient",
            "patient_home_region",
            "priority",
            "diagnosis_group",
            "sending_unit__hospital__region__healthcare_region",
            "receiving_unit__hospital__region__healthcare_region",
            "reserved_offer",
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def referral_roles(user: User, referral: Referral) -> frozenset[str]:
    """The roles the user holds *on this request*, for the lifecycle table."""
    return roles_on_request(
        user,
        sending_unit_id=referral.sending_unit_id,
        sending_region_id=referral.sending_unit.hospital.region_id,
        receiving_unit_id=referral.receiving_unit_id,
    )


def units_to_propose(referral: Referral) -> QuerySet[Unit]:
    """The units a request may be proposed to: any active unit outside its sending region, in a region that
    takes part in SOT."""
    return (
        Unit.objects.filter(taking_part_q("hospital__region__", on=timezone.localdate()), is_active=True)
        .exclude(hospital__region_id=referral.sending_unit.hospital.region_id)
        .select_related("hospital__region")
        .order_by("hospital__region__name", "hospital__name", "name")
    )


def status_counts(referrals: QuerySet[Referral]) -> dict[str, int]:
    """Count per status in one query; every status present, zero where none."""
    counts = dict.fromkeys(ReferralStatus.values, 0)
    for row in referrals.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def unit_referrals(user: User) -> QuerySet[Referral]:
    """The requests of the units where the user is unit staff, ready for a list (constant query count)."""
    scopes = user_scopes(user)
    return (
        referrals_visible_to(user)
        .filter(sending_unit_id__in=scopes.unit_staff_units)
        .select_related("patient", "priority", "diagnosis_group", "sending_unit__hospital")
        .prefetch_related("pauses")
        .order_by("-created_at", "-id")
    )


def wait_status_of(referral: Referral, *, today: date) -> clock.WaitStatus:
    """Days waited and days left, from the one clock. Uses prefetched pauses when there are any."""
    return clock.wait_status(
        today=today,
        decision_date=referral.decision_date,
        deadline=referral.care_guarantee_deadline,
        target_date=referral.medical_target_date,
        periods=[clock.Period(p.start_date, p.end_date) for p in referral.pauses.all()],
    )


def referral_timeline(referral: Referral) -> QuerySet:
    return referral.events.select_related("actor", "receiving_unit__hospital").order_by("at", "id")


QUEUE_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)
# Still without a date of care: an accepted request past its deadline has its date, so it is not "overdue".
WAITING_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.PROPOSED)


def overdue_condition(*, today: date) -> Q:
    """Past the care-guarantee deadline and still without a date of care. The one definition behind the
    start page's count, the queue's overdue filter and the queue's order, so that they cannot differ."""
    return Q(status__in=WAITING_STATUSES, care_guarantee_deadline__lt=today)


def sot_region_requests(user: User) -> QuerySet[Referral]:
    """Every submitted request sent by a unit of the user's SOT regions, open or finished: what the start
    page counts and what the queue filters (open ones by default, finished ones as its history)."""
    return referrals_visible_to(user).filter(
        sending_unit__hospital__region_id__in=user_scopes(user).sot_regions, submitted_at__isnull=False
    )


def sot_queue(user: User, *, today: date) -> QuerySet[Referral]:
    """The requests of the user's SOT regions (sot_region_requests), most urgent first: past the
    care-guarantee deadline and not yet accepted, then fewest days to the medical target date, then
    priority, then ASA class (higher first). An accepted request past the deadline already has its
    date, so it does not push unplaced patients down."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        sot_region_requests(user)
        # Read as rows of the columns the queue shows and the access log records (referrals.queue_entries),
        # nothing more: the page is the SOT representative's most used, and the rest of a request (the
        # patient's details among it) is not on it.
        .annotate(
            overdue=Case(
                When(overdue_condition(today=today), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue", "medical_target_date", "priority__sort_order", "-asa_class", "submitted_at", "id")
    )


def queue_counts(
    referrals: Callable[[], QuerySet[Referral]], *, user: User, compiled_as: Hashable | None = None
) -> dict[str, int]:
    """The queue's counts in one query: each status (as status_counts) and "mine", the open requests the
    user handles (what the "Mina ärenden" filter shows). `referrals` builds the queue's queryset; with
    `compiled_as` (a key naming everything it is built from) its SQL is compiled once (sot.compiled_queries)."""
    counts = dict.fromkeys([*ReferralStatus.values, "mine"], 0)

    def query() -> QuerySet[Any]:
        mine = Count("id", filter=handled_by(user) & Q(status__in=QUEUE_STATUSES))
        return referrals().order_by().values_list("status").annotate(n=Count("id"), mine=mine)

    rows = query() if compiled_as is None else compiled_queries.rows(("queue-counts", compiled_as), query)
    for status, n, handled in rows:
        counts[status] = n
        counts["mine"] += handled
    return counts


def handled_by(user: User) -> Q:
    """The requests the user handles ("Mina ärenden")."""
    return Q(handler_id=user.pk)


def wait_limits() -> dict[str, int]:
    """Working days a request may stay in each status (admin-editable); a status without a row has no limit.
    Kept between requests until a limit changes (sot.reference_cache)."""
    return reference_cache.kept(
        "wait-limits",
        lambda: dict(StateWaitLimit.objects.values_list("status", "working_days")),
        models=[StateWaitLimit],
    )


def waited_too_long_condition(limits: dict[str, int], *, today: date) -> Q:
    """In its status for more working days than the status's limit: the queue's filter and its start-page
    count. `waited_too_long` says the same of one request already loaded."""
    condition = Q(pk__in=[])
    for status, days in limits.items():
        cutoff = working_days.start_of(working_days.first_day_within(days, today=today))
        condition |= Q(status=status, status_changed_at__lt=cutoff)
    return condition


def days_in_status(referral: Referral, *, today: date) -> int:
    """Working days since the request entered its status."""
    return working_days.working_days_between(timezone.localdate(referral.status_changed_at), today)


def waited_too_long(referral: Referral, limits: dict[str, int], *, today: date) -> bool:
    limit = limits.get(referral.status)
    return limit is not None and days_in_status(referral, today=today) > limit


INBOX_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)


def receiving_inbox(user: User) -> QuerySet[Referral]:
    """What is proposed to, or accepted by, the user's receiving units, soonest first. Completed care is
    not in the inbox (it is on each request's page)."""
    scopes = user_scopes(user)
    return (
        referrals_visible_to(user)
        .filter(receiving_unit_id__in=scopes.receiving_units, status__in=INBOX_STATUSES)
        .select_related(
            "priority",
            "diagnosis_group",
            "sending_unit__hospital__region",
            "receiving_unit__hospital",
            "reserved_offer",
        )
        .prefetch_related("pauses")
        .order_by("planned_date", "medical_target_date", "id")
    )


def obstacles_visible_to(user: User) -> QuerySet:
    from referrals.models import Obstacle

    return (
        Obstacle.objects.filter(region_id__in=user_scopes(user).sot_regions)
        .select_related("region", "referral", "created_by")
        .order_by("-created_at", "-id")
    )


def proposals_visible_to(user: User) -> QuerySet:
    """Each proposal of a request to a receiving unit (its PROPOSED event), for the requests the user sees:
    the sending side (unit staff, SOT representatives) sees every proposal of its requests, receiving staff
    only those to their own units (not which other units were asked before)."""
    from referrals.models import EventKind, ReferralEvent

    scopes = user_scopes(user)
    proposals = ReferralEvent.objects.filter(kind=EventKind.PROPOSED, referral__in=referrals_visible_to(user))
    sending_side = Q(referral__sending_unit_id__in=scopes.unit_staff_units) | Q(
        referral__sending_unit__hospital__region_id__in=scopes.sot_regions
    )
    own_units = Q(receiving_unit_id__in=scopes.receiving_units) | Q(
        receiving_unit__hospital__region_id__in=scopes.sot_regions
    )
    return proposals.filter(sending_side | own_units)
