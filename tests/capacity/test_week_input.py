"""Weeks as people write them: "v. 48 2026" on every page, and the ways of typing a week the form accepts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from capacity import weeks
from capacity.models import CapacityOffer
from capacity.weeks import format_week, iso_week, monday_of, parse_week
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory
from tests.i18n import shown
from tests.pages import field_error

MONDAY_48 = date(2026, 11, 23)
TODAY = date(2026, 10, 1)  # a Thursday in week 40 of 2026


def test_a_week_is_shown_as_v_week_year():
    with translation.override("sv"):
        assert format_week(MONDAY_48) == "v. 48 2026"
        assert format_week(date(2027, 1, 4)) == "v. 1 2027"
    assert iso_week(MONDAY_48) == "2026-W48"


@pytest.mark.parametrize(
    "typed",
    ["v. 48 2026", "v 48 2026", "v.48 2026", "V 48 2026", "vecka 48 2026", "Vecka 48, 2026", "2026-W48", "2026-w48",
     "2026W48", "2026-V48", "2026 48", "  v  48   2026 ", "v 48", "v. 48", "vecka 48", "v48"],
)  # fmt: skip
def test_typed_weeks(typed):
    assert parse_week(typed, today=TODAY) == MONDAY_48


def test_a_week_without_a_year_is_this_years_until_it_has_passed():
    # Week 40 of 2026 is the current week on TODAY: still this year's.
    assert parse_week("v 40", today=TODAY) == date(2026, 9, 28)
    # Week 39 has ended: the coming week 39 is next year's.
    assert parse_week("v 39", today=TODAY) == date(2027, 9, 27)
    # In December, week 2 means January.
    assert parse_week("vecka 2", today=date(2026, 12, 14)) == date(2027, 1, 11)


def test_a_week_with_a_year_is_taken_as_written():
    assert parse_week("v 39 2026", today=TODAY) == date(2026, 9, 21)  # the form says it has passed
    assert parse_week("v 48 2027", today=TODAY) == date(2027, 11, 29)


@pytest.mark.parametrize("typed", ["nästa vecka", "48", "v", "2026", "v 48 26", "2026-W", "w48x", "v. 4 8"])
def test_unreadable_weeks(typed):
    with pytest.raises(ValidationError) as raised:
        parse_week(typed, today=TODAY)
    assert raised.value.code == "format"


@pytest.mark.parametrize(
    ("typed", "year", "week"),
    [("v 54", 2026, 54), ("v 53 2027", 2027, 53), ("2027-W53", 2027, 53), ("v 0 2026", 2026, 0)],
)
def test_weeks_that_do_not_exist(typed, year, week):
    with pytest.raises(ValidationError) as raised:
        parse_week(typed, today=TODAY)
    assert raised.value.code == "missing" and raised.value.params == {"year": year, "week": week}


# --- the capacity form ---------------------------------------------------------------------------


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory(code="artros", name="Höft- och knäledsartros", ranges=[("M16", "M17")])


def _publish(client, world, group, **overrides):
    client.force_login(world.receiving_staff)
    data = {"unit": world.neighbour_unit.pk, "diagnosis_group": group.pk, "first_week": "", "last_week": "",
            "slots": "2", "max_asa": "3", "care_type": "inpatient", "note": ""}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("capacity:create"), data)


def _coming(n: int) -> date:
    return monday_of(timezone.localdate()) + timedelta(weeks=n)


def test_the_form_accepts_the_swedish_way(client, world, group):
    week = _coming(2).isocalendar()[1]
    response = _publish(client, world, group, first_week=f"vecka {week}", last_week=f"v. {_coming(3).isocalendar()[1]}")
    assert response.status_code == 302
    assert list(CapacityOffer.objects.order_by("week_start").values_list("week_start", flat=True)) == [
        _coming(2),
        _coming(3),
    ]


def test_the_form_accepts_iso_weeks_as_the_outside_check_posts_them(client, world, group):
    assert _publish(client, world, group, first_week=iso_week(_coming(1)).lower()).status_code == 302
    assert _publish(client, world, group, first_week=iso_week(_coming(2))).status_code == 302
    assert CapacityOffer.objects.count() == 2


def test_a_bad_week_gets_a_swedish_message_next_to_the_field(client, world, group):
    response = _publish(client, world, group, first_week="v. 48 tjugosex")
    assert response.status_code == 200
    assert field_error(response.content.decode(), "first_week") == shown(weeks.ERROR_WEEK_FORMAT)
    assert shown(weeks.ERROR_WEEK_FORMAT).startswith("Skriv veckan")


def test_pages_show_weeks_the_swedish_way(client, world, group):
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=_coming(1))
    client.force_login(world.receiving_staff)
    body = client.get(reverse("capacity:list")).content.decode()
    year, week, _ = offer.week_start.isocalendar()
    assert f"v. {week} {year}" in body
    assert iso_week(offer.week_start) not in body
