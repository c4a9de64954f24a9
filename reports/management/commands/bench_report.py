"""Benchmark of the monthly report at scale, against hand-written SQL, on PostgreSQL.

Fills the database it is pointed at (`make bench` gives it one of its own) with 1,000,000 requests
over twelve months, their acceptance, decline and closing events and 5,000 obstacles, then times
`compute_figures` for one month against the same figures computed by hand-written SQL, and the figures
page's twelve months: computed live, kept (`build_monthly_figures`), and the page reading them.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from catalog.reference_data import load_reference_data
from referrals.models import Referral
from reports.figures import compute_figures, month_window
from reports.scopes import Scope

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

FILL = """
INSERT INTO referrals_patient (personal_number, created_at)
SELECT '19' || lpad(i::text, 10, '0'), now()
FROM generate_series(1, %(n)s) AS i;

WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisations_unit),
     groups AS (SELECT array_agg(id ORDER BY id) AS ids FROM referrals_diagnosisgroup),
     prios AS (SELECT array_agg(id ORDER BY id) AS ids FROM referrals_medicalpriority),
     raw AS (
       SELECT p.id AS patient_id, p.id %% 10 AS kind,
              %(start)s::timestamptz + ((p.id * 7919) %% (365 * 24 * 60)) * interval '1 minute' AS submitted
       FROM referrals_patient p
     )
INSERT INTO referrals_referral (
  reference, status, patient_id, patient_name, patient_home_region_id, patient_phone, sending_unit_id, created_by_id, icd10_code, diagnosis_group_id,
  procedure_code, procedure_text, priority_id, asa_class, asa_emergency, complicating_diseases,
  decision_date, medical_target_date, care_guarantee_deadline, consent_referral, consent_disclosure,
  needs_interpreter, interpreter_language, needs_transport, needs_escort, contact_name, contact_phone,
  receiving_unit_id, planned_date, care_given_date, submitted_at, accepted_at, closed_at, created_at, updated_at,
  status_changed_at
)
SELECT
  'SOT-B-' || lpad(r.patient_id::text, 8, '0'),
  CASE WHEN r.kind < 2 THEN 'submitted' WHEN r.kind < 3 THEN 'in_review' WHEN r.kind < 6 THEN 'accepted'
       WHEN r.kind < 8 THEN 'completed' ELSE 'closed_without_coordination' END,
  r.patient_id, 'Bench ' || r.patient_id, (SELECT min(id) FROM organisations_region), '',
  u.ids[1 + r.patient_id %% array_length(u.ids, 1)],
  %(user)s, 'M17.1',
  g.ids[1 + r.patient_id %% array_length(g.ids, 1)],
  '', '', pr.ids[1 + r.patient_id %% array_length(pr.ids, 1)], 3, false, '',
  (r.submitted - interval '20 days')::date, (r.submitted + interval '10 days')::date,
  (r.submitted + interval '70 days')::date, true, true, false, '', false, false, '', '',
  CASE WHEN r.kind BETWEEN 3 AND 7 THEN u.ids[1 + (r.patient_id * 31) %% array_length(u.ids, 1)] END,
  CASE WHEN r.kind BETWEEN 3 AND 7 THEN (r.submitted + interval '30 days')::date END,
  CASE WHEN r.kind BETWEEN 6 AND 7 THEN (r.submitted + interval '30 days')::date END,
  r.submitted,
  CASE WHEN r.kind BETWEEN 3 AND 7 THEN r.submitted + ((r.patient_id %% 20) + 1) * interval '1 day' END,
  CASE WHEN r.kind >= 6 THEN r.submitted + interval '40 days' END,
  r.submitted, r.submitted, r.submitted
FROM raw r, units u, groups g, prios pr;

INSERT INTO referrals_referralevent (referral_id, kind, from_status, to_status, actor_id, at, reason, note, receiving_unit_id,
                                     chain_seq, chain_hash, given_by_phone)
SELECT id, 'accepted', 'proposed', 'accepted', %(user)s, accepted_at, '', '', receiving_unit_id, 1, repeat('0', 64), ''
FROM referrals_referral WHERE accepted_at IS NOT NULL;

INSERT INTO referrals_referralevent (referral_id, kind, from_status, to_status, actor_id, at, reason, note, receiving_unit_id,
                                     chain_seq, chain_hash, given_by_phone)
SELECT id, 'closed', 'in_review', 'closed_without_coordination', %(user)s, closed_at,
       (ARRAY['no_receiver','patient_declined','treated_at_home','not_main_focus','legal_or_economic','other'])[1 + id %% 6],
       '', NULL, 2, repeat('0', 64), ''
