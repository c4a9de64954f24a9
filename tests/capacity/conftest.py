"""Fixtures shared by the capacity tests."""

from __future__ import annotations

import pytest

from tests.factories import DiagnosisGroupFactory


@pytest.fixture
def groups(db):
    """Two diagnosis groups in a known order (the overview's rows)."""
    artros = DiagnosisGroupFactory(code="artros", name="Höft- och knäledsartros", sort_order=1)
    hand = DiagnosisGroupFactory(code="hand", name="Handkirurgi", sort_order=2, ranges=[("M18", "M18")])
    return artros, hand
