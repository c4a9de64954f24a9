"""Benchmark of the matching service at regional scale, on PostgreSQL.

Fills the database it is pointed at (use a database of its own: `make bench` does) with 2,000
units in 7 regions, 26 weeks of offers (52,000) and 100,000 open requests, then times one
`rank_receiving_units` call for each of many requests and counts its queries.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum import luhn

from accounts.models import User
from capacity.matching import rank_receiving_units
from capacity.models import CapacityOffer, CareType
from capacity.weeks import monday_of
from catalog.models import DiagnosisGroup, MedicalPriority
from catalog.reference_data import load_reference_data
from organisations.models import Hospital, Region, Specialty, Unit
from referrals.models import Patient, Referral, ReferralStatus

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

BATCH = 5000


class Command(BaseCommand):
    help = "Fill a PostgreSQL database at regional scale and time the matching service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--weeks", type=int, default=26)
        parser.add_argument("--referrals", type=int, default=100_000)
        parser.add_argument("--calls", type=int, default=1000)
        parser.add_argument("--keep", action="store_true", help="Reuse the data of an earlier run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        rng = random.Random(7)
        if not options["keep"] or not Referral.objects.exists():
            started = time.perf_counter()
            call_command("flush", interactive=False, verbosity=0)
            self._fill(rng, options["units"], options["weeks"], options["referrals"])
            self.stdout.write(f"filled in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"units {Unit.objects.count()}, regions {Region.objects.count()}, "
            f"offers {CapacityOffer.objects.count()}, requests {Referral.objects.count()}"
        )
        self._time(rng, options["calls"])

    def _fill(self, rng: random.Random, n_units: int, n_weeks: int, n_referrals: int) -> None:
        load_reference_data()
        user = User.objects.create(username="bench")
        regions = list(Region.objects.select_related("healthcare_region"))
        real = list(Hospital.objects.all())
        hospitals = []
        for i in range(n_units // 20):  # 20 units a hospital
            base = real[i % len(real)]
            hospitals.append(
                Hospital(
                    code=f"bench-{i}",
                    name=f"Benchsjukhus {i}",
                    region=regions[i % len(regions)],
                    latitude=base.latitude + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.00001")),
                    longitude=base.longitude + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.00001")),
                )
            )
        Hospital.objects.bulk_create(hospitals)
        hospitals = list(Hospital.objects.filter(code__startswith="bench-"))
        specialties = list(Specialty.values)
        units = [
            Unit(code=f"bench-unit-{i}", name=f"Enhet {i}", hospital=hospitals[i // 20], specialty=specialties[i % 8])
            for i in range(len(hospitals) * 20)
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        units = list(Unit.objects.filter(code__startswith="bench-unit-").select_related("hospital"))
        groups: dict[str, list[DiagnosisGroup]] = {}
        for group in DiagnosisGroup.objects.all():
            groups.setdefault(group.specialty, []).append(group)
        monday = monday_of(timezone.localdate())
        offers = []
        for unit in units:
            group = rng.choice(groups[unit.specialty])
            max_asa = rng.choice([3, 3, 4, 5])
            for week in range(n_weeks):
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
                        created_by=user,
                        confirmed_by=user,
                    )
                )
        CapacityOffer.objects.bulk_create(offers, batch_size=BATCH)
        priorities = list(MedicalPriority.objects.all())
        all_groups = [g for gs in groups.values() for g in gs]
        today = timezone.localdate()
        now = timezone.now()
        for start in range(0, n_referrals, BATCH):
            patients = []
            for n in range(start, min(start + BATCH, n_referrals)):
                digits = f"{(n // 10000) % 100:02d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
                patients.append(Patient(personal_number=f"19{digits}{luhn.calc_check_digit(digits)}"))
            patients = Patient.objects.bulk_create(patients, ignore_conflicts=False)
            referrals = []
            for offset, patient in enumerate(patients):
                n = start + offset
                decision = today - timedelta(days=rng.randint(5, 120))
                referrals.append(
                    Referral(
                        reference=f"SOT-BENCH-{n:07d}",
                        status=rng.choice([ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW]),
                        patient=patient,
                        patient_name=f"Patient {n}",
                        patient_home_region=regions[n % len(regions)],
                        sending_unit=units[n % len(units)],
                        created_by=user,
                        icd10_code="M17.1",
                        diagnosis_group=rng.choice(all_groups),
                        priority=rng.choice(priorities),
                        asa_class=rng.choice([2, 3, 3, 4, 4, 5]),
                        decision_date=decision,
                        medical_target_date=decision + timedelta(days=rng.choice([14, 30, 90])),
                        care_guarantee_deadline=decision + timedelta(days=90),
                        consent_referral=True,
                        consent_disclosure=True,
                        submitted_at=now,
                    )
                )
            Referral.objects.bulk_create(referrals, batch_size=BATCH)

    def _time(self, rng: random.Random, calls: int) -> None:
        ids = list(Referral.objects.values_list("id", flat=True))
        sample = rng.sample(ids, min(calls, len(ids)))
        referrals = Referral.objects.filter(pk__in=sample).select_related(
            "sending_unit__hospital__region", "diagnosis_group"
        )
        rank_receiving_units(referrals[0])  # warm the connection and caches once
        durations, queries, proposals = [], [], []
        for referral in referrals:
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = rank_receiving_units(referral)
                durations.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            proposals.append(len(result.proposals))
        durations.sort()
        p95 = durations[int(len(durations) * 0.95) - 1]
        self.stdout.write(
            f"rank_receiving_units over {len(durations)} requests: median {statistics.median(durations):.2f} ms, "
            f"p95 {p95:.2f} ms, max {durations[-1]:.2f} ms; queries per call {min(queries)}–{max(queries)}; "
            f"proposals per call median {statistics.median(proposals):.0f}"
        )