FROM referrals_referral WHERE status = 'closed_without_coordination';

INSERT INTO referrals_referralevent (referral_id, kind, from_status, to_status, actor_id, at, reason, note, receiving_unit_id,
                                     chain_seq, chain_hash, given_by_phone)
SELECT id, 'declined', 'proposed', 'in_review', %(user)s, submitted_at + interval '2 days',
       (ARRAY['no_capacity','asa_too_high','competence','incomplete','other'])[1 + id %% 5], '', NULL,
       3, repeat('0', 64), ''
FROM referrals_referral WHERE id %% 7 = 0;

INSERT INTO referrals_obstacle (category, text, region_id, referral_id, source, created_by_id, created_at)
SELECT (ARRAY['legal','it','economic','capacity','transport','patient_declined','other'])[1 + i %% 7],
       'Hinder ' || i, (SELECT array_agg(id) FROM organisations_region)[1 + i %% 7], NULL, 'standalone', %(user)s,
       %(start)s::timestamptz + (i %% 365) * interval '1 day'
FROM generate_series(1, 5000) AS i;
"""

# The same figures as reports.figures.compute_figures, written by hand.
HAND_WRITTEN = [
    """SELECT g.name, sr.name, rr.name, count(DISTINCT e.referral_id)
       FROM referrals_referralevent e
       JOIN referrals_referral r ON r.id = e.referral_id
       JOIN organisations_unit su ON su.id = r.sending_unit_id JOIN organisations_hospital sh ON sh.id = su.hospital_id
       JOIN organisations_region sr ON sr.id = sh.region_id
       JOIN organisations_unit ru ON ru.id = e.receiving_unit_id JOIN organisations_hospital rh ON rh.id = ru.hospital_id
       JOIN organisations_region rr ON rr.id = rh.region_id
       LEFT JOIN referrals_diagnosisgroup g ON g.id = r.diagnosis_group_id
       WHERE e.kind = 'accepted' AND e.at >= %(start)s AND e.at < %(end)s AND rh.region_id <> sh.region_id
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
    """SELECT g.name, count(DISTINCT e.referral_id)
       FROM referrals_referralevent e
       JOIN referrals_referral r ON r.id = e.referral_id
       JOIN organisations_unit su ON su.id = r.sending_unit_id JOIN organisations_hospital sh ON sh.id = su.hospital_id
       JOIN organisations_unit ru ON ru.id = e.receiving_unit_id JOIN organisations_hospital rh ON rh.id = ru.hospital_id
       LEFT JOIN referrals_diagnosisgroup g ON g.id = r.diagnosis_group_id
       WHERE e.kind = 'accepted' AND e.at >= %(start)s AND e.at < %(end)s AND rh.region_id <> sh.region_id
       GROUP BY 1 ORDER BY 2 DESC, 1""",
    """SELECT count(DISTINCT e.referral_id),
              count(DISTINCT e.referral_id) FILTER (WHERE r.status = 'withdrawn'),
              count(DISTINCT e.referral_id) FILTER (WHERE (e.at AT TIME ZONE 'Europe/Stockholm')::date
                                                          > r.care_guarantee_deadline)
       FROM referrals_referralevent e
       JOIN referrals_referral r ON r.id = e.referral_id
       JOIN organisations_unit su ON su.id = r.sending_unit_id JOIN organisations_hospital sh ON sh.id = su.hospital_id
       JOIN organisations_unit ru ON ru.id = e.receiving_unit_id JOIN organisations_hospital rh ON rh.id = ru.hospital_id
       WHERE e.kind = 'accepted' AND e.at >= %(start)s AND e.at < %(end)s AND rh.region_id <> sh.region_id""",
    """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY e.at - r.submitted_at)
       FROM referrals_referralevent e
       JOIN referrals_referral r ON r.id = e.referral_id
       JOIN organisations_unit su ON su.id = r.sending_unit_id JOIN organisations_hospital sh ON sh.id = su.hospital_id
       JOIN organisations_unit ru ON ru.id = e.receiving_unit_id JOIN organisations_hospital rh ON rh.id = ru.hospital_id
       WHERE e.kind = 'accepted' AND e.at >= %(start)s AND e.at < %(end)s AND rh.region_id <> sh.region_id""",
    """SELECT e.reason, count(*) FROM referrals_referralevent e
       WHERE e.kind = 'closed' AND e.at >= %(start)s AND e.at < %(end)s GROUP BY 1""",
    """SELECT e.reason, count(*) FROM referrals_referralevent e
       WHERE e.kind = 'declined' AND e.at >= %(start)s AND e.at < %(end)s GROUP BY 1""",
    """SELECT count(*) FROM referrals_referral WHERE submitted_at >= %(start)s AND submitted_at < %(end)s""",
    """SELECT category, count(*) FROM referrals_obstacle
       WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY 1""",
    """SELECT o.created_at, o.category, g.name, o.text FROM referrals_obstacle o
       JOIN organisations_region g ON g.id = o.region_id
       WHERE o.created_at >= %(start)s AND o.created_at < %(end)s ORDER BY o.created_at, o.id""",
]


