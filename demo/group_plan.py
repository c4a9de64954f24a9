"""The demo's "mellanspår": a large group of patients of one region waiting long for hip and knee arthrosis
surgery, more than any one unit has capacity for (demo capacity offers that group one slot a week), so the
group plan (`planning`) has a real problem to solve: `/plan/skane/`, or `manage.py plan_group --region skane
--group artros-hoft-kna --json`."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from accounts.models import User
from catalog.models import AsaClass, DiagnosisGroup, MedicalPriority
from demo.accounts import unit_staff_accounts
from demo.referral_data import FIRST_NAMES, ICD10_EXAMPLES, LAST_NAMES
from organisations.models import Unit
from referrals import services
from referrals.models import Referral

REGION = "skane"
GROUP = "artros-hoft-kna"
COHORT = 12
PROCEDURE = "Höft- eller knäprotes (mellanspår)"  # also tells a second seeding that the cohort is there
TRAVEL_LIMITS = [None, None, None, 150, 250]  # km; None: anywhere in the country


def seed_demo_group_plan(*, today: date | None = None, seed: int = 18) -> int:
    if Referral.objects.filter(procedure_text=PROCEDURE).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    staff = unit_staff_accounts()
    units = [
        u
        for u in Unit.objects.filter(hospital__region__code=REGION, specialty="orthopaedics").order_by("code")
        if u.code in staff
    ]
    group = DiagnosisGroup.objects.get(code=GROUP)
    priorities = list(MedicalPriority.objects.filter(is_active=True, is_main_focus=True).order_by("sort_order"))
    for _ in range(COHORT):
        unit = rng.choice(units)
        with transaction.atomic():
            _file(rng, unit, staff[unit.code], group, rng.choice(priorities), today)
    return COHORT


def _file(
    rng: random.Random, unit: Unit, sender: User, group: DiagnosisGroup, priority: MedicalPriority, today: date
) -> None:
    decision = today - timedelta(days=rng.randrange(40, 120))
    patient = services.patient_identify(personal_number=_personal_number(rng))
    referral = services.referral_create(
        by=sender,
        sending_unit=unit,
        patient=patient,
        patient_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        patient_home_region=unit.hospital.region,
        patient_phone=f"07{rng.randrange(0, 10)}-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} 00",
        icd10_code=rng.choice(ICD10_EXAMPLES[group.code]),
        procedure_text=PROCEDURE,
        priority=priority,
        asa_class=rng.choice([AsaClass.II, AsaClass.III, AsaClass.III, AsaClass.IV]),
        complicating_diseases="Hypertoni, diabetes typ 2.",
        decision_date=decision,
        medical_target_date=decision + timedelta(days=rng.randrange(60, 150)),
        consent_referral=True,
        consent_disclosure=True,
        max_travel_km=rng.choice(TRAVEL_LIMITS),
        contact_name=f"{sender.first_name} {sender.last_name}",
        at=timezone.now() - timedelta(days=2),
    )
    services.referral_submit(referral=referral, by=sender)


def _personal_number(rng: random.Random) -> str:
    """A valid Swedish personal number of someone born 1935–1964 (the age of most joint replacements)."""
    birth = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
    digits = birth.strftime("%y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return f"{birth.year // 100}{digits}{luhn.calc_check_digit(digits)}"
