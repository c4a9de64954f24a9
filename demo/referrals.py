"""Demo request history: about 200 requests over the last six months, each moved through the real
lifecycle service by the demo accounts, in every state. Created once and left alone afterwards.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from accounts.models import Membership, Role, User
from catalog import reference_data as ref
from catalog.models import AsaClass, DiagnosisGroup, MedicalPriority
from demo.accounts import DEMO_ACCOUNTS
from organisations.models import Unit
from referrals import services
from referrals.models import CloseReason, DeclineReason, Referral, WithdrawReason

# Demo history predates the demo capacity, so proposals carry the reason a coordinator would write.
DEMO_PROPOSAL_REASON = "Ledig plats bekräftad per telefon."


# Codes the demo files requests with, per diagnosis group (`DIAGNOSIS_GROUPS` in the reference data).
ICD10_EXAMPLES = {
    "artros-hoft-kna": ["M16.1", "M16.9", "M17.0", "M17.1"],
    "ortopedi-ovrigt": ["M19.0", "M20.1", "M23.2", "M48.0", "M51.1", "M75.1"],
    "brack": ["K40.9", "K42.9", "K43.9"],
    "galla": ["K80.2", "K80.5", "K81.1"],
    "kolorektal-cancer": ["C18.7", "C19.9", "C20.9"],
    "brostcancer": ["C50.4", "C50.9", "D05.1"],
    "prostata": ["N40.9", "N41.1"],
    "urologisk-cancer": ["C61.9", "C64.9", "C67.9"],
    "urinvagssten": ["N20.0", "N20.1"],
    "gyn-benign": ["D25.9", "N81.2", "N83.2"],
    "gyn-cancer": ["C53.9", "C54.1", "C56.9"],
    "onh": ["J34.2", "J35.0", "J32.9", "H71.9"],
    "hand": ["G56.0", "M18.1", "M72.0"],
    "karl": ["I70.2", "I71.4", "I83.9"],
}

FIRST_NAMES = [
    "Anders",
    "Birgitta",
    "Carl",
    "Dagmar",
    "Elsa",
    "Folke",
    "Gunilla",
    "Hans",
    "Ingrid",
    "Jan",
    "Kerstin",
    "Lennart",
    "Margareta",
    "Nils",
    "Olof",
    "Per",
    "Ragnhild",
    "Sven",
    "Tora",
    "Ulla",
    "Vera",
    "Åke",
    "Ebba",
    "Bo",
]
LAST_NAMES = [
    "Andersson",
    "Bengtsson",
    "Carlsson",
    "Dahl",
    "Eriksson",
    "Fransson",
    "Gustafsson",
    "Holmberg",
    "Isaksson",
    "Jönsson",
    "Karlsson",
    "Larsson",
    "Magnusson",
    "Nilsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Törnqvist",
    "Wikström",
    "Öberg",
]
COMPLICATING = [
    "Hjärtsvikt NYHA III, förmaksflimmer med antikoagulantia.",
    "KOL med hemsyrgas.",
    "Diabetes typ 2 med njursvikt (eGFR 28).",
    "Genomgången hjärtinfarkt, nedsatt EF 35 %.",
    "Sjuklig fetma, BMI 43, sömnapné med CPAP.",
    "Pulmonell hypertension.",
    "Aortastenos, måttlig–svår.",
    "Levercirros Child-Pugh B.",
]

# Obstacles to cooperation as the seeds describe them; no personal data.
OBSTACLES = [
    ("legal", "Journaluppgifter kan inte lämnas ut elektroniskt mellan regionerna utan nytt samtycke."),
    ("it", "Remissen kunde inte skickas mellan journalsystemen; pappersremiss krävdes."),
    ("economic", "Oklart vilken självkostnadsersättning som gäller för vårdtjänsten."),
    ("capacity", "Narkos- och IVA-kapacitet saknas för ASA IV-patienter under perioden."),
    ("transport", "Liggande transport mellan sjukhusen kunde inte ordnas i tid."),
    ("patient_declined", "Patienten ville inte resa till annan region."),
]

# Target share of each final state; recent requests cannot have come far.
FINAL_STATES = [
    ("draft", 5), ("submitted", 10), ("in_review", 12), ("proposed", 10), ("accepted", 20),
    ("completed", 23), ("withdrawn", 8), ("closed", 12),
]  # fmt: skip
OLD_FINAL_STATES = [
    ("in_review", 3), ("accepted", 4), ("completed", 63), ("withdrawn", 12), ("closed", 18),
]  # fmt: skip
STEPS = ["draft", "submitted", "in_review", "proposed", "accepted", "completed"]
FEATURED_SENDING_UNITS = {a.scope for a in DEMO_ACCOUNTS if a.role == Role.UNIT_STAFF}
FEATURED_RECEIVING_UNITS = {a.scope for a in DEMO_ACCOUNTS if a.role == Role.RECEIVING_STAFF}


def _personal_number(rng: random.Random) -> str:
    birth = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    digits = birth.strftime("%y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return f"{birth.year // 100}{digits}{luhn.calc_check_digit(digits)}"


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=rng.randrange(8, 16), minute=rng.randrange(0, 60))))


def _after(day: date, previous: datetime | None, rng: random.Random) -> datetime:
    """A working-hours time on `day`, but later than the previous event: several steps can happen on one
    day, and history never runs backwards. Never later than now."""
    at = _at(day, rng)
    if previous is not None and at <= previous:
        at = previous + timedelta(minutes=rng.randrange(5, 60))
    return min(at, timezone.now())


def seed_demo_referrals(*, count: int = 200, today: date | None = None, seed: int = 2026) -> int:
    """About `count` requests over the last six months, each moved through the real lifecycle service."""
    if Referral.objects.filter(created_by__username__startswith="personal.").exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    priorities = {p.code: p for p in MedicalPriority.objects.all()}
    groups_by_specialty: dict[str, list[tuple[DiagnosisGroup, list[str]]]] = {}
    groups = {g.code: g for g in DiagnosisGroup.objects.all()}
    for code, _name, specialty, _ranges in ref.DIAGNOSIS_GROUPS:
        groups_by_specialty.setdefault(specialty, []).append((groups[code], ICD10_EXAMPLES[code]))
    units = list(Unit.objects.select_related("hospital__region__healthcare_region").order_by("code"))
    sending_units = [u for u in units if u.specialty in groups_by_specialty]
    staff = {u.username.removeprefix("personal."): u for u in User.objects.filter(username__startswith="personal.")}
    sot: dict[str, User] = {}
    for m in Membership.objects.filter(role=Role.SOT_REPRESENTATIVE).select_related("region", "user").order_by("id"):
        if m.region is None:  # ruled out by the membership constraint: an SOT representative's role has a region
            continue
        sot[m.region.code] = m.user
    created = 0
    # The named demo accounts' units get a good share, so that each demo login has real work to see.
    featured = [u for u in sending_units if u.code in FEATURED_SENDING_UNITS]
    for _ in range(count):
        unit = rng.choice(featured) if featured and rng.random() < 0.3 else rng.choice(sending_units)
        created_on = today - timedelta(days=rng.randrange(0, 182))
        age = (today - created_on).days
        # Most requests older than two months have been dealt with; a few still wait, overdue.
        states = FINAL_STATES if age <= 60 else OLD_FINAL_STATES
        final = rng.choices([s for s, _w in states], weights=[w for _s, w in states])[0]
        with transaction.atomic():
            _seed_one(rng, unit, units, created_on, final, age, today, priorities, groups_by_specialty, staff, sot)
        created += 1
    return created


class _Clock:
    """A demo request's clock: each event some days after the last, never dated before it nor after today."""

    def __init__(self, rng: random.Random, day: date, today: date) -> None:
        self.rng, self.day, self.today = rng, day, today
        self.last_at = _after(day, None, rng)  # the creation

    def step(self, max_days: int) -> datetime | None:
        """The time of the next event (None: it lies ahead of today)."""
        self.day = self.day + timedelta(days=self.rng.randrange(0, max_days + 1))
        if self.day >= self.today:
            return None
        self.last_at = _after(self.day, self.last_at, self.rng)
        return self.last_at


