"""The report's figures over a run of months, for the directors' figures page and the PDF's trend chart.

The definitions are the monthly report's (`reports.figures`): a month is its Stockholm-time window, a
patient counts when a unit in another region accepted the request, the diagnosis group is the current one,
and the scope filters the sending region. Each figure is one query over the whole range grouped by month
(`TruncMonth` in Stockholm time), so the query count does not grow with the number of months.

Two figures need the history of each request, and PostgreSQL computes them in SQL; other databases (the
tests' SQLite) compute the same definitions in Python from the same rows:
- median days in each state: a state's time ends with the status event that leaves it, in that month;
- waiting-time bands as vantetider.se reports them, for the requests open at a month's end (submitted
  before its end and not completed, withdrawn or closed by then): days waited on the month's last day
  as the care-guarantee clock counts them (`referrals.clock`), patient-chosen waiting (PvV) excluded.
Aggregates only: never a patient.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from referrals import clock
from referrals.models import (
    CloseReason,
    DeclineReason,
    EventKind,
    Obstacle,
    ObstacleCategory,
    Referral,
    ReferralEvent,
    ReferralStatus,
    WaitPause,
    WaitPauseKind,
)
from reports.figures import SENDING_REGION, Median, month_window
from reports.scopes import Scope

logger = logging.getLogger(__name__)

FINISHED = (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED)
# The states a request waits in on its way; the time in each is shown.
STATES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)
BANDS = ((0, 30), (31, 60), (61, 90), (91, None))  # vantetider.se: 0–30, 31–60, 61–90, over 90 days


def trends_for_page(*, last: date, scope: Scope, months: int = 12) -> dict:
    """`compute_trends` for the page, with the time they were computed (the page says it). Not cached: figures
    kept between views would be out of date after any change, and a cache emptied by tests or a restart
    hides what the page costs (README, "The directors' figures": the figure at a million requests)."""
    trends = compute_trends(last=last, scope=scope, months=months)
    trends["computed_at"] = timezone.now()
    return trends


def months_ending(last: date, count: int) -> list[date]:
    """The `count` months up to and including `last`'s month, oldest first."""
    months = [last.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def band_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else _("over %(days)s") % {"days": low - 1}


def compute_trends(*, last: date, scope: Scope, months: int = 12) -> dict:
    """Each figure for each of the `months` months up to `last`, as lists in month order."""
    run = months_ending(last, months)
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    keys = [f"{m:%Y-%m}" for m in run]
    events = ReferralEvent.objects.filter(scope.regions_q(SENDING_REGION), at__gte=start, at__lt=end)
    accepted = _accepted_elsewhere(events)

    totals: dict[str, dict[str, Any]] = {
        _key(row["m"]): dict(row)
        for row in accepted.values("m").annotate(
            patients=Count("referral_id", distinct=True),
            after_deadline=Count(
                "referral_id", distinct=True, filter=Q(at__date__gt=F("referral__care_guarantee_deadline"))
            ),
            given=Count("referral_id", distinct=True, filter=Q(referral__care_given_date__isnull=False)),
        )
    }
    coordinated = [totals.get(k, {}).get("patients", 0) for k in keys]
    given = [totals.get(k, {}).get("given", 0) for k in keys]
    submitted = _by_month(
        Referral.objects.filter(
            scope.regions_q("sending_unit__hospital__region"), submitted_at__gte=start, submitted_at__lt=end
        )
        .annotate(m=_month("submitted_at"))
        .values("m")
        .annotate(n=Count("id")),
        keys,
    )
    return {
        "months": keys,
        "scope": scope.key,
        "scope_label": str(scope.label),
        "coordinated": coordinated,
        "coordinated_by_group": _series(
            accepted.values("m", label=F("referral__diagnosis_group__name")).annotate(
                n=Count("referral_id", distinct=True)
            ),
            keys,
        ),
        "coordinated_by_receiving_region": _series(
            accepted.values("m", label=F("receiving_unit__hospital__region__name")).annotate(
                n=Count("referral_id", distinct=True)
            ),
            keys,
        ),
        "submitted": submitted,
        "median_days_to_acceptance": _median_days_by_month(accepted, keys),
        "accepted_after_deadline": [totals.get(k, {}).get("after_deadline", 0) for k in keys],
        "care_given": given,
        "loop_closure": [round(100 * g / c, 1) if c else None for g, c in zip(given, coordinated, strict=True)],
        "declines_by_reason": _series(
            events.filter(kind=EventKind.DECLINED)
            .annotate(m=_month("at"))
            .values("m", label=F("reason"))
            .annotate(n=Count("id")),
            keys,
            DeclineReason,
        ),
        "closings_by_reason": _series(
            events.filter(kind=EventKind.CLOSED)
            .annotate(m=_month("at"))
            .values("m", label=F("reason"))
            .annotate(n=Count("id")),
            keys,
            CloseReason,
        ),
        "obstacles_by_category": _series(
            Obstacle.objects.filter(scope.regions_q("region"), created_at__gte=start, created_at__lt=end)
            .annotate(m=_month("created_at"))
            .values("m", label=F("category"))
            .annotate(n=Count("id")),
            keys,
            ObstacleCategory,
        ),
        "median_days_in_state": _median_days_in_state(scope, run, keys),
        "waiting_bands": _waiting_bands(scope, run, keys),
    }


def coordinated_trend(*, last: date, scope: Scope, months: int = 12) -> dict:
    """Only the coordinated patients per month (one query): what the monthly PDF's trend chart shows."""
    run = months_ending(last, months)
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    events = ReferralEvent.objects.filter(scope.regions_q(SENDING_REGION), at__gte=start, at__lt=end)
    keys = [f"{m:%Y-%m}" for m in run]
    counts = _by_month(_accepted_elsewhere(events).values("m").annotate(n=Count("referral_id", distinct=True)), keys)
    return {"months": keys, "coordinated": counts}


def _accepted_elsewhere(events: Any) -> Any:
    """The acceptance events by a unit in another region than the sending one (as `compute_figures`)."""
    return (
        events.filter(kind=EventKind.ACCEPTED, receiving_unit__hospital__region__isnull=False)
        .exclude(receiving_unit__hospital__region=F(SENDING_REGION))
        .annotate(m=_month("at"))
    )


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, tzinfo=timezone.get_default_timezone())


