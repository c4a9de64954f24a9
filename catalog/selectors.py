"""Reads of the catalogue."""

from __future__ import annotations

from catalog.models import DiagnosisCodeRange, DiagnosisGroup


def diagnosis_group_for_code(icd10_code: str) -> DiagnosisGroup | None:
    """The group whose code range covers the code's category (the first three characters)."""
    category = icd10_code.strip().upper()[:3]
    code_range = DiagnosisCodeRange.objects.covering(category).select_related("group").first()
    return code_range.group if code_range else None
