"""Patient search by name: each typed word is part of the name, in any order, case-insensitively, with
å, ä and ö as typed. The access log and who sees what stay as tests/referrals/test_search.py has them."""

from __future__ import annotations

import pytest

from audit.models import AccessLogEntry
from referrals.models import ReferralStatus
from tests.factories import ReferralFactory
from tests.referrals.test_search import _found, _search

S = ReferralStatus


@pytest.fixture
def anna(world):
    return ReferralFactory(patient_name="Anna Svensson", sending_unit=world.home_unit, status=S.SUBMITTED)


@pytest.mark.parametrize(
    "typed",
    [
        "Svensson Anna",
        "anna svensson",
        "Svens",
        "ANNA  SVENS",
        "sson ann",
        "Anna Svensson",
        "Svensson, Anna",
        "svensson,anna",
    ],
)
def test_each_word_finds_part_of_the_name_in_any_order(client, world, anna, typed):
    """Before: the whole text had to stand in the name as typed, so 'Svensson Anna' found nothing."""
    assert _found(_search(client, world.unit_staff, typed)) == [anna.reference]


@pytest.mark.parametrize("typed", ["Anna Berg", "Svensson Karin", "annasvensson", "Anna Svensson Berg"])
def test_every_word_must_match(client, world, anna, typed):
    assert _found(_search(client, world.unit_staff, typed)) == []


def test_a_a_and_o_are_not_aa_ae_and_oe(client, world):
    """å, ä and ö are letters of their own: typed, they match only themselves, in either case."""
    ake = ReferralFactory(patient_name="Åke Öström", sending_unit=world.home_unit, status=S.SUBMITTED)
    ake_ascii = ReferralFactory(patient_name="Ake Ostrom", sending_unit=world.home_unit, status=S.SUBMITTED)
    assert _found(_search(client, world.unit_staff, "öström åke")) == [ake.reference]
    assert _found(_search(client, world.unit_staff, "ÖSTRÖM ÅKE")) == [ake.reference]
    assert _found(_search(client, world.unit_staff, "ostrom ake")) == [ake_ascii.reference]
    mixed = ReferralFactory(patient_name="Björn Hägg", sending_unit=world.home_unit, status=S.SUBMITTED)
    assert _found(_search(client, world.unit_staff, "HÄGG björn")) == [mixed.reference]
    assert _found(_search(client, world.unit_staff, "hagg")) == []


def test_words_search_only_among_what_the_user_may_see_and_logs_the_rows(client, world, anna):
    ReferralFactory(patient_name="Anna Svensson", sending_unit=world.neighbour_unit, status=S.SUBMITTED)
    assert _found(_search(client, world.unit_staff, "svensson anna")) == [anna.reference]
    entries = AccessLogEntry.objects.filter(user=world.unit_staff)
    assert [e.referral_id for e in entries] == [anna.pk]
