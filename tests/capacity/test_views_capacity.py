"""Capacity pages with personas; bad input gets a Swedish message next to its field."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role
from capacity import services, weeks
from capacity.models import CapacityOffer
from capacity.weeks import format_week, monday_of
from referrals.models import ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory, UserFactory, member
from tests.i18n import shown, shown_html

LIST = reverse("capacity:list")
CREATE = reverse("capacity:create")


def this_week(n: int = 0) -> str:
    return format_week(monday_of(timezone.localdate()) + timedelta(weeks=n))


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture
def other_receiver(world):
    """Receiving staff of a unit in a third region: must never touch the neighbour unit's offers."""
    user = UserFactory(username="other-receiver")
    member(user, Role.RECEIVING_STAFF, world.far_unit)
    return user


def data(world, group, **overrides):
    values = {
        "unit": world.neighbour_unit.pk,
        "diagnosis_group": group.pk,
        "first_week": this_week(1),
        "last_week": "",
        "slots": "2",
        "max_asa": "4",
        "care_type": "inpatient",
        "note": "",
    }
    values.update(overrides)
    return values


def test_list_and_create_personas(client, world, group):
    for url in (LIST, CREATE):
        client.logout()
        assert client.get(url).status_code == 302
        for persona in ("unit_staff", "sot", "director", "administrator", "nobody"):
            client.force_login(getattr(world, persona))
            assert client.get(url).status_code == 403, (url, persona)
        client.force_login(world.receiving_staff)
        assert client.get(url).status_code == 200
    assert client.post(LIST).status_code == 405


def test_publish_a_range_of_weeks(client, world, group):
    client.force_login(world.receiving_staff)
    response = client.post(CREATE, data(world, group, first_week=this_week(1), last_week=this_week(4), slots="3"))
    assert response.status_code == 302
    offers = CapacityOffer.objects.order_by("week_start")
    assert offers.count() == 4
    assert {o.slots for o in offers} == {3}
    assert offers[0].week_start == monday_of(timezone.localdate()) + timedelta(weeks=1)
    body = client.get(LIST).content.decode()
    assert this_week(1) in body and this_week(4) in body


def test_forgiving_week_formats(client, world, group):
    client.force_login(world.receiving_staff)
    year, week, _ = (monday_of(timezone.localdate()) + timedelta(weeks=2)).isocalendar()
    assert client.post(CREATE, data(world, group, first_week=f"{year}-V{week}")).status_code == 302
    assert client.post(CREATE, data(world, group, first_week=f"{year} {week + 1}")).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_week": "2020-W10"}, "first_week", partial(shown, services.ERROR_WEEK_PASSED)),
        ({"first_week": "nästa vecka"}, "first_week", partial(shown, weeks.ERROR_WEEK_FORMAT)),
        ({"first_week": "2026-W54"}, "first_week", partial(shown, weeks.ERROR_WEEK_MISSING, year=2026, week=54)),
        ({"slots": "0"}, "slots", "min_value"),  # Django's message, by its code
        ({"slots": "-3"}, "slots", "min_value"),
        ({"last_week": "__far__"}, "last_week", partial(shown, services.ERROR_TOO_MANY_WEEKS)),
        ({"last_week": "__before__"}, "last_week", partial(shown, services.ERROR_LAST_WEEK_BEFORE_FIRST)),
    ],
)
def test_bad_input_is_explained(client, world, group, overrides, field, message):
    if overrides.get("last_week") == "__far__":
        overrides = {"first_week": this_week(1), "last_week": this_week(53)}
    elif overrides.get("last_week") == "__before__":
        overrides = {"first_week": this_week(3), "last_week": this_week(1)}
    client.force_login(world.receiving_staff)
    response = client.post(CREATE, data(world, group, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    if isinstance(message, str):
        assert [error.code for error in errors.as_data()[field]] == [message]
    else:
        assert errors[field] == [message()]
    assert not CapacityOffer.objects.exists()


def test_the_same_week_twice_is_refused(client, world, group):
    client.force_login(world.receiving_staff)
    client.post(CREATE, data(world, group))
    response = client.post(CREATE, data(world, group, first_week=this_week(0), last_week=this_week(2)))
    already = shown(services.ERROR_WEEK_ALREADY_OFFERED, weeks=this_week(1))  # the week the first post published
    assert response.context["form"].errors["first_week"] == [already]
    assert CapacityOffer.objects.count() == 1


def test_cannot_publish_for_another_unit(client, world, group, other_receiver):
    client.force_login(other_receiver)
    response = client.post(CREATE, data(world, group, unit=world.neighbour_unit.pk))
    assert "unit" in response.context["form"].errors
    assert not CapacityOffer.objects.exists()


def test_change_slots_never_below_reserved(client, world, group):
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, slots=4, reserved_slots=2)
    url = reverse("capacity:change", args=[offer.pk])
    client.force_login(world.receiving_staff)
    response = client.post(url, {"slots": "1"})
    assert response.context["form"].errors["slots"] == [shown(services.ERROR_SLOTS_BELOW_RESERVED, n=2)]
    assert client.post(url, {"slots": "2"}).status_code == 302
    offer.refresh_from_db()
    assert offer.slots == 2


def test_withdraw_only_without_reservations(client, world, group):
    reserved = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, reserved_slots=1)
    free = CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=group, week_start=reserved.week_start + timedelta(weeks=1)
    )
    client.force_login(world.receiving_staff)
    client.post(reverse("capacity:withdraw", args=[reserved.pk]))
    client.post(reverse("capacity:withdraw", args=[free.pk]))
    reserved.refresh_from_db()
    free.refresh_from_db()
    assert reserved.withdrawn_at is None and free.withdrawn_at is not None
    body = client.get(LIST).content.decode()
    assert reserved.week_label in body and free.week_label not in body


def test_another_units_offer_is_404(client, world, group, other_receiver):
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group)
    client.force_login(other_receiver)
    for name in ("change", "withdraw"):
        url = reverse(f"capacity:{name}", args=[offer.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"slots": "9"}).status_code == 404
    offer.refresh_from_db()
    assert offer.slots == 2 and offer.withdrawn_at is None
    client.force_login(world.receiving_staff)
    assert client.put(reverse("capacity:change", args=[offer.pk])).status_code == 405
    client.logout()
    assert client.get(reverse("capacity:change", args=[offer.pk])).status_code == 302


def test_sot_sees_ranked_proposals_on_the_request(client, world, group):
    referral = ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit, diagnosis_group=group)
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=group,
        week_start=monday_of(timezone.localdate()) + timedelta(weeks=1),
    )
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(world.sot)
    body = client.get(url).content.decode()
    assert 'data-testid="proposals"' in body
    assert world.neighbour_unit.name in body
    assert shown_html(gettext_lazy("Same healthcare region")) in body
    client.force_login(world.unit_staff)  # the sending unit sees the request, not the matching
    assert 'data-testid="matching"' not in client.get(url).content.decode()


def test_sot_sees_why_there_is_no_match(client, world, group):
    referral = ReferralFactory(status=ReferralStatus.IN_REVIEW, sending_unit=world.home_unit, diagnosis_group=group)
    client.force_login(world.sot)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Ingen mottagare kan ta emot patienten just nu." in body
    assert "Ingen verksamhet i annan region erbjuder Höft- och knäledsartros" in body
