"""The reference data every installation starts from, and its loader (`manage.py load_reference_data`).

Geography (healthcare regions, regions, hospitals, units) is listed in `organisations/reference_data.py`;
medical priorities and diagnosis groups with their ICD-10 ranges here, and the Swedish titles of the ICD-10
categories those ranges cover (`catalog/icd10_sv.py`). All of it is editable in the admin
afterwards (whether a region takes part in SOT is set only when the load creates the region). The
geography is checked before anything is written: one bad row (a position outside Sweden, a code given twice, a
hospital without a known region) and the load stops, naming every bad row, with nothing changed. Loading is
idempotent: rows are matched on their codes (a code range on its first category),
missing ones are created, differing ones are brought back to these values, and a second run changes
nothing. No users, no requests: demo data is `seed_demo`'s.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, cast

from django.db import models, transaction
from django.utils import timezone

from catalog.icd10_sv import ICD10_SE_TITLES
from catalog.models import DiagnosisCodeRange, DiagnosisGroup, Icd10Title, Icd10TitleSource, MedicalPriority
from organisations import reference_data as geo
from organisations.models import HealthcareRegion, Hospital, Region, Unit
from organisations.models import Specialty as S
from organisations.reference_checks import ReferenceDataError, geography_errors

# (code, name, maximum wait in days, sort order, SOT main focus)
PRIORITIES = [
    ("hog", "Hög", 14, 1, True),
    ("medelhog", "Medelhög", 30, 2, True),
    ("medel", "Medel", 90, 3, False),
    ("lag", "Låg", 180, 4, False),
]

# (code, name, specialty, [(first, last) ICD-10 categories]); the sort order is the position here.
DIAGNOSIS_GROUPS = [
    ("artros-hoft-kna", "Höft- och knäledsartros", S.ORTHOPAEDICS, [("M16", "M17")]),
    (
        "ortopedi-ovrigt",
        "Övrig ortopedi (axel, fot, rygg)",
        S.ORTHOPAEDICS,
        [("M19", "M25"), ("M43", "M54"), ("M75", "M77")],
    ),
    ("brack", "Bråck", S.GENERAL_SURGERY, [("K40", "K46")]),
    ("galla", "Gallsten och gallvägssjukdom", S.GENERAL_SURGERY, [("K80", "K83")]),
    ("kolorektal-cancer", "Tjock- och ändtarmscancer", S.GENERAL_SURGERY, [("C18", "C20")]),
    ("brostcancer", "Bröstcancer", S.BREAST_SURGERY, [("C50", "C50"), ("D05", "D05")]),
    ("prostata", "Prostatasjukdom, godartad", S.UROLOGY, [("N40", "N42")]),
    ("urologisk-cancer", "Urologisk cancer", S.UROLOGY, [("C61", "C68")]),
    ("urinvagssten", "Urinvägssten", S.UROLOGY, [("N20", "N23")]),
    ("gyn-benign", "Godartad gynekologisk sjukdom", S.GYNAECOLOGY, [("D25", "D28"), ("N80", "N83")]),
    ("gyn-cancer", "Gynekologisk cancer", S.GYNAECOLOGY, [("C53", "C56")]),
    ("onh", "Öron-, näs- och halssjukdom", S.ENT, [("J32", "J35"), ("H65", "H74")]),
    ("hand", "Handkirurgi", S.HAND_SURGERY, [("G56", "G56"), ("M18", "M18"), ("M72", "M72")]),
    ("karl", "Kärlsjukdom", S.VASCULAR_SURGERY, [("I70", "I74"), ("I83", "I83")]),
]

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def load_reference_data() -> Counter[tuple[type[models.Model], str]]:
    """Load the geography, priorities and diagnosis groups in one transaction; (model, outcome) → rows.

    The geography is checked first, every row of it: with any bad row, `ReferenceDataError` names them all
    and nothing is written."""
    errors = geography_errors(geo.HEALTHCARE_REGIONS, geo.REGIONS, geo.HOSPITALS)
    if errors:
        raise ReferenceDataError(errors)
    counts: Counter[tuple[type[models.Model], str]] = Counter()
    with transaction.atomic():
        _put_geography(counts)
        for code, name, max_wait, order, main_focus in PRIORITIES:
            _put(
                counts,
                MedicalPriority,
                {"code": code},
                {"name": name, "max_wait_days": max_wait, "sort_order": order, "is_main_focus": main_focus},
            )
        for order, (code, name, specialty, ranges) in enumerate(DIAGNOSIS_GROUPS, start=1):
            group = _put(
                counts, DiagnosisGroup, {"code": code}, {"name": name, "specialty": specialty, "sort_order": order}
            )
            for first, last in ranges:
                _put(counts, DiagnosisCodeRange, {"first": first}, {"group": group, "last": last})
        _put_icd10_titles(counts)
    return counts


def _put_geography(counts: Counter) -> None:
    healthcare_regions = {
        code: _put(counts, HealthcareRegion, {"code": code}, {"name": name}) for code, name in geo.HEALTHCARE_REGIONS
    }
    regions = {
        region.code: _put(
            counts,
            Region,
            {"code": region.code},
            {"name": region.name, "healthcare_region": healthcare_regions[region.healthcare_region]},
            # Taking part is the administrator's choice: set once, for the regions SOT started with.
            when_created={"takes_part": True, "joined_on": timezone.localdate()}
            if region.takes_part_when_created
            else {},
        )
        for region in geo.REGIONS
    }
    for h in geo.HOSPITALS:
        place = {"latitude": Decimal(h.latitude), "longitude": Decimal(h.longitude)}
        hospital = _put(
            counts, Hospital, {"code": h.code}, {"name": h.name, "town": h.town, "region": regions[h.region], **place}
        )
        for specialty in h.specialties:
            _put(
                counts,
                Unit,
                {"code": f"{h.code}-{geo.UNIT_CODE_SUFFIX[specialty]}"},
                {"name": geo.UNIT_NAMES[specialty], "hospital": hospital, "specialty": specialty},
            )


def _put_icd10_titles(counts: Counter) -> None:
    """The shipped Swedish ICD-10 titles. A title imported from ICD-10-SE or written by an administrator
    is never touched (its `source` says so); a shipped one is brought up to the shipped text."""
    existing = {row.code: row for row in Icd10Title.objects.filter(code__in=ICD10_SE_TITLES)}
    for code, title in ICD10_SE_TITLES.items():
        row = existing.get(code)
        if row is None:
            Icd10Title.objects.create(code=code, title_sv=title, source=Icd10TitleSource.SHIPPED)
            counts[Icd10Title, CREATED] += 1
        elif row.source == Icd10TitleSource.SHIPPED and row.title_sv != title:
            row.title_sv = title
            row.save(update_fields=["title_sv", "updated_at"])
            counts[Icd10Title, UPDATED] += 1
        else:
            counts[Icd10Title, UNCHANGED] += 1


def _put(
    counts: Counter, model: type[models.Model], lookup: dict, values: dict, *, when_created: dict | None = None
) -> models.Model:
    """The row `lookup` finds, created or brought up to `values`; counts what happened. `when_created` are
    values a new row starts with and the load never touches again (an administrator's settings)."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        counts[model, CREATED] += 1
        return model._default_manager.create(**lookup, **values, **(when_created or {}))
    changed = [name for name, value in values.items() if _differs(row, name, value)]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    counts[model, UPDATED if changed else UNCHANGED] += 1
    return row


def _differs(row: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):  # compare a foreign key by id, without loading the related row
        field = cast(models.ForeignKey, row._meta.get_field(name))
        return getattr(row, field.attname) != value.pk
    return getattr(row, name) != value