def _key(value: date | datetime) -> str:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def _by_month(rows: Any, keys: list[str]) -> list[int]:
    counts = {_key(row["m"]): row["n"] for row in rows}
    return [counts.get(k, 0) for k in keys]


def _series(rows: Any, keys: list[str], choices: Any = None) -> list[dict]:
    """[{"label", "counts": [per month], "total"}], largest total first; labels of choices translated."""
    labels = dict(choices.choices) if choices is not None else {}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows.order_by():
        label = str(labels.get(row["label"], row["label"] or "–"))
        counts[label][_key(row["m"])] = counts[label].get(_key(row["m"]), 0) + row["n"]
    series = []
    for label, by in counts.items():
        values = [by.get(k, 0) for k in keys]
        series.append({"label": label, "counts": values, "total": sum(values)})
    return sorted(series, key=lambda row: (-row["total"], row["label"]))


def _days(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def _median_days_by_month(accepted: Any, keys: list[str]) -> list[float | None]:
    waited = ExpressionWrapper(F("at") - F("referral__submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        medians = {_key(r["m"]): r["median"] for r in accepted.values("m").annotate(median=Median(waited))}
    else:  # no ordered-set aggregates: the durations are few here
        durations: dict[str, list[Any]] = defaultdict(list)
        for m, value in accepted.annotate(waited=waited).values_list("m", "waited"):
            if value is not None:
                durations[_key(m)].append(value)
        medians = {k: statistics.median(v) for k, v in durations.items()}
    return [_days(medians.get(k)) for k in keys]


def _scope_sql(scope: Scope) -> tuple[str, list]:
    """A condition on the sending region `sr` (a region row) for the raw queries."""
    if scope.region:
        return " AND sr.id = %s", [scope.region.pk]
    if scope.healthcare_region:
        return " AND sr.healthcare_region_id = %s", [scope.healthcare_region.pk]
    return "", []


SENDER_JOINS = """
JOIN organisations_unit su ON su.id = r.sending_unit_id
JOIN organisations_hospital sh ON sh.id = su.hospital_id
JOIN organisations_region sr ON sr.id = sh.region_id"""

STATE_DAYS_SQL = """
WITH steps AS (
  SELECT e.from_status AS state, e.at,
         e.at - lag(e.at) OVER w AS spent, lag(e.to_status) OVER w AS entered
  FROM referrals_referralevent e
  JOIN referrals_referral r ON r.id = e.referral_id {joins}
  WHERE e.from_status <> e.to_status AND e.from_status <> '' AND e.at < %s {scope}
  WINDOW w AS (PARTITION BY e.referral_id ORDER BY e.at, e.id)
)
SELECT to_char(date_trunc('month', at AT TIME ZONE %s), 'YYYY-MM'), state,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY spent)
FROM steps WHERE at >= %s AND entered = state AND state = ANY(%s)
GROUP BY 1, 2"""


def _median_days_in_state(scope: Scope, run: list[date], keys: list[str]) -> list[dict]:
    """[{"state", "days": [median per month]}]: the time a request spent in each state, for the stays that
    ended in the month (from the status event that entered the state to the one that left it)."""
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    medians: dict[tuple[str, str], timedelta] = {}
    if connection.vendor == "postgresql":
        condition, params = _scope_sql(scope)
        sql = STATE_DAYS_SQL.format(joins=SENDER_JOINS, scope=condition)
        with connection.cursor() as cursor:
            cursor.execute(sql, [end, *params, str(timezone.get_default_timezone()), start, list(STATES)])
            medians = {(month, state): spent for month, state, spent in cursor.fetchall()}
    else:
        rows = (
            ReferralEvent.objects.filter(scope.regions_q(SENDING_REGION), at__lt=end)
            .exclude(from_status=F("to_status"))
            .exclude(from_status="")
            .order_by("referral_id", "at", "id")
            .values_list("referral_id", "from_status", "to_status", "at")
        )
        stays: dict[tuple[str, str], list[Any]] = defaultdict(list)
        previous: tuple[int, str, datetime] | None = None
        for referral_id, from_status, to_status, at in rows:
            if previous and previous[0] == referral_id and previous[1] == from_status and at >= start:
                stays[(_key(at), from_status)].append(at - previous[2])
            previous = (referral_id, to_status, at)
        medians = {key: statistics.median(values) for key, values in stays.items()}
    return [
        {"state": str(state.label), "days": [_days(medians.get((k, state.value))) for k in keys]} for state in STATES
    ]


BANDS_SQL = """
WITH ends AS (SELECT unnest(%s::date[]) AS last_day, unnest(%s::timestamptz[]) AS ends_at),
finished AS (
  SELECT f.referral_id, min(f.at) AS at FROM referrals_referralevent f
  WHERE f.to_status = ANY(%s) AND f.at >= %s GROUP BY f.referral_id
),
requests AS (
  SELECT r.id, r.submitted_at, fin.at AS finished_at,
         coalesce(r.decision_date, (r.submitted_at AT TIME ZONE %s)::date) AS decided,
         EXISTS (SELECT 1 FROM referrals_waitpause p WHERE p.referral_id = r.id AND p.kind = %s) AS has_chosen
  FROM referrals_referral r {joins}
  LEFT JOIN finished fin ON fin.referral_id = r.id
  WHERE r.submitted_at >= %s AND r.submitted_at < %s {scope}
),
-- Requests without patient-chosen waiting, counted by the months they were submitted and finished in and
-- their decision day: a month's end finds them open when submitted before it and finished after it.
plain AS (
  SELECT date_trunc('month', submitted_at AT TIME ZONE %s)::date AS submitted_month,
         date_trunc('month', finished_at AT TIME ZONE %s)::date AS finished_month, decided, count(*) AS n
  FROM requests WHERE NOT has_chosen GROUP BY 1, 2, 3
),
plain_waited AS (
  SELECT ends.last_day, greatest(ends.last_day - p.decided, 0) AS days, p.n
  FROM ends JOIN plain p ON p.submitted_month <= ends.last_day
   AND (p.finished_month IS NULL OR p.finished_month > ends.last_day)
),
chosen_open AS (
  SELECT ends.last_day, q.id, q.decided FROM ends
  JOIN requests q ON q.has_chosen AND q.submitted_at < ends.ends_at
   AND (q.finished_at IS NULL OR q.finished_at >= ends.ends_at)
),
chosen_waited AS (  -- less the days of patient-chosen waiting after the decision, up to the month's last day
  SELECT o.last_day, greatest(o.last_day - o.decided - (
           SELECT count(DISTINCT d) FROM referrals_waitpause p,
                  generate_series(greatest(p.start_date, o.decided + 1), least(p.end_date, o.last_day),
                                  interval '1 day') AS d
           WHERE p.referral_id = o.id AND p.kind = %s), 0) AS days, 1 AS n
  FROM chosen_open o
),
waited AS (SELECT * FROM plain_waited UNION ALL SELECT * FROM chosen_waited)
SELECT to_char(last_day, 'YYYY-MM'),
       coalesce(sum(n) FILTER (WHERE days <= 30), 0), coalesce(sum(n) FILTER (WHERE days BETWEEN 31 AND 60), 0),
       coalesce(sum(n) FILTER (WHERE days BETWEEN 61 AND 90), 0), coalesce(sum(n) FILTER (WHERE days > 90), 0)
FROM waited GROUP BY 1"""

# Requests waiting longer than this before the first month are left out of the bands' query (a bound for
# the database; a request open for years is an error to fix, not a figure).
OPEN_SINCE = timedelta(days=3 * 365)


def _waiting_bands(scope: Scope, run: list[date], keys: list[str]) -> list[dict]:
    """[{"label", "counts": [per month]}]: requests open at each month's end by days waited then."""
    ends = [month_window(m)[1] for m in run]
    last_days = [timezone.localtime(e).date() - timedelta(days=1) for e in ends]
    since = month_window(run[0])[0] - OPEN_SINCE
    counts: dict[str, list[int]] = {}
    if connection.vendor == "postgresql":
        condition, params = _scope_sql(scope)
        sql = BANDS_SQL.format(joins=SENDER_JOINS, scope=condition)
        tz, pvv = str(timezone.get_default_timezone()), WaitPauseKind.PATIENT_CHOSEN
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [last_days, ends, list(FINISHED), since, tz, pvv, since, ends[-1], *params, tz, tz, pvv],
            )
            counts = {month: [int(n) for n in row] for month, *row in cursor.fetchall()}
    else:
        counts = _waiting_bands_in_python(scope, ends, last_days, keys, since)
    return [
        {"label": band_label(low, high), "counts": [counts.get(k, [0, 0, 0, 0])[i] for k in keys]}
        for i, (low, high) in enumerate(BANDS)
    ]


def _waiting_bands_in_python(
    scope: Scope, ends: list[datetime], last_days: list[date], keys: list[str], since: datetime
) -> dict[str, list[int]]:
    candidates: list[Any] = list(
        Referral.objects.filter(
            scope.regions_q("sending_unit__hospital__region"), submitted_at__gte=since, submitted_at__lt=ends[-1]
        )
        .annotate(finished_at=Min("events__at", filter=Q(events__to_status__in=FINISHED)))
        .values_list("id", "decision_date", "submitted_at", "finished_at")
    )
    pauses: dict[int, list[clock.Period]] = defaultdict(list)
    for referral_id, start, stop in WaitPause.objects.filter(
        referral_id__in=[c[0] for c in candidates], kind=WaitPauseKind.PATIENT_CHOSEN
    ).values_list("referral_id", "start_date", "end_date"):
        pauses[referral_id].append(clock.Period(start, stop))
    counts = {k: [0, 0, 0, 0] for k in keys}
    for key, ends_at, last_day in zip(keys, ends, last_days, strict=True):
        for referral_id, decided, submitted_at, finished_at in candidates:
            if submitted_at >= ends_at or (finished_at is not None and finished_at < ends_at):
                continue
            decided = decided or timezone.localtime(submitted_at).date()
            waited = clock.wait_status(
                today=last_day, decision_date=decided, deadline=None, target_date=None, periods=pauses[referral_id]
            ).days_waited
            counts[key][next(i for i, (low, high) in enumerate(BANDS) if high is None or waited <= high)] += 1
    return counts
