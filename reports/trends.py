"""The report's figures over a run of months, for the directors' figures page and the PDF's trend chart.

The months' figures come from `reports.trend_queries` (computed from the requests, one query per figure
over the whole run) or, for the months that have ended, from those kept in the database
(`reports.figure_store`); both hold the same plain figures per month, and `trends_from_months` turns them
into the page's series with translated labels. The page uses the kept months that are fresh and computes
only the others live (the month now running, any month not kept or touched since), so it is always right
and its query count does not depend on the number of months shown. Not cached: a cache would be out of
date after any change, and a test's cache.clear() empties it for everyone. Aggregates only: never a patient.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from referrals.models import CloseReason, DeclineReason, ObstacleCategory, ReferralEvent
from reports.figure_store import fresh_figures
from reports.figures import SENDING_REGION, month_window
from reports.months import month_label, months_between
from reports.months import months_ending as months_ending  # the trends' run of months
from reports.scopes import Scope
from reports.trend_history import BANDS, STATES, key_of
from reports.trend_queries import accepted_elsewhere, compute_months


def trends_for_page(*, last: date, scope: Scope, months: int = 12) -> dict:
    """The `months` months up to `last` for the page: kept months where fresh, the others computed now;
    `computed` says which months were computed when."""
    run = months_ending(last, months)
    kept = fresh_figures(scope=scope, run=run)
    missing = [m for m in run if f"{m:%Y-%m}" not in kept]
    per_month = {key: figures for key, (figures, _at) in kept.items()}
    now = timezone.now()
    if missing:
        live = compute_months(run=months_between(missing[0], missing[-1]), scope=scope)
        per_month.update({f"{m:%Y-%m}": live[f"{m:%Y-%m}"] for m in missing})
    trends = trends_from_months(run, per_month, scope)
    trends["computed"] = computed_parts(run, {key: at for key, (_f, at) in kept.items()}, now)
    return trends


def computed_parts(run: list[date], kept_at: dict[str, datetime], now: datetime) -> list[dict]:
    """Consecutive months computed at the same time: [{"months": "november 2025 – juni 2026", "at", "kept"}]."""
    parts: list[dict] = []
    for month in run:
        at = kept_at.get(f"{month:%Y-%m}")
        stamp = timezone.localtime(at or now).replace(second=0, microsecond=0)
        if parts and parts[-1]["kept"] == (at is not None) and parts[-1]["stamp"] == stamp:
            parts[-1]["last"] = month
        else:
            parts.append({"first": month, "last": month, "stamp": stamp, "kept": at is not None})
    return [
        {
            "months": month_label(p["first"])
            if p["first"] == p["last"]
            else f"{month_label(p['first'])} – {month_label(p['last'])}",
            "at": p["stamp"],
            "kept": p["kept"],
        }
        for p in parts
    ]


def compute_trends(*, last: date, scope: Scope, months: int = 12) -> dict:
    """Each figure for each of the `months` months up to `last`, all computed now, as lists in month order."""
    run = months_ending(last, months)
    return trends_from_months(run, compute_months(run=run, scope=scope), scope)


def band_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else _("over %(days)s") % {"days": low - 1}


def trends_from_months(run: list[date], per_month: dict[str, dict[str, Any]], scope: Scope) -> dict:
    """The page's series from each month's figures (`reports.trend_queries.compute_months`)."""
    keys = [f"{m:%Y-%m}" for m in run]
    rows = [per_month[k] for k in keys]
    coordinated = [row["coordinated"] for row in rows]
    given = [row["care_given"] for row in rows]
    return {
        "months": keys,
        "scope": scope.key,
        "scope_label": str(scope.label),
        "coordinated": coordinated,
        "coordinated_by_group": _series(rows, "by_group"),
        "coordinated_by_receiving_region": _series(rows, "by_receiving_region"),
        "submitted": [row["submitted"] for row in rows],
        "median_days_to_acceptance": [row["median_days_to_acceptance"] for row in rows],
        "accepted_after_deadline": [row["after_deadline"] for row in rows],
        "care_given": given,
        "loop_closure": [round(100 * g / c, 1) if c else None for g, c in zip(given, coordinated, strict=True)],
        "declines_by_reason": _series(rows, "declines", DeclineReason),
        "closings_by_reason": _series(rows, "closings", CloseReason),
        "obstacles_by_category": _series(rows, "obstacles", ObstacleCategory),
        "median_days_in_state": [
            {"state": str(state.label), "days": [row["days_in_state"].get(state.value) for row in rows]}
            for state in STATES
        ],
        "waiting_bands": [
            {"label": band_label(low, high), "counts": [row["bands"][i] for row in rows]}
            for i, (low, high) in enumerate(BANDS)
        ],
    }


def _series(rows: list[dict], field: str, choices: Any = None) -> list[dict]:
    """[{"label", "counts": [per month], "total"}], largest total first; labels of choices translated."""
    labels = dict(choices.choices) if choices is not None else {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(rows))
    for i, row in enumerate(rows):
        for code, n in row[field].items():
            counts[str(labels.get(code, code or "–"))][i] += n
    series = [{"label": label, "counts": values, "total": sum(values)} for label, values in counts.items()]
    return sorted(series, key=lambda row: (-row["total"], row["label"]))


def coordinated_trend(*, last: date, scope: Scope, months: int = 12) -> dict:
    """Only the coordinated patients per month (one query): what the monthly PDF's trend chart shows."""
    run = months_ending(last, months)
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    events = ReferralEvent.objects.filter(scope.regions_q(SENDING_REGION), at__gte=start, at__lt=end)
    keys = [f"{m:%Y-%m}" for m in run]
    rows = accepted_elsewhere(events).values("m").annotate(n=Count("referral_id", distinct=True)).order_by()
    counts = {key_of(row["m"]): row["n"] for row in rows}
    return {"months": keys, "coordinated": [counts.get(k, 0) for k in keys]}
