"""Who and what the demo history is made with: the units, the staff who act for them, the regions' SOT
representatives and the catalogue entries the requests are filed under. Loaded once per seeding."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership, Role, User
from catalog import reference_data as ref
from catalog.models import DiagnosisGroup, MedicalPriority
from demo.accounts import unit_staff_accounts
from demo.participation import HISTORY_HEALTHCARE_REGIONS
from demo.referral_data import FEATURED_SENDING_UNITS, ICD10_EXAMPLES
from organisations.models import Unit

# Per specialty: the diagnosis groups it treats, each with example ICD-10 codes.
GroupsBySpecialty = dict[str, list[tuple[DiagnosisGroup, list[str]]]]


@dataclass(frozen=True)
class Cast:
    priorities: dict[str, MedicalPriority]  # by code
    groups_by_specialty: GroupsBySpecialty
    units: list[Unit]  # every unit of the history's healthcare regions, by code
    sending_units: list[Unit]  # units whose specialty has diagnosis groups
    featured: list[Unit]  # sending units of the named demo accounts
    staff: dict[str, User]  # the staff account per unit code
    sot: dict[str, User]  # an SOT representative per region code


def load_cast() -> Cast:
    groups_by_specialty = _groups_by_specialty()
    units = list(
        Unit.objects.filter(hospital__region__healthcare_region__code__in=HISTORY_HEALTHCARE_REGIONS)
        .select_related("hospital__region__healthcare_region")
        .order_by("code")
    )
    sending_units = [u for u in units if u.specialty in groups_by_specialty]
    return Cast(
        priorities={p.code: p for p in MedicalPriority.objects.all()},
        groups_by_specialty=groups_by_specialty,
        units=units,
        sending_units=sending_units,
        featured=[u for u in sending_units if u.code in FEATURED_SENDING_UNITS],
        staff=unit_staff_accounts(),
        sot=_sot_representatives(),
    )


def _groups_by_specialty() -> GroupsBySpecialty:
    groups = {g.code: g for g in DiagnosisGroup.objects.all()}
    by_specialty: GroupsBySpecialty = {}
    for code, _name, specialty, _ranges in ref.DIAGNOSIS_GROUPS:
        by_specialty.setdefault(specialty, []).append((groups[code], ICD10_EXAMPLES[code]))
    return by_specialty


def _sot_representatives() -> dict[str, User]:
    """An SOT representative per region code (the last one, if a region has several)."""
    sot: dict[str, User] = {}
    for m in Membership.objects.filter(role=Role.SOT_REPRESENTATIVE).select_related("region", "user").order_by("id"):
        if m.region is None:  # ruled out by the membership constraint: an SOT representative's role has a region
            continue
        sot[m.region.code] = m.user
    return sot