def _seed_one(
    rng: random.Random,
    unit: Unit,
    units: list[Unit],
    created_on: date,
    final: str,
    age: int,
    today: date,
    priorities: dict[str, MedicalPriority],
    groups_by_specialty: dict[str, list[tuple[DiagnosisGroup, list[str]]]],
    staff: dict[str, User],
    sot: dict[str, User],
) -> None:
    """One demo request, moved through the real lifecycle services up to its final state."""
    sender = staff[unit.code]
    sot_user = sot[unit.hospital.region.code]
    referral, clock = _file(rng, unit, created_on, final, today, priorities, groups_by_specialty, sender)
    if final == "draft" or (final == "withdrawn" and rng.random() < 0.2):
        if final == "withdrawn":
            services.referral_withdraw(
                referral=referral, by=sender, reason=WithdrawReason.FILED_BY_MISTAKE, at=clock.step(3)
            )
        return
    # Not every request can have come far in a few days: cap the final state by age.
    reachable = STEPS[: 2 + min(age // 4, 4)]
    target = final if final in reachable or final in ("withdrawn", "closed") else reachable[-1]
    if not _submit_and_take(referral, sender, sot_user, target, clock):
        return
    if target == "closed":
        _close(rng, referral, sot_user, clock)
    if target in ("closed", "in_review"):
        return
    receiver = _propose(rng, referral, unit, units, staff, sender, sot_user, target, clock)
    if receiver is not None:
        _accept_and_complete(rng, referral, staff[receiver.code], target, clock)


def _file(
    rng: random.Random,
    unit: Unit,
    created_on: date,
    final: str,
    today: date,
    priorities: dict[str, MedicalPriority],
    groups_by_specialty: dict[str, list[tuple[DiagnosisGroup, list[str]]]],
    sender: User,
) -> tuple[Referral, _Clock]:
    _group, examples = rng.choice(groups_by_specialty[unit.specialty])
    priority = priorities[rng.choices(["hog", "medelhog", "medel", "lag"], weights=[35, 40, 15, 10])[0]]
    asa = rng.choices([AsaClass.II, AsaClass.III, AsaClass.IV], weights=[15, 60, 25])[0]
    decision = created_on - timedelta(days=rng.randrange(10, 80))
    patient = services.patient_identify(personal_number=_personal_number(rng))
    details = {
        "patient_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "patient_home_region": unit.hospital.region,
        "patient_phone": f"07{rng.randrange(0, 10)}-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} "
        f"{rng.randrange(10, 100)}",
    }
    clock = _Clock(rng, created_on, today)
    referral = services.referral_create(
        by=sender,
        sending_unit=unit,
        patient=patient,
        **details,
        at=clock.last_at,
        icd10_code=rng.choice(examples),
        procedure_text="",
        priority=priority,
        asa_class=asa,
        asa_emergency=asa == AsaClass.IV and rng.random() < 0.2,
        complicating_diseases=rng.choice(COMPLICATING) if asa >= AsaClass.III else "",
        decision_date=decision,
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


def _submit_and_take(referral: Referral, sender: User, sot_user: User, target: str, clock: _Clock) -> bool:
    """Submitted, and taken into review unless it stops there; False if the request goes no further."""
    if (at := clock.step(1)) is None:
        return False
    services.referral_submit(referral=referral, by=sender, at=at)
    if target == "submitted" or (at := clock.step(3)) is None:
        return False
    services.referral_take(referral=referral, by=sot_user, at=at)
    return True


def _close(rng: random.Random, referral: Referral, sot_user: User, clock: _Clock) -> None:
    if (at := clock.step(10)) is not None:
        reason = rng.choice(CloseReason.values)
        category, text = rng.choice(OBSTACLES) if rng.random() < 0.5 else ("", "")
        services.referral_close(
            referral=referral, by=sot_user, reason=reason, at=at, obstacle_category=category, obstacle_text=text
        )


def _propose(
    rng: random.Random,
    referral: Referral,
    unit: Unit,
    units: list[Unit],
    staff: dict[str, User],
    sender: User,
    sot_user: User,
    target: str,
    clock: _Clock,
) -> Unit | None:
    """Proposed to a receiving unit (sometimes after a first unit declined); None if it goes no further."""
    region = unit.hospital.region
    candidates = [u for u in units if u.specialty == unit.specialty and u.hospital.region_id != region.pk]
    same_hr = [u for u in candidates if u.hospital.region.healthcare_region_id == region.healthcare_region_id]
    if (
        rng.random() < 0.2  # a first proposal, declined
        and (at := clock.step(5)) is not None
        and not _declined_first(rng, referral, same_hr or candidates, staff, sot_user, at, clock)
    ):
        return None
    receiver = _receiver(rng, candidates, same_hr, target)
    if (at := clock.step(5)) is None:
        return None
    services.referral_propose(referral=referral, by=sot_user, unit=receiver, reason=DEMO_PROPOSAL_REASON, at=at)
    if target == "withdrawn":
        if (at := clock.step(5)) is not None:
            services.referral_withdraw(referral=referral, by=sender, reason=rng.choice(WithdrawReason.values), at=at)
        return None
    return None if target == "proposed" else receiver


def _declined_first(
    rng: random.Random,
    referral: Referral,
    options: list[Unit],
    staff: dict[str, User],
    sot_user: User,
    at: datetime,
    clock: _Clock,
) -> bool:
    """A first proposal that its unit declines; False if the decline lies ahead of today."""
    first = rng.choice(options)
    services.referral_propose(referral=referral, by=sot_user, unit=first, reason=DEMO_PROPOSAL_REASON, at=at)
    if (declined_at := clock.step(3)) is None:
        return False
    category, text = rng.choice(OBSTACLES) if rng.random() < 0.4 else ("", "")
    services.referral_decline(
        referral=referral,
        by=staff[first.code],
        reason=rng.choice(DeclineReason.values),
        obstacle_category=category,
        obstacle_text=text,
        at=declined_at,
    )
    return True


def _receiver(rng: random.Random, candidates: list[Unit], same_hr: list[Unit], target: str) -> Unit:
    featured = [u for u in candidates if u.code in FEATURED_RECEIVING_UNITS]
    # Requests left waiting for an answer go mostly to the demo receiving accounts' units, so that
    # their inbox has patients to accept or decline.
    if featured and rng.random() < (0.9 if target == "proposed" else 0.5):
        return rng.choice(featured)
    return rng.choice(same_hr if same_hr and rng.random() < 0.7 else candidates)


def _accept_and_complete(rng: random.Random, referral: Referral, receiver: User, target: str, clock: _Clock) -> None:
    if (at := clock.step(4)) is None:
        return
    planned = clock.day + timedelta(days=rng.randrange(7, 35))
    if target != "completed" and planned < clock.today:  # accepted and still waiting: care lies ahead
        planned = clock.today + timedelta(days=rng.randrange(3, 30))
    services.referral_accept(referral=referral, by=receiver, planned_date=planned, at=at)
    if target == "completed" and planned < clock.today:
        services.referral_complete(
            referral=referral, by=receiver, care_given_date=planned, at=_after(planned, clock.last_at, rng)
        )
