"""Benchmark of the matching service at regional and national scale, in one run, on PostgreSQL.

Fills the database it is pointed at (use a database of its own: `make bench` does) with the reference data
and the 21 regions of the country in 6 healthcare regions (the reference data's, plus generated ones up to
21 when it holds fewer). First the regional scale: 2,000 units in 20-unit hospitals in the regions of Södra
and Sydöstra sjukvårdsregionen, 26 weeks of offers and 100,000 open requests; it times one
`rank_receiving_units` call for each of many requests. Then it adds the rest of the country (4,000 more
units in the other regions, 400,000 more requests) and times the same number of calls at national scale.
For each scale it prints median, p95 and queries per call, the EXPLAIN (ANALYZE) of one call, and at the
end the ratio of the national median to the regional one.
"""

from __future__ import annotations

import enum
import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum import luhn

from accounts.models import User
from capacity.matching import rank_receiving_units
from capacity.models import CapacityOffer, CareType
from capacity.weeks import monday_of
from catalog.models import DiagnosisGroup, MedicalPriority
from catalog.reference_data import load_reference_data
from organisations.models import HealthcareRegion, Hospital, Region, Specialty, Unit
from referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

BATCH = 10_000
RESET_PATIENT_IDS = "SELECT setval(pg_get_serial_sequence('referrals_patient', 'id'), MAX(id)) FROM referrals_patient"
UNITS_PER_HOSPITAL = 20
REGIONS, HEALTHCARE_REGIONS = 21, 6
REGIONAL = ("sodra", "sydostra")  # the healthcare regions of the regional scale
# Where generated regions lie (county seats, roughly), so that distances spread over the whole country.
PLACES = [
    (59.33, 18.07), (59.86, 17.64), (59.61, 16.55), (59.27, 15.21), (59.38, 13.50), (60.61, 15.63),
    (60.67, 17.14), (62.39, 17.31), (63.18, 14.64), (63.83, 20.26), (65.58, 22.15), (57.71, 11.97),
    (57.64, 18.30), (59.37, 16.51), (58.75, 17.01), (58.39, 13.85),
]  # fmt: skip


def _plain(value: Any) -> Any:
    """A value as COPY writes it: a choice by its value."""
    return value.value if isinstance(value, enum.Enum) else value


@dataclass
class Scale:
    name: str
    durations: list[float]
    queries: list[int]
    proposals: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.durations)

    @property
    def p95(self) -> float:
        ordered = sorted(self.durations)
        return ordered[int(len(ordered) * 0.95) - 1]


