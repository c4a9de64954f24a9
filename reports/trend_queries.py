"""The trend figures of a run of months, computed from the requests: each figure is one query over the whole
run grouped by Stockholm month (`TruncMonth`), so the query count does not grow with the number of months.

The result holds each month's figures apart, as plain JSON (counts by code or name, days as numbers), the
form in which the closed months are kept (`reports.models.MonthlyFigures`); the page translates labels
when it shows them. The definitions are the monthly report's (`reports.figures`): a month is its
Stockholm-time window, a patient counts when a unit in another region accepted the request, the
diagnosis group is the current one, and the scope filters the sending region. Aggregates only.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from referrals.models import EventKind, Obstacle, Referral, ReferralEvent
from reports.figures import SENDING_REGION, Median, month_window
from reports.scopes import Scope
from reports.trend_history import days, days_in_state, key_of, waiting_bands

# Bump when a definition changes: stored months of another version are computed again.
FIGURES_VERSION = 1


def compute_months(*, run: list[date], scope: Scope) -> dict[str, dict[str, Any]]:
    """{"2026-10": figures} for each month of `run` (consecutive months, oldest first)."""
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    keys = [f"{m:%Y-%m}" for m in run]
    events = ReferralEvent.objects.filter(scope.regions_q(SENDING_REGION), at__gte=start, at__lt=end)
    accepted = accepted_elsewhere(events)
    totals = _acceptance_totals(accepted)
    columns: dict[str, dict[str, Any]] = {
        "submitted": _counts(
            Referral.objects.filter(
                scope.regions_q("sending_unit__hospital__region"), submitted_at__gte=start, submitted_at__lt=end
            ).annotate(m=month_of("submitted_at"))
        ),
        "median_days_to_acceptance": _median_days_by_month(accepted),
        "by_group": _labelled(accepted, F("referral__diagnosis_group__name"), "referral_id"),
        "by_receiving_region": _labelled(accepted, F("receiving_unit__hospital__region__name"), "referral_id"),
        "declines": _labelled(events.filter(kind=EventKind.DECLINED).annotate(m=month_of("at")), F("reason")),
        "closings": _labelled(events.filter(kind=EventKind.CLOSED).annotate(m=month_of("at")), F("reason")),
        "obstacles": _labelled(
            Obstacle.objects.filter(scope.regions_q("region"), created_at__gte=start, created_at__lt=end).annotate(
                m=month_of("created_at")
            ),
            F("category"),
        ),
        "days_in_state": days_in_state(scope, run),
        "bands": waiting_bands(scope, run),
    }
    empty: dict[str, Any] = {
        "median_days_to_acceptance": None,
        "days_in_state": {},
        "bands": [0, 0, 0, 0],
        "submitted": 0,
    }
    return {
        k: {
            **{name: totals.get(k, {}).get(name, 0) for name in ("coordinated", "after_deadline", "care_given")},
            **{name: values.get(k, empty.get(name, {})) for name, values in columns.items()},
        }
        for k in keys
    }


def accepted_elsewhere(events: Any) -> Any:
    """The acceptance events by a unit in another region than the sending one (as `compute_figures`)."""
    return (
        events.filter(kind=EventKind.ACCEPTED, receiving_unit__hospital__region__isnull=False)
        .exclude(receiving_unit__hospital__region=F(SENDING_REGION))
        .annotate(m=month_of("at"))
    )


def month_of(field: str) -> TruncMonth:
    return TruncMonth(field, tzinfo=timezone.get_default_timezone())


def _acceptance_totals(accepted: Any) -> dict[str, dict[str, int]]:
    rows = accepted.values("m").annotate(
        coordinated=Count("referral_id", distinct=True),
        after_deadline=Count(
            "referral_id", distinct=True, filter=Q(at__date__gt=F("referral__care_guarantee_deadline"))
        ),
        care_given=Count("referral_id", distinct=True, filter=Q(referral__care_given_date__isnull=False)),
    )
    return {key_of(row.pop("m")): row for row in rows.order_by()}


def _counts(rows: Any) -> dict[str, int]:
    return {key_of(row["m"]): row["n"] for row in rows.values("m").annotate(n=Count("id")).order_by()}


def _labelled(rows: Any, label: F, distinct: str = "") -> dict[str, dict[str, int]]:
    """{"2026-10": {label: count}}; a missing label (a request without a group) is ""."""
    count = Count(distinct, distinct=True) if distinct else Count("id")
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows.values("m", label=label).annotate(n=count).order_by():
        key, name = key_of(row["m"]), row["label"] or ""
        result[key][name] = result[key].get(name, 0) + row["n"]
    return dict(result)


def _median_days_by_month(accepted: Any) -> dict[str, float | None]:
    waited = ExpressionWrapper(F("at") - F("referral__submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        rows = accepted.values("m").annotate(median=Median(waited)).order_by()
        return {key_of(r["m"]): days(r["median"]) for r in rows}
    durations: dict[str, list[Any]] = defaultdict(list)  # no ordered-set aggregates: the durations are few here
    for m, value in accepted.annotate(waited=waited).values_list("m", "waited"):
        if value is not None:
            durations[key_of(m)].append(value)
    return {k: days(statistics.median(v)) for k, v in durations.items()}
