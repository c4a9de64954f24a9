"""The two trend figures that need each request's history, per Stockholm month. PostgreSQL computes them
in SQL; other databases (the tests' SQLite) compute the same definitions in Python from the same rows.

- median days in each state: a state's time ends with the status event that leaves it, in that month;
- waiting-time bands as vantetider.se reports them, for the requests open at a month's end (submitted
  before its end and not completed, withdrawn or closed by then): days waited on the month's last day
  as the care-guarantee clock counts them (`referrals.clock`), patient-chosen waiting (PvV) excluded.

Each month's figures depend on that month alone, never on the other months computed with it, so a month
computed on its own equals the same month computed among twelve (the stored months rely on it).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Min, Q
from django.utils import timezone

from referrals import clock
from referrals.models import Referral, ReferralEvent, ReferralStatus, WaitPause, WaitPauseKind
from reports.figures import SENDING_REGION, month_window
from reports.scopes import Scope

FINISHED = (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED)
# The states a request waits in on its way; the time in each is shown.
STATES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)
BANDS = ((0, 30), (31, 60), (61, 90), (91, None))  # vantetider.se: 0–30, 31–60, 61–90, over 90 days
# A month's bands leave out requests submitted more than this many months before it (a bound for the
# database; a request open for years is an error to fix, not a figure).
OPEN_MONTHS = 36


def key_of(value: date | datetime) -> str:
    """ "2026-10": the Stockholm month of a date or an aware time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def days(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def scope_sql(scope: Scope) -> tuple[str, list]:
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
    AND e.referral_id IN (  -- the requests with a stay ending in the run, with their whole history
      SELECT x.referral_id FROM referrals_referralevent x
      WHERE x.at >= %s AND x.at < %s AND x.from_status <> x.to_status AND x.from_status <> '')
  WINDOW w AS (PARTITION BY e.referral_id ORDER BY e.at, e.id)
)
SELECT to_char(date_trunc('month', at AT TIME ZONE %s), 'YYYY-MM'), state,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY spent)
FROM steps WHERE at >= %s AND entered = state AND state = ANY(%s)
GROUP BY 1, 2"""


def days_in_state(scope: Scope, run: list[date]) -> dict[str, dict[str, float | None]]:
    """{"2026-10": {state: median days}}: the time a request spent in each state, for the stays that ended
    in the month (from the status event that entered the state to the one that left it)."""
    start, end = month_window(run[0])[0], month_window(run[-1])[1]
    if connection.vendor == "postgresql":
        condition, params = scope_sql(scope)
        sql = STATE_DAYS_SQL.format(joins=SENDER_JOINS, scope=condition)
        with connection.cursor() as cursor:
            tz = str(timezone.get_default_timezone())
            cursor.execute(sql, [end, *params, start, end, tz, start, list(STATES)])
            medians = {(month, state): spent for month, state, spent in cursor.fetchall()}
    else:
        medians = _state_medians_in_python(scope, start, end)
    return {
        f"{m:%Y-%m}": {state.value: days(medians.get((f"{m:%Y-%m}", state.value))) for state in STATES} for m in run
    }


def _state_medians_in_python(scope: Scope, start: datetime, end: datetime) -> dict[tuple[str, str], Any]:
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
            stays[(key_of(at), from_status)].append(at - previous[2])
        previous = (referral_id, to_status, at)
    return {key: statistics.median(values) for key, values in stays.items()}


BANDS_SQL = """
WITH ends AS (SELECT unnest(%s::date[]) AS last_day, unnest(%s::timestamptz[]) AS ends_at,
                     unnest(%s::date[]) AS oldest_month),
