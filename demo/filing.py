"""Filing a demo request: a made-up patient with a made-up condition, created by the unit's staff through
the real service. The order of the random draws is part of the demo data: keep it when changing this."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from stdnum import luhn

from accounts.models import User
from catalog.models import AsaClass, MedicalPriority
from demo.cast import Cast
from demo.clock import Clock
from demo.referral_data import ASA_WEIGHTS, COMPLICATING, FIRST_NAMES, LAST_NAMES, PRIORITY_WEIGHTS
from organisations.models import Unit
from referrals import services
from referrals.models import Patient, Referral

T = TypeVar("T")


def weighted(rng: random.Random, table: list[tuple[T, int]]) -> T:
    """One value from a table of (value, weight)."""
    return rng.choices([value for value, _weight in table], weights=[weight for _value, weight in table])[0]


@dataclass(frozen=True)
class _Condition:
    examples: list[str]  # ICD-10 codes of the diagnosis group
    priority: MedicalPriority
    asa: AsaClass
    decision: date  # when the care was decided on


@dataclass(frozen=True)
class _Person:
    patient: Patient
    name: str
    phone: str


def file_request(
    rng: random.Random, cast: Cast, unit: Unit, created_on: date, today: date, final: str, sender: User
) -> tuple[Referral, Clock]:
    """A request created by `sender` on `created_on`, and its clock; consented to unless it stays a draft."""
    condition = _condition(rng, cast, unit, created_on)
    person = _person(rng)
    clock = Clock(rng, created_on, today)
    asa = condition.asa
    referral = services.referral_create(
        by=sender,
        sending_unit=unit,
        patient=person.patient,
        patient_name=person.name,
        patient_home_region=unit.hospital.region,
        patient_phone=person.phone,
        at=clock.last_at,
        icd10_code=rng.choice(condition.examples),
        procedure_text="",
        priority=condition.priority,
        asa_class=asa,
        asa_emergency=asa == AsaClass.IV and rng.random() < 0.2,
        complicating_diseases=rng.choice(COMPLICATING) if asa >= AsaClass.III else "",
        decision_date=condition.decision,
        consent_referral=final != "draft",
        consent_disclosure=final != "draft",
        needs_interpreter=(interpreter := rng.random() < 0.08),
        interpreter_language="arabiska" if interpreter else "",  # no draw of its own: the demo stays as it was
        needs_transport=rng.random() < 0.3,
        needs_escort=rng.random() < 0.1,
        contact_name=f"{sender.first_name} {sender.last_name}",
        contact_phone=f"0{rng.randrange(10, 99)}-{rng.randrange(100000, 999999)}",
    )
    return referral, clock


def _condition(rng: random.Random, cast: Cast, unit: Unit, created_on: date) -> _Condition:
    _group, examples = rng.choice(cast.groups_by_specialty[unit.specialty])
    return _Condition(
        examples=examples,
        priority=cast.priorities[weighted(rng, PRIORITY_WEIGHTS)],
        asa=weighted(rng, ASA_WEIGHTS),
        decision=created_on - timedelta(days=rng.randrange(10, 80)),
    )


def _person(rng: random.Random) -> _Person:
    patient = services.patient_identify(personal_number=_personal_number(rng))
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    phone = f"07{rng.randrange(0, 10)}-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}"
    return _Person(patient, name, phone)


def _personal_number(rng: random.Random) -> str:
    """A valid Swedish personal number (century included) of someone born 1935–1979."""
    birth = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    digits = birth.strftime("%y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return f"{birth.year // 100}{digits}{luhn.calc_check_digit(digits)}"
