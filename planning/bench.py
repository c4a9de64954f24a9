"""The group plan's benchmark (`manage.py bench_plan`, run by `make bench`): a world of its own, the checks
of the plan's optimum, and the bare solver to compare against (README, "Benchmark of the plan")."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone
from ortools.linear_solver import pywraplp
from stdnum import luhn

from accounts.models import User
from capacity.models import CapacityOffer, CareType
from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup, MedicalPriority
from catalog.reference_data import load_reference_data
from organisations.models import Hospital, Region, Unit
from planning import graph
from planning.costs import lateness_cost, place_cost, unassigned_cost
from referrals.models import Patient, Referral, ReferralStatus

BATCH = 5000
REGION = "skane"
GROUP = "artros-hoft-kna"
TRAVEL_LIMITS = [None, None, None, None, 150, 300, 500]
LP_SCALE = 1e6


def fill(rng: random.Random, *, units: int, weeks: int, requests: int) -> None:
    """`units` orthopaedic units in 20-unit hospitals near the real ones outside Skåne, `weeks` weeks of offers
    each for one group, and `requests` waiting requests of that group from Skåne's real units."""
    load_reference_data()
    user = User.objects.create(username="bench-plan")
    group = DiagnosisGroup.objects.get(code=GROUP)
    _offers(rng, _units(rng, units, group), group, weeks, user)
    _requests(rng, requests, group, user)