finished AS (
  SELECT f.referral_id, min(f.at) AS at FROM referrals_referralevent f
  WHERE f.to_status = ANY(%s) AND f.at >= %s GROUP BY f.referral_id
),
requests AS (
  SELECT r.id, r.submitted_at, fin.at AS finished_at,
         date_trunc('month', r.submitted_at AT TIME ZONE %s)::date AS submitted_month,
         coalesce(r.decision_date, (r.submitted_at AT TIME ZONE %s)::date) AS decided,
         EXISTS (SELECT 1 FROM referrals_waitpause p WHERE p.referral_id = r.id AND p.kind = %s) AS has_chosen
  FROM referrals_referral r {joins}
  LEFT JOIN finished fin ON fin.referral_id = r.id
  WHERE r.submitted_at >= %s AND r.submitted_at < %s {scope}
    AND (fin.at IS NULL OR fin.at >= %s)  -- finished before the run's first month-end: never counted
),
-- Requests without patient-chosen waiting, counted by the months they were submitted and finished in and
-- their decision day: a month's end finds them open when submitted before it and finished after it.
plain AS (
  SELECT submitted_month, date_trunc('month', finished_at AT TIME ZONE %s)::date AS finished_month, decided,
         count(*) AS n
  FROM requests WHERE NOT has_chosen GROUP BY 1, 2, 3
),
plain_waited AS (
  SELECT ends.last_day, greatest(ends.last_day - p.decided, 0) AS days, p.n
  FROM ends JOIN plain p ON p.submitted_month <= ends.last_day AND p.submitted_month >= ends.oldest_month
   AND (p.finished_month IS NULL OR p.finished_month > ends.last_day)
),
chosen_open AS (
  SELECT ends.last_day, q.id, q.decided FROM ends
  JOIN requests q ON q.has_chosen AND q.submitted_at < ends.ends_at AND q.submitted_month >= ends.oldest_month
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


def waiting_bands(scope: Scope, run: list[date]) -> dict[str, list[int]]:
    """{"2026-10": [0–30, 31–60, 61–90, over 90]}: requests open at each month's end by days waited then."""
    ends = [month_window(m)[1] for m in run]
    last_days = [timezone.localtime(e).date() - timedelta(days=1) for e in ends]
    oldest = [months_back(m, OPEN_MONTHS) for m in run]
    since = month_window(oldest[0])[0]
    if connection.vendor == "postgresql":
        condition, params = scope_sql(scope)
        sql = BANDS_SQL.format(joins=SENDER_JOINS, scope=condition)
        tz, pvv = str(timezone.get_default_timezone()), WaitPauseKind.PATIENT_CHOSEN
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    last_days,
                    ends,
                    oldest,
                    list(FINISHED),
                    since,
                    tz,
                    tz,
                    pvv,
                    since,
                    ends[-1],
                    *params,
                    ends[0],
                    tz,
                    pvv,
                ],
            )
            counts = {month: [int(n) for n in row] for month, *row in cursor.fetchall()}
    else:
        counts = _waiting_bands_in_python(scope, ends, last_days, oldest)
    return {f"{m:%Y-%m}": counts.get(f"{m:%Y-%m}", [0, 0, 0, 0]) for m in run}


def _waiting_bands_in_python(
    scope: Scope, ends: list[datetime], last_days: list[date], oldest: list[date]
) -> dict[str, list[int]]:
    candidates: list[Any] = list(
        Referral.objects.filter(
            scope.regions_q("sending_unit__hospital__region"),
            submitted_at__gte=month_window(oldest[0])[0],
            submitted_at__lt=ends[-1],
        )
        .annotate(finished_at=Min("events__at", filter=Q(events__to_status__in=FINISHED)))
        .values_list("id", "decision_date", "submitted_at", "finished_at")
    )
    pauses: dict[int, list[clock.Period]] = defaultdict(list)
    for referral_id, start, stop in WaitPause.objects.filter(
        referral_id__in=[c[0] for c in candidates], kind=WaitPauseKind.PATIENT_CHOSEN
    ).values_list("referral_id", "start_date", "end_date"):
        pauses[referral_id].append(clock.Period(start, stop))
    counts: dict[str, list[int]] = {}
    for ends_at, last_day, first in zip(ends, last_days, oldest, strict=True):
        key, since = key_of(last_day), month_window(first)[0]
        counts[key] = [0, 0, 0, 0]
        for referral_id, decided, submitted_at, finished_at in candidates:
            if submitted_at < since or submitted_at >= ends_at or (finished_at is not None and finished_at < ends_at):
                continue
            decided = decided or timezone.localtime(submitted_at).date()
            waited = clock.wait_status(
                today=last_day, decision_date=decided, deadline=None, target_date=None, periods=pauses[referral_id]
            ).days_waited
            counts[key][next(i for i, (low, high) in enumerate(BANDS) if high is None or waited <= high)] += 1
    return counts
