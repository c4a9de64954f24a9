"""SOT's main focus: high or medium-high priority and ASA III or higher; informs, never blocks."""

from __future__ import annotations

import pytest

from catalog.models import AsaClass, MedicalPriority
from referrals.models import Referral


@pytest.mark.parametrize(
    ("main_focus_priority", "asa", "expected"),
    [
        (True, AsaClass.II, False),  # ASA just below the boundary
        (True, AsaClass.III, True),  # at the boundary
        (True, AsaClass.IV, True),
        (True, AsaClass.VI, True),
        (False, AsaClass.III, False),  # priority Medel or Låg
        (False, AsaClass.V, False),
        (True, None, False),  # ASA not yet given
    ],
)
def test_main_focus_boundaries(main_focus_priority, asa, expected):
    priority = MedicalPriority(name="x", max_wait_days=14, sort_order=1, is_main_focus=main_focus_priority)
    assert Referral(priority=priority, asa_class=asa).is_main_focus is expected


def test_no_priority_is_not_main_focus():
    assert Referral(priority=None, asa_class=AsaClass.IV).is_main_focus is False


def test_emergency_suffix_is_shown():
    assert Referral(asa_class=AsaClass.IV, asa_emergency=True).asa_display == "IVE"
    assert Referral(asa_class=None).asa_display == "–"