def _units(rng: random.Random, count: int, group: DiagnosisGroup) -> list[Unit]:
    real = list(Hospital.objects.exclude(region__code=REGION).order_by("code"))
    hospitals = [
        Hospital(
            code=f"bench-plan-{i}",
            name=f"Benchsjukhus {i}",
            region=real[i % len(real)].region,
            latitude=real[i % len(real)].latitude + Decimal(rng.uniform(-0.2, 0.2)).quantize(Decimal("0.00001")),
            longitude=real[i % len(real)].longitude + Decimal(rng.uniform(-0.2, 0.2)).quantize(Decimal("0.00001")),
        )
        for i in range((count + 19) // 20)
    ]
    Hospital.objects.bulk_create(hospitals)
    hospitals = list(Hospital.objects.filter(code__startswith="bench-plan-").order_by("pk"))
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"bench-plan-unit-{i}",
                name=f"Ortopedi {i}",
                hospital=hospitals[i // 20],
                specialty=group.specialty,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    return list(Unit.objects.filter(code__startswith="bench-plan-unit-").order_by("pk"))


def _offers(rng: random.Random, units: list[Unit], group: DiagnosisGroup, weeks: int, user: User) -> None:
    first = first_open_week(timezone.localdate())
    offers = []
    for unit in units:
        max_asa = rng.choice([3, 3, 4])
        for week in range(weeks):
            slots = rng.randint(1, 3)
            offers.append(
                CapacityOffer(
                    unit=unit,
                    diagnosis_group=group,
                    week_start=first + timedelta(weeks=week),
                    slots=slots,
                    reserved_slots=rng.choice([0, 0, 0, 1]) if slots > 1 else 0,
                    max_asa=max_asa,
                    care_type=CareType.INPATIENT,
                    created_by=user,
                )
            )
    CapacityOffer.objects.bulk_create(offers, batch_size=BATCH)


def _requests(rng: random.Random, count: int, group: DiagnosisGroup, user: User) -> None:
    senders = list(Unit.objects.filter(hospital__region__code=REGION).order_by("code"))
    region = Region.objects.get(code=REGION)
    priorities = list(MedicalPriority.objects.all())
    today, now = timezone.localdate(), timezone.now()
    for start in range(0, count, BATCH):
        patients = []
        for n in range(start, min(start + BATCH, count)):
            digits = f"{40 + (n // 10000) % 50:02d}{1 + n % 12:02d}{1 + (n // 12) % 28:02d}{n % 1000:03d}"
            patients.append(Patient(personal_number=f"19{digits}{luhn.calc_check_digit(digits)}"))
        patients = Patient.objects.bulk_create(patients)
        referrals = []
        for offset, patient in enumerate(patients):
            n = start + offset
            decision = today - timedelta(days=rng.randint(5, 150))
            referrals.append(
                Referral(
                    reference=f"SOT-2026-{900000 + n:06d}",
                    status=rng.choice([ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW]),
                    patient=patient,
                    patient_name=f"Patient {n}",
                    patient_home_region=region,
                    sending_unit=senders[n % len(senders)],
                    created_by=user,
                    icd10_code="M17.1",
                    diagnosis_group=group,
                    priority=rng.choice(priorities),
                    asa_class=rng.choice([2, 3, 3, 4]),
                    max_travel_km=rng.choice(TRAVEL_LIMITS),
                    decision_date=decision,
                    medical_target_date=decision + timedelta(days=rng.choice([14, 30, 60, 90, 120])),
                    care_guarantee_deadline=decision + timedelta(days=90),
                    consent_referral=True,
                    consent_disclosure=True,
                    submitted_at=now,
                )
            )
        Referral.objects.bulk_create(referrals, batch_size=BATCH)


def bare_solve(built: graph.Graph) -> tuple[int, float]:
    """The solver alone on the plan's own arcs: its optimum and seconds."""
    started = time.perf_counter()
    cost, _flows = graph.solve(built)
    return cost, time.perf_counter() - started


def smaller(inst: graph.Instance, *, requests: int, offers: int) -> graph.Instance:
    """The first `requests` requests and `offers` offers of an instance (classes as they are)."""
    keep = slice(0, offers)
    return replace(
        inst,
        request_class=inst.request_class[:requests],
        weight=inst.weight[:requests],
        target=inst.target[:requests],
        deadline=inst.deadline[:requests],
        offer_week=inst.offer_week[keep],
        offer_free=inst.offer_free[keep],
        offer_max_asa=inst.offer_max_asa[keep],
        offer_lat=inst.offer_lat[keep],
        offer_lon=inst.offer_lon[keep],
        offer_region=inst.offer_region[keep],
        offer_healthcare_region=inst.offer_healthcare_region[keep],
        offer_unit=inst.offer_unit[keep],
    )


def pair_costs(inst: graph.Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (request, offer) pair the hard rules allow, priced pair by pair from the cost function (no classes,
    no graph): request indices, offer indices, costs."""
    feasible_by_class, km_by_class, _blocked = graph._feasible(inst)
    rr, oo = np.nonzero(feasible_by_class[inst.request_class])
    kk = inst.request_class[rr]
    days = inst.first_day + 7 * inst.offer_week[oo]
    other = inst.class_healthcare_region[kk] != inst.offer_healthcare_region[oo]
    late = lateness_cost(inst.weight[rr], inst.target[rr], inst.deadline[rr], days)
    return rr, oo, late + place_cost(km_by_class[kk, oo], other)


def lp_optimum(inst: graph.Instance) -> tuple[float, int]:
    """The same problem as a plain linear programme over every pair the hard rules allow, solved by GLOP. The
    assignment polytope is integral, so the LP optimum is the plan's optimum. The optimum and the pair count."""
    rr, oo, costs = pair_costs(inst)
    left_out = unassigned_cost(inst.weight, inst.target, inst.deadline, inst.first_day + 7 * inst.weeks)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetSolverSpecificParametersAsString("use_preprocessing: false")  # its presolve ends ABNORMAL here
    x = [solver.NumVar(0, 1, "") for _ in range(len(rr))]
    u = [solver.NumVar(0, 1, "") for _ in range(inst.n)]
    by_request: list[list] = [[u[r]] for r in range(inst.n)]
    by_offer: list[list] = [[] for _ in range(inst.m)]
    for var, r, o in zip(x, rr.tolist(), oo.tolist(), strict=True):
        by_request[r].append(var)
        by_offer[o].append(var)
    for variables in by_request:
        solver.Add(solver.Sum(variables) == 1)
    for variables, free in zip(by_offer, inst.offer_free.tolist(), strict=True):
        solver.Add(solver.Sum(variables) <= free)
    # In millions of points: GLOP gives up (ABNORMAL) on coefficients of 10^12 and more.
    objective = solver.Objective()
    for var, cost in zip(x + u, costs.tolist() + left_out.tolist(), strict=True):
        objective.SetCoefficient(var, cost / LP_SCALE)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        raise graph.SolveError("GLOP found no optimum")
    return objective.Value() * LP_SCALE, len(rr)
