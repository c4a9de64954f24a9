"""A block of weeks in one form: one offer per week; weeks already offered are refused by name, next to the
field, and nothing of the block is published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capacity import services
from capacity.models import CapacityOffer
from capacity.weeks import format_week, monday_of
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory
from tests.i18n import shown

CREATE = reverse("capacity:create")


def monday(n: int):
    return monday_of(timezone.localdate()) + timedelta(weeks=n)


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


def block(world, group, first: int, last: int, **overrides) -> dict:
    values = {
        "unit": world.neighbour_unit.pk,
        "diagnosis_group": group.pk,
        "first_week": format_week(monday(first)),
        "last_week": format_week(monday(last)),
        "slots": "3",
        "max_asa": "3",
        "care_type": "inpatient",
        "note": "",
    }
    return {**values, **overrides}


def test_a_block_makes_one_offer_per_week(client, world, group):
    client.force_login(world.receiving_staff)
    assert client.post(CREATE, block(world, group, 2, 7)).status_code == 302
    offers = list(CapacityOffer.objects.order_by("week_start"))
    assert [o.week_start for o in offers] == [monday(n) for n in range(2, 8)]
    assert {(o.slots, o.max_asa, o.care_type) for o in offers} == {(3, 3, "inpatient")}


def test_weeks_already_offered_inside_the_block_are_named(client, world, group):
    for n in (3, 5):
        CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=monday(n))
    client.force_login(world.receiving_staff)
    response = client.post(CREATE, block(world, group, 1, 6))
    assert response.status_code == 200
    weeks = f"{format_week(monday(3))}, {format_week(monday(5))}"
    assert response.context["form"].errors["first_week"] == [shown(services.ERROR_WEEK_ALREADY_OFFERED, weeks=weeks)]
    assert CapacityOffer.objects.count() == 2  # all or none


def test_what_is_no_overlap(client, world, group):
    """Another care type, another group, another unit, or a withdrawn offer leave the week free."""
    other_group = DiagnosisGroupFactory(code="brack", name="Bråck", ranges=[("K40", "K46")])
    CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=group, week_start=monday(1), care_type="day_surgery"
    )
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=other_group, week_start=monday(2))
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=group, week_start=monday(3))
    CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=group, week_start=monday(4), withdrawn_at=timezone.now()
    )
    client.force_login(world.receiving_staff)
    assert client.post(CREATE, block(world, group, 1, 4)).status_code == 302
    assert CapacityOffer.objects.active().filter(unit=world.neighbour_unit, diagnosis_group=group).count() == 5


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        (-1, 2, "first_week", services.ERROR_WEEK_PASSED),
        (4, 2, "last_week", services.ERROR_LAST_WEEK_BEFORE_FIRST),
        (1, 53, "last_week", services.ERROR_TOO_MANY_WEEKS),
    ],
)
def test_invalid_blocks_are_explained_next_to_the_field(client, world, group, first, last, field, message):
    client.force_login(world.receiving_staff)
    response = client.post(CREATE, block(world, group, first, last))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [shown(message)]
    assert not CapacityOffer.objects.exists()


def test_a_week_typed_wrong_is_explained(client, world, group):
    client.force_login(world.receiving_staff)
    response = client.post(CREATE, block(world, group, 1, 2, last_week="vecka femtio"))
    assert response.status_code == 200
    assert "last_week" in response.context["form"].errors
    assert not CapacityOffer.objects.exists()