class Command(BaseCommand):
    help = "Fill PostgreSQL with 1,000,000 requests and time the monthly report against hand-written SQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--referrals", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--keep", action="store_true", help="Reuse the data of an earlier run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        first = date(timezone.localdate().year - 1, timezone.localdate().month, 1)
        if not options["keep"] or not Referral.objects.exists():
            started = time.perf_counter()
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data()
            user = User.objects.create(username="bench")
            with connection.cursor() as cursor:
                params = {"n": options["referrals"], "start": first.isoformat(), "user": user.pk}
                for statement in FILL.split(";\n\n"):  # one statement per call: parameters need that
                    cursor.execute(statement, params)
                cursor.execute("ANALYZE")
            self.stdout.write(f"filled in {time.perf_counter() - started:.1f} s")
        self.stdout.write(f"requests {Referral.objects.count()}")
        month = date(first.year + (first.month + 5) // 12, (first.month + 5) % 12 + 1, 1)  # a month in the middle
        start, end = month_window(month)
        scope = Scope("all")
        figures = compute_figures(month=month, scope=scope)  # warm up
        orm, sql = [], []
        for _ in range(options["runs"]):
            t0 = time.perf_counter()
            compute_figures(month=month, scope=scope)
            orm.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in HAND_WRITTEN:
                    cursor.execute(statement, {"start": start, "end": end})
                    cursor.fetchall()
            sql.append(time.perf_counter() - t0)
        orm_ms, sql_ms = statistics.median(orm) * 1000, statistics.median(sql) * 1000
        self.stdout.write(
            f"month {month:%Y-%m}: {figures['coordinated_total']} coordinated, {figures['submitted']} submitted; "
            f"compute_figures median {orm_ms:.0f} ms, hand-written SQL median {sql_ms:.0f} ms, "
            f"ratio {orm_ms / sql_ms:.2f}"
        )
        self._bench_trend_page(options["runs"])

    def _bench_trend_page(self, runs: int) -> None:
        """The figures page (12 months up to last month, all regions): its figures computed live, the months
        kept for every scope (`build_monthly_figures`), and the whole page as a browser gets it with the
        months kept (middleware, view, template), median of `runs`."""
        from django.test import Client

        from reports.figure_store import figures_backfill
        from reports.months import last_month
        from reports.trends import compute_trends

        director, _created = User.objects.get_or_create(username="bench-director", defaults={"is_staff": True})
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(director)
        data = []
        for _ in range(runs):
            t0 = time.perf_counter()
            trends = compute_trends(last=last_month(), scope=Scope("all"))
            data.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        kept = figures_backfill(months=12)
        backfill = time.perf_counter() - t0
        url = f"/reports/figures/?month={last_month():%Y-%m}&scope=all"
        if (status := client.get(url).status_code) != 200:  # warm up
            raise CommandError(f"the figures page answered {status}")
        page = []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(url)
            page.append(time.perf_counter() - t0)
        self.stdout.write(
            f"12-month trend to {last_month():%Y-%m}: {sum(trends['coordinated'])} coordinated; "
            f"compute_trends (live) median {statistics.median(data) * 1000:.0f} ms; "
            f"build_monthly_figures kept {kept} months in {backfill:.1f} s; "
            f"figures page (months kept) median {statistics.median(page) * 1000:.0f} ms"
        )
        self._bench_touched_month(client, url, runs)

    def _bench_touched_month(self, client: Any, url: str, runs: int) -> None:
        """The page while a change has touched last month and no worker has computed it again yet: that month
        live, eleven kept; then the refresh that keeps it again."""
        from organisations.models import Region
        from reports.figure_store import figures_refresh
        from reports.models import FiguresChange
        from reports.months import last_month

        FiguresChange.objects.create(region=Region.objects.order_by("id")[0], month=last_month())
        page = []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(url)
            page.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        stored = figures_refresh()
        self.stdout.write(
            f"with last month touched: figures page median {statistics.median(page) * 1000:.0f} ms; "
            f"refresh kept {stored} months again in {time.perf_counter() - t0:.1f} s"
        )
