"""The monthly report's figures, computed in the database. Aggregates only: never a patient.

Definitions (README, "The monthly report"):
- A patient counts in month M when a receiving unit in another region accepted the request in M
  (the acceptance event's time, Europe/Stockholm). The count stays when the request is withdrawn
  later: coordination happened; such requests are also shown as "withdrawn after acceptance".
- The diagnosis group is the request's current one, so an SOT representative's correction counts.
- A region-scoped report covers requests *sent* from the region and obstacles recorded *by* it.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from actionplans.selectors import plans_at
from referrals.models import CloseReason, DeclineReason, EventKind, Obstacle, ObstacleCategory, Referral, ReferralEvent
from reports.scopes import Scope

SENDING_REGION = "referral__sending_unit__hospital__region"


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate; other databases take the median in Python (see below)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def month_window(month: date) -> tuple[datetime, datetime]:
    """[first day 00:00, next month's first day 00:00) in Stockholm time, as aware datetimes."""
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def compute_figures(*, month: date, scope: Scope) -> dict:
    start, end = month_window(month)
    in_month = Q(at__gte=start, at__lt=end)
    events = ReferralEvent.objects.filter(in_month, scope.regions_q(SENDING_REGION))
    # "isnull=False" lets the database join the receiving region inner, as hand-written SQL would.
    accepted_elsewhere = events.filter(kind=EventKind.ACCEPTED, receiving_unit__hospital__region__isnull=False).exclude(
        receiving_unit__hospital__region=F(SENDING_REGION)
    )

    rows = list(
        accepted_elsewhere.values(
            group=F("referral__diagnosis_group__name"),
            sending_region=F(f"{SENDING_REGION}__name"),
            receiving_region=F("receiving_unit__hospital__region__name"),
        )
        .annotate(patients=Count("referral_id", distinct=True))
        .order_by("group", "sending_region", "receiving_region")
    )
    by_group = list(
        accepted_elsewhere.values(group=F("referral__diagnosis_group__name"))
        .annotate(patients=Count("referral_id", distinct=True))
        .order_by("-patients", "group")
    )
    totals = accepted_elsewhere.aggregate(
        patients=Count("referral_id", distinct=True),
        withdrawn_after_acceptance=Count("referral_id", distinct=True, filter=Q(referral__status="withdrawn")),
        after_deadline=Count(
            "referral_id", distinct=True, filter=Q(at__date__gt=F("referral__care_guarantee_deadline"))
        ),
    )
    closed = _by_reason(events.filter(kind=EventKind.CLOSED), CloseReason)
    declined = _by_reason(events.filter(kind=EventKind.DECLINED), DeclineReason)
    submitted = Referral.objects.filter(
        scope.regions_q("sending_unit__hospital__region"), submitted_at__gte=start, submitted_at__lt=end
    ).count()
    obstacles = Obstacle.objects.filter(scope.regions_q("region"), created_at__gte=start, created_at__lt=end)
    obstacle_counts = dict(obstacles.values_list("category").annotate(n=Count("id")).order_by())
    return {
        "month": f"{month:%Y-%m}",
        "scope": scope.key,
        "scope_label": str(scope.label),
        "coordinated": rows,
        "coordinated_by_group": by_group,
        "coordinated_total": totals["patients"],
        "withdrawn_after_acceptance": totals["withdrawn_after_acceptance"],
        "accepted_after_deadline": totals["after_deadline"],
        "median_days_to_acceptance": _median_days(accepted_elsewhere),
        **cost_figures(accepted_elsewhere),
        "submitted": submitted,
        "closed_without_coordination": closed,
        "closed_total": sum(r["count"] for r in closed),
        "declines": declined,
        "declines_total": sum(r["count"] for r in declined),
        "obstacles_by_category": [
            {"category": str(label), "count": obstacle_counts.get(value, 0)}
            for value, label in ObstacleCategory.choices
            if obstacle_counts.get(value)
        ],
        "obstacles": [
            {
                "date": f"{timezone.localtime(o.created_at):%Y-%m-%d}",
                "category": o.get_category_display(),
                "region": o.region.name,
                "text": o.text,
            }
            for o in obstacles.select_related("region").order_by("created_at", "id")
        ],
        "action_plans": action_plan_rows(scope=scope, day=(end - timedelta(days=1)).date()),
    }


def action_plan_rows(*, scope: Scope, day: date) -> list[dict]:
    """The scope's action plans with the status in force on `day` (the month's last day)."""
    return [
        {
            "category": row["plan"].get_category_display(),
            "place": row["plan"].place.name,
            "title": row["plan"].title,
            "owner": row["plan"].owner_function,
            "target": f"{row['plan'].indicator}: {row['plan'].target_value}",
            "status": row["change"].get_status_display(),
            "status_date": f"{row['change'].date:%Y-%m-%d}",
            "comment": row["change"].comment,
        }
        for row in plans_at(region=scope.region, healthcare_region=scope.healthcare_region, day=day)
    ]


def _by_reason(events: Any, reasons: Any) -> list[dict]:
    labels = dict(reasons.choices)
    counts = events.values_list("reason").annotate(n=Count("id")).order_by()
    return sorted(
        ({"reason": str(labels.get(reason, reason)), "count": n} for reason, n in counts),
        key=lambda row: (-row["count"], row["reason"]),
    )


def cost_figures(accepted: Any) -> dict:
    """Cost at cost price of the coordinated requests: the sum of the prices fixed at their acceptance
    (settlement app) per sending → receiving region and diagnosis group; those without a price
    ("price missing") counted beside it. Amounts are decimal strings (the figures are stored as JSON)."""
    price = "referral__settlement_price__price"
    rows = (
        accepted.values(
            sending_region=F(f"{SENDING_REGION}__name"),
            receiving_region=F("receiving_unit__hospital__region__name"),
            group=F("referral__diagnosis_group__name"),
        )
        .annotate(
            patients=Count("referral_id", distinct=True),
            amount=Sum(price),
            without_price=Count("referral_id", distinct=True, filter=Q(**{f"{price}__isnull": True})),
        )
        .order_by("sending_region", "receiving_region", "group")
    )
    costs = [{**row, "amount": f"{row['amount'] or 0:.2f}"} for row in rows]
    total = accepted.aggregate(
        amount=Sum(price), without_price=Count("referral_id", distinct=True, filter=Q(**{f"{price}__isnull": True}))
    )
    return {
        "costs": costs,
        "cost_total": f"{total['amount'] or 0:.2f}",
        "cost_without_price": total["without_price"],
    }


def _median_days(accepted: Any) -> float | None:
    waited = ExpressionWrapper(F("at") - F("referral__submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        median = accepted.aggregate(median=Median(waited))["median"]
    else:  # SQLite has no ordered-set aggregates: the month's durations are few, take the median here
        durations = list(accepted.annotate(waited=waited).values_list("waited", flat=True))
        median = statistics.median(durations) if durations else None
    return round(median.total_seconds() / 86400, 1) if median is not None else None