class Command(BaseCommand):
    help = "Fill a PostgreSQL database at regional, then national scale and time the matching service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regional-units", type=int, default=2000)
        parser.add_argument("--national-units", type=int, default=6000, help="All units, the regional ones too.")
        parser.add_argument("--weeks", type=int, default=26)
        parser.add_argument("--regional-referrals", type=int, default=100_000)
        parser.add_argument("--national-referrals", type=int, default=500_000, help="All requests.")
        parser.add_argument("--calls", type=int, default=1000, help="Calls timed at each scale.")
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="Add the national data to the database as it is (the demo's, for `make bench-load-national`); "
            "no flush, no timing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        rng = random.Random(7)
        started = time.perf_counter()
        if not options["seed_only"]:
            call_command("flush", interactive=False, verbosity=0)
        load_reference_data()
        self.user, _ = User.objects.get_or_create(username="bench")
        self._country(rng)
        regional = list(Region.objects.filter(healthcare_region__code__in=REGIONAL))
        others = list(Region.objects.exclude(healthcare_region__code__in=REGIONAL))
        self._fill(rng, regional, options["regional_units"], options["weeks"], options["regional_referrals"])
        if not options["seed_only"]:
            self._vacuum(started)
            first = self._time("regional", rng, options["calls"])
            started = time.perf_counter()
        more_units = options["national_units"] - options["regional_units"]
        more_referrals = options["national_referrals"] - options["regional_referrals"]
        self._fill(
            rng, others, more_units, options["weeks"], more_referrals, first_referral=options["regional_referrals"]
        )
        self._vacuum(started)
        if options["seed_only"]:
            return
        second = self._time("national", rng, options["calls"])
        self.stdout.write("")
        self.stdout.write("| scale | units | median | p95 | queries per call | ranked units returned, median |")
        self.stdout.write("|---|---|---|---|---|---|")
        for scale, units in ((first, self.units_then[0]), (second, self.units_then[1])):
            self.stdout.write(
                f"| {scale.name} | {units:,} | {scale.median:.2f} ms | {scale.p95:.2f} ms | "
                f"{min(scale.queries)}–{max(scale.queries)} | {statistics.median(scale.proposals):.0f} |"
            )
        self.stdout.write(f"national median / regional median: {second.median / first.median:.2f} (goal: at most 1.3)")

    units_then: list[int]

    def _country(self, rng: random.Random) -> None:
        """The reference data's healthcare regions and regions, and generated ones up to 6 and 21."""
        places = iter(PLACES)
        for n in range(HEALTHCARE_REGIONS - HealthcareRegion.objects.count()):
            HealthcareRegion.objects.create(code=f"bench-hr-{n}", name=f"Benchsjukvårdsregion {n}")
        generated = list(HealthcareRegion.objects.filter(code__startswith="bench-hr-")) or list(
            HealthcareRegion.objects.all()
        )
        for n in range(REGIONS - Region.objects.count()):
            healthcare_region = generated[n % len(generated)]
            region = Region.objects.create(
                code=f"bench-region-{n}", name=f"Benchregion {n}", healthcare_region=healthcare_region
            )
            lat, lon = next(places)
            Hospital.objects.create(
                code=f"bench-seat-{n}",
                name=f"Länssjukhus {n}",
                region=region,
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
            )
        self.units_then = []

    def _fill(
        self,
        rng: random.Random,
        regions: list[Region],
        n_units: int,
        n_weeks: int,
        n_referrals: int,
        *,
        first_referral: int = 0,
    ) -> None:
        real = {region.pk: list(region.hospitals.all()) for region in regions}
        regions = [region for region in regions if real[region.pk]]  # generated hospitals lie near real ones
        offset = Hospital.objects.filter(code__startswith="bench-").count()
        hospitals = []
        for i in range(n_units // UNITS_PER_HOSPITAL):
            region = regions[i % len(regions)]
            base = rng.choice(real[region.pk])
            hospitals.append(
                Hospital(
                    code=f"bench-{offset + i}",
                    name=f"Benchsjukhus {offset + i}",
                    region=region,
                    latitude=base.latitude + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.00001")),
                    longitude=base.longitude + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.00001")),
                )
            )
        hospitals = Hospital.objects.bulk_create(hospitals, batch_size=BATCH)
        specialties = list(Specialty.values)
        units = [
            Unit(code=f"bench-unit-{h.code}-{k}", name=f"Enhet {k}", hospital=h, specialty=specialties[k % 8])
            for h in hospitals
            for k in range(UNITS_PER_HOSPITAL)
        ]
        units = Unit.objects.bulk_create(units, batch_size=BATCH)
        groups: dict[str, list[DiagnosisGroup]] = {}
        for group in DiagnosisGroup.objects.all():
            groups.setdefault(group.specialty, []).append(group)
        self._offers(rng, units, groups, n_weeks)
        senders = list(Unit.objects.all())
        self._referrals(rng, senders, [g for gs in groups.values() for g in gs], n_referrals, first_referral)
        self.units_then.append(Unit.objects.count())

    def _offers(
        self, rng: random.Random, units: list[Unit], groups: dict[str, list[DiagnosisGroup]], weeks: int
    ) -> None:
        monday = monday_of(timezone.localdate())
        offers = []
        for unit in units:
            group = rng.choice(groups[unit.specialty])
            max_asa = rng.choice([3, 3, 4, 5])
            for week in range(weeks):
                slots = rng.randint(1, 4)
                offers.append(
                    CapacityOffer(
                        unit=unit,
                        diagnosis_group=group,
                        week_start=monday + timedelta(weeks=week),
                        slots=slots,
                        reserved_slots=rng.choice([0, 0, 0, slots]),
                        max_asa=max_asa,
                        care_type=CareType.INPATIENT,
                        created_by=self.user,
                        confirmed_by=self.user,
                    )
                )
            if len(offers) >= BATCH:
                CapacityOffer.objects.bulk_create(offers, batch_size=BATCH)
                offers = []
        CapacityOffer.objects.bulk_create(offers, batch_size=BATCH)

    def _referrals(
        self, rng: random.Random, senders: list[Unit], all_groups: list[DiagnosisGroup], count: int, first: int
    ) -> None:
        """`count` open requests and their patients, written with COPY (the columns Django would write)."""
        priorities = [p.pk for p in MedicalPriority.objects.all()]
        regions = {u.pk: u.hospital.region_id for u in Unit.objects.select_related("hospital")}
        groups = [g.pk for g in all_groups]
        today = timezone.localdate()
        now = timezone.now()
        template = Referral(
            reference="", status=ReferralStatus.SUBMITTED, patient_name="", icd10_code="M17.1",
            created_by=self.user, consent_referral=True, consent_disclosure=True, submitted_at=now,
        )  # fmt: skip
        fields = [f for f in Referral._meta.concrete_fields if not f.primary_key]
        base = {f.attname: _plain(f.get_db_prep_save(f.pre_save(template, True), connection)) for f in fields}
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM referrals_patient")
            patient_id = cursor.fetchone()[0]
            with cursor.cursor.copy("COPY referrals_patient (id, personal_number, created_at) FROM STDIN") as copy:
                for n in range(first, first + count):
                    # A distinct valid personnummer for every n below 33,600,000: year, month, day, 3 digits.
                    yy, mm, dd = (n // 336_000) % 100, 1 + (n // 1000) % 12, 1 + (n // 12_000) % 28
                    digits = f"{yy:02d}{mm:02d}{dd:02d}{n % 1000:03d}"
                    copy.write_row((patient_id + 1 + n - first, f"19{digits}{luhn.calc_check_digit(digits)}", now))
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('referrals_patient', 'id'), MAX(id)) FROM referrals_patient"
            )
            columns = ", ".join(str(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY referrals_referral ({columns}) FROM STDIN") as copy:
                for n in range(first, first + count):
                    sender = senders[n % len(senders)]
                    decision = today - timedelta(days=rng.randint(5, 120))
                    row = base | {
                        "reference": f"SOT-BENCH-{n:07d}",
                        "status": rng.choice([ReferralStatus.SUBMITTED.value, ReferralStatus.IN_REVIEW.value]),
                        "patient_id": patient_id + 1 + n - first,
                        "patient_name": f"Patient {n}",
                        "patient_home_region_id": regions[sender.pk],
                        "sending_unit_id": sender.pk,
                        "diagnosis_group_id": rng.choice(groups),
                        "priority_id": rng.choice(priorities),
                        "asa_class": rng.choice([2, 3, 3, 4, 4, 5]),
                        "decision_date": decision,
                        "medical_target_date": decision + timedelta(days=rng.choice([14, 30, 90])),
                        "care_guarantee_deadline": decision + timedelta(days=90),
                    }
                    copy.write_row([row[f.attname] for f in fields])

    def _vacuum(self, started: float) -> None:
        """As autovacuum leaves a table: statistics and the visibility map (index-only scans need it)."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"filled in {time.perf_counter() - started:.1f} s: units {Unit.objects.count():,}, "
            f"regions {Region.objects.count()}, healthcare regions {HealthcareRegion.objects.count()}, "
            f"offers {CapacityOffer.objects.count():,}, requests {Referral.objects.count():,}"
        )

    def _time(self, name: str, rng: random.Random, calls: int) -> Scale:
        ids = list(Referral.objects.values_list("id", flat=True))
        sample = rng.sample(ids, min(calls, len(ids)))
        referrals = list(
            Referral.objects.filter(pk__in=sample).select_related("sending_unit__hospital__region", "diagnosis_group")
        )
        for referral in referrals[:10]:  # warm the connection, its prepared statement and the caches
            rank_receiving_units(referral)
        scale = Scale(name, [], [], [])
        for referral in referrals:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = rank_receiving_units(referral)
                scale.durations.append((time.perf_counter() - started) * 1000)
            scale.queries.append(len(captured.captured_queries))
            scale.proposals.append(len(result.proposals))
        self.stdout.write(
            f"{name}: rank_receiving_units over {len(scale.durations)} requests: median {scale.median:.2f} ms, "
            f"p95 {scale.p95:.2f} ms, max {max(scale.durations):.2f} ms; queries per call "
            f"{min(scale.queries)}–{max(scale.queries)}; proposals returned per call, median "
            f"{statistics.median(scale.proposals):.0f}"
        )
        self._explain(name, referrals[len(referrals) // 2])
        return scale

    def _explain(self, name: str, referral: Referral) -> None:
        with CaptureQueriesContext(connection) as captured:
            rank_receiving_units(referral)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[0]["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write(f"EXPLAIN (ANALYZE, BUFFERS) of one call at {name} scale (long lines cut):")
        for line in plan:
            self.stdout.write("  " + (line if len(line) <= 150 else line[:147] + "..."))
