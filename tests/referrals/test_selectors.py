"""Who sees which request (inner secrecy): one selector decides it for every page."""

from __future__ import annotations

import pytest
from django.http import Http404

from referrals.models import ReferralStatus
from referrals.selectors import referral_get_for, referrals_visible_to
from tests.factories import ReferralFactory

S = ReferralStatus


@pytest.fixture
def cases(world):
    return {
        "draft": ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit),
        "submitted": ReferralFactory(status=S.SUBMITTED, sending_unit=world.home_unit),
        "proposed_to_neighbour": ReferralFactory(
            status=S.PROPOSED, sending_unit=world.home_unit, receiving_unit=world.neighbour_unit
        ),
        "proposed_to_far": ReferralFactory(
            status=S.PROPOSED, sending_unit=world.home_unit, receiving_unit=world.far_unit
        ),
        "neighbour_own": ReferralFactory(status=S.SUBMITTED, sending_unit=world.neighbour_unit),
    }


def _visible(user, cases):
    ids = set(referrals_visible_to(user).values_list("pk", flat=True))
    return {name for name, referral in cases.items() if referral.pk in ids}


def test_unit_staff_see_their_unit_only(world, cases):
    assert _visible(world.unit_staff, cases) == {"draft", "submitted", "proposed_to_neighbour", "proposed_to_far"}
    assert _visible(world.other_region_staff, cases) == {"neighbour_own"}


def test_sot_sees_submitted_requests_of_the_region_and_those_proposed_to_it(world, cases):
    assert _visible(world.sot, cases) == {"submitted", "proposed_to_neighbour", "proposed_to_far"}
    assert _visible(world.other_sot, cases) == {"neighbour_own", "proposed_to_neighbour"}


def test_receiving_staff_see_what_is_proposed_to_their_unit(world, cases):
    assert _visible(world.receiving_staff, cases) == {"proposed_to_neighbour"}


@pytest.mark.parametrize("persona", ["director", "administrator", "nobody"])
def test_directors_and_administrators_see_no_patient(world, cases, persona):
    assert _visible(getattr(world, persona), cases) == set()


def test_outside_scope_is_404(world, cases):
    with pytest.raises(Http404):
        referral_get_for(world.other_region_staff, pk=cases["draft"].pk)
    assert referral_get_for(world.unit_staff, pk=cases["draft"].pk) == cases["draft"]


def test_inactive_user_sees_nothing(world, cases):
    world.unit_staff.is_active = False
    world.unit_staff.save()
    assert _visible(world.unit_staff, cases) == set()
