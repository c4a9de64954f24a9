"""factory_boy factories for the domain. `.build()` where no row is needed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.utils import timezone
from stdnum import luhn

from accounts.models import Membership, User
from capacity.models import CapacityOffer
from catalog.models import AsaClass, DiagnosisCodeRange, DiagnosisGroup, MedicalPriority
from organisations.models import HealthcareRegion, Hospital, Region, Specialty, Unit
from referrals.models import Patient, Referral, ReferralStatus


def valid_personal_number(n: int) -> str:
    """A 12-digit personnummer with a correct check digit, distinct for each n."""
    birth = date(1950, 1, 1) + timedelta(days=n % 9000)
    digits = birth.strftime("%y%m%d") + f"{n % 1000:03d}"
    return f"{birth.year // 100}{digits}{luhn.calc_check_digit(digits)}"


M = TypeVar("M")


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """`XFactory(...)` typed as the model it makes: factory_boy's metaclass turns the call into `create()`,
    which mypy cannot see (the metaclass `__call__` is untyped), so without this every call would look like
    an instance of the factory class."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:

        def __new__(cls, **kwargs: Any) -> M: ...  # type: ignore[misc]  # factory_boy's metaclass returns M


class HealthcareRegionFactory(ModelFactory[HealthcareRegion]):
    class Meta:
        model = HealthcareRegion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"hr-{n}")
    name = factory.Sequence(lambda n: f"Sjukvårdsregion {n}")


class RegionFactory(ModelFactory[Region]):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    healthcare_region = factory.SubFactory(HealthcareRegionFactory)
    takes_part = True
    joined_on = date(2020, 1, 1)


class HospitalFactory(ModelFactory[Hospital]):
    class Meta:
        model = Hospital

    code = factory.Sequence(lambda n: f"hospital-{n}")
    name = factory.Sequence(lambda n: f"Sjukhus {n}")
    region = factory.SubFactory(RegionFactory)
    latitude = Decimal("56.00000")
    longitude = Decimal("14.00000")


class UnitFactory(ModelFactory[Unit]):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Ortopedi {n}")
    hospital = factory.SubFactory(HospitalFactory)
    specialty = Specialty.ORTHOPAEDICS


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-password-1")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def member(user: User, role: str, scope: Unit | Region | HealthcareRegion) -> Membership:
    """Give `user` the role in a unit, region or healthcare region."""
    if isinstance(scope, Unit):
        return Membership.objects.create(user=user, role=role, unit=scope)
    if isinstance(scope, Region):
        return Membership.objects.create(user=user, role=role, region=scope)
    return Membership.objects.create(user=user, role=role, healthcare_region=scope)


class PatientFactory(ModelFactory[Patient]):
    class Meta:
        model = Patient

    personal_number = factory.Sequence(valid_personal_number)


class DiagnosisGroupFactory(ModelFactory[DiagnosisGroup]):
    class Meta:
        model = DiagnosisGroup
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "artros"
    name = "Höft- och knäledsartros"
    specialty = Specialty.ORTHOPAEDICS

    @factory.post_generation
    def ranges(obj: DiagnosisGroup, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for first, last in extracted or [("M16", "M17")]:
                DiagnosisCodeRange.objects.get_or_create(first=first, defaults={"last": last, "group": obj})


class MedicalPriorityFactory(ModelFactory[MedicalPriority]):
    class Meta:
        model = MedicalPriority
        django_get_or_create = ("code",)

    code = "hog"
    name = "Hög"
    max_wait_days = 14
    sort_order = 1
    is_main_focus = True


class ReferralFactory(ModelFactory[Referral]):
    """A complete request. `status` may be any state: the factory sets what that state requires.

    Tests build starting states here directly; only the lifecycle service moves them afterwards.
    """

    class Meta:
        model = Referral

    class Params:
        unit_staff = None

    reference = factory.Sequence(lambda n: f"SOT-2026-{n + 1:06d}")
    patient = factory.SubFactory(PatientFactory)
    patient_name = factory.Sequence(lambda n: f"Patient {n}")
    patient_phone = "070-000 00 00"
    sending_unit = factory.SubFactory(UnitFactory)
    patient_home_region = factory.LazyAttribute(lambda o: o.sending_unit.hospital.region)
    created_by = factory.LazyAttribute(lambda o: o.unit_staff or UserFactory())
    icd10_code = "M17.1"
    diagnosis_group = factory.SubFactory(DiagnosisGroupFactory)
    priority = factory.SubFactory(MedicalPriorityFactory)
    asa_class = AsaClass.III
    complicating_diseases = "Hjärtsvikt."
    decision_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    medical_target_date = factory.LazyAttribute(lambda o: o.decision_date + timedelta(days=14))
    care_guarantee_deadline = factory.LazyAttribute(lambda o: o.decision_date + timedelta(days=90))
    consent_referral = True
    consent_disclosure = True
    status = ReferralStatus.DRAFT
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == ReferralStatus.DRAFT else timezone.now())
    receiving_unit = factory.LazyAttribute(
        lambda o: (
            UnitFactory()
            if o.status in (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
            else None
        )
    )
    planned_date = factory.LazyAttribute(
        lambda o: (
            timezone.localdate() + timedelta(days=10)
            if o.status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
            else None
        )
    )
    accepted_at = factory.LazyAttribute(lambda o: timezone.now() if o.planned_date else None)
    care_given_date = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.status == ReferralStatus.COMPLETED else None
    )
    closed_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED)
            else None
        )
    )


class CapacityOfferFactory(ModelFactory[CapacityOffer]):
    class Meta:
        model = CapacityOffer

    unit = factory.SubFactory(UnitFactory)
    diagnosis_group = factory.SubFactory(DiagnosisGroupFactory)
    week_start = factory.LazyFunction(lambda: _monday(timezone.localdate()) + timedelta(weeks=1))
    slots = 2
    max_asa = AsaClass.IV
    care_type = "inpatient"
    created_by = factory.SubFactory(UserFactory)
    confirmed_by = factory.SelfAttribute("created_by")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
