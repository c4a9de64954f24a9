"""The closed months' trend figures kept in the database (`MonthlyFigures`, one row per month × scope), so
that the figures page reads a year instead of computing it. Aggregates only, never a patient.

The rule that keeps them right (README, "Figures and trends"): every figure of a request lies in the months
from its submission on, and an obstacle's in its month. Every change of a request's history
(`referrals.services.history.referral_change`, the one writer) and every obstacle sends
`referrals.signals.figures_touched`; here that writes a `FiguresChange` (its region, its first month) in
the change's own transaction. A kept month is *fresh* when it was computed with the current definitions,
is not marked stale, and no change not yet applied touches it; the page uses fresh months only and
computes the others live, so it is always right. Workers (`figures_refresh`, every minute from beat) apply
the changes (mark the months stale, delete the changes) and compute the stale months again. A result is
stored only if nothing touched the month while it was computed (`marks` unchanged, no change pending), so
a stored month never misses a change that committed before it was stored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from organisations.models import HealthcareRegion, Region
from reports.models import FiguresChange, MonthlyFigures
from reports.months import last_month, months_between, months_ending
from reports.scopes import ALL, Scope, scope_from_key
from reports.trend_queries import FIGURES_VERSION, compute_months

CHANGES_PER_ROUND = 1000


def every_scope() -> list[Scope]:
    """All regions, each healthcare region and each region: the scopes the page can show."""
    scopes = [Scope(ALL)]
    scopes += [Scope("healthcare_region", healthcare_region=h) for h in HealthcareRegion.objects.order_by("code")]
    return scopes + [Scope("region", region=r) for r in Region.objects.order_by("code")]


def is_closed(month: date) -> bool:
    return month <= last_month()


def figures_touched(*, region: Region, since: datetime, **_signal: Any) -> None:
    """The receiver of `referrals.signals.figures_touched`: note the change, in the caller's transaction.
    Noted even when it starts in the month now running (which is never kept): its transaction may commit
    after that month has ended and been computed."""
    FiguresChange.objects.create(region=region, month=timezone.localtime(since).date().replace(day=1))


def _pending(scope: Scope) -> Any:
    """The changes not yet applied that touch the outer row's month in `scope`."""
    return FiguresChange.objects.filter(scope.regions_q("region"), month__lte=OuterRef("month"))


def fresh_figures(*, scope: Scope, run: list[date]) -> dict[str, tuple[dict, datetime]]:
    """{"2026-10": (figures, computed_at)} for the months of `run` that are kept and fresh (one query)."""
    rows = (
        MonthlyFigures.objects.filter(scope_key=scope.key, month__in=run, stale=False, version=FIGURES_VERSION)
        .exclude(Exists(_pending(scope)))
        .values_list("month", "figures", "computed_at")
    )
    return {f"{month:%Y-%m}": (figures, at) for month, figures, at in rows if at is not None}


def figures_build(*, scope: Scope, months: list[date]) -> int:
    """Compute `months` (the ended ones) for `scope` in one run and keep each month nothing touched while it
    was computed. Returns how many were stored."""
    months = sorted({m.replace(day=1) for m in months if is_closed(m)})
    if not months:
        return 0
    seen = figures_claim(scope=scope, months=months)
    return figures_store(
        scope=scope, computed=compute_months(run=months_between(months[0], months[-1]), scope=scope), seen=seen
    )


def figures_claim(*, scope: Scope, months: list[date]) -> dict[date, int]:
    """Before computing: each month has its row, the pending changes are applied, and the marks are read;
    {month: marks}. A change noted from here on keeps its month from being stored."""
    MonthlyFigures.objects.bulk_create(
        [MonthlyFigures(month=m, scope_key=scope.key) for m in months], ignore_conflicts=True
    )
    figures_apply_changes()
    return dict(MonthlyFigures.objects.filter(scope_key=scope.key, month__in=months).values_list("month", "marks"))


def figures_store(*, scope: Scope, computed: dict[str, dict], seen: dict[date, int]) -> int:
    """Keep each claimed month's figures unless a change was noted since the claim (its marks moved on, or a
    change is pending). Returns how many were stored."""
    at, stored = timezone.now(), 0
    for month, marks in sorted(seen.items()):
        stored += (
            MonthlyFigures.objects.filter(scope_key=scope.key, month=month, marks=marks)
            .exclude(Exists(_pending(scope)))
            .update(figures=computed[f"{month:%Y-%m}"], version=FIGURES_VERSION, computed_at=at, stale=False)
        )
    return stored


def figures_apply_changes() -> int:
    """Mark stale the kept months the pending changes touch, and delete those changes. Safe in several
    workers at once: each round claims its changes with SELECT … FOR UPDATE SKIP LOCKED."""
    applied = 0
    while True:
        with transaction.atomic():
            changes = list(
                FiguresChange.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("region__healthcare_region")
                .order_by("id")[:CHANGES_PER_ROUND]
            )
            first: dict[str, date] = {}
            for change in changes:
                for key in _scope_keys(change.region):
                    first[key] = min(first.get(key, change.month), change.month)
            for key, month in sorted(first.items()):
                MonthlyFigures.objects.filter(scope_key=key, month__gte=month).update(stale=True, marks=F("marks") + 1)
            FiguresChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
        applied += len(changes)
        if len(changes) < CHANGES_PER_ROUND:
            return applied


def _scope_keys(region: Region) -> list[str]:
    keys = [ALL, Scope("region", region=region).key]
    if region.healthcare_region is not None:
        keys.append(Scope("healthcare_region", healthcare_region=region.healthcare_region).key)
    return keys


def figures_mark_all_stale() -> int:
    """Every kept month is out of date (a region or diagnosis group was renamed: the figures hold names)."""
    return MonthlyFigures.objects.update(stale=True, marks=F("marks") + 1)


def figures_refresh() -> int:
    """Apply the pending changes, compute again every kept month that is stale or of older definitions,
    and keep last month where it is not kept yet (should the monthly run's message have been lost).
    Returns how many months were stored."""
    return _recompute_due() + figures_backfill(months=1)


def _recompute_due() -> int:
    figures_apply_changes()
    due: dict[str, list[date]] = defaultdict(list)
    for key, month in MonthlyFigures.objects.filter(Q(stale=True) | ~Q(version=FIGURES_VERSION)).values_list(
        "scope_key", "month"
    ):
        due[key].append(month)
    stored = 0
    for key, months in sorted(due.items()):
        try:
            scope = scope_from_key(key)
        except (Region.DoesNotExist, HealthcareRegion.DoesNotExist, ValueError):
            MonthlyFigures.objects.filter(scope_key=key).delete()  # its region is gone
            continue
        stored += figures_build(scope=scope, months=months)
    return stored


def figures_backfill(*, months: int = 12) -> int:
    """Keep the `months` months up to last month for every scope: compute those not kept and fresh. Running
    it twice changes nothing. Returns how many months were stored."""
    figures_apply_changes()
    run = months_ending(last_month(), months)
    stored = 0
    for scope in every_scope():
        fresh = fresh_figures(scope=scope, run=run)
        missing = [m for m in run if f"{m:%Y-%m}" not in fresh]
        if missing:
            stored += figures_build(scope=scope, months=missing)
    return stored
