"""A receiving unit confirms its capacity: on publishing, on changing slots, and all at once with one click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from capacity import services
from capacity.models import CapacityOffer, ConfirmationLimit
from capacity.weeks import first_open_week, format_week, monday_of
from referrals.models import ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory, UserFactory, member

LIST = reverse("capacity:list")
CREATE = reverse("capacity:create")
LONG_AGO = timedelta(days=40)


def confirm_url(unit) -> str:
    return reverse("capacity:confirm", args=[unit.pk])


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture
def other_receiver(world):
    """Receiving staff of a unit in a third region."""
    user = UserFactory(username="other-receiver")
    member(user, Role.RECEIVING_STAFF, world.far_unit)
    return user


@pytest.fixture
def old_offers(world, group):
    """Offers published and confirmed long ago by someone else: last week's, the coming weeks', a withdrawn
    one, and the coming week of another unit."""
    publisher = UserFactory(username="publisher")
    coming = monday_of(timezone.localdate())
    long_ago = timezone.now() - LONG_AGO
    offers = {
        "past": CapacityOfferFactory(
            unit=world.neighbour_unit, diagnosis_group=group, week_start=coming - timedelta(7)
        ),
        "first": CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=coming),
        "later": CapacityOfferFactory(
            unit=world.neighbour_unit, diagnosis_group=group, week_start=coming + timedelta(21), reserved_slots=1
        ),
        "withdrawn": CapacityOfferFactory(
            unit=world.neighbour_unit, diagnosis_group=group, week_start=coming + timedelta(7), withdrawn_at=long_ago
        ),
        "elsewhere": CapacityOfferFactory(unit=world.far_unit, diagnosis_group=group, week_start=coming),
    }
    CapacityOffer.objects.update(confirmed_at=long_ago, confirmed_by=publisher)
    return offers


def confirmed(offers) -> dict[str, bool]:
    """Which offers were confirmed in the last minute."""
    recently = timezone.now() - timedelta(minutes=1)
    return {name: CapacityOffer.objects.get(pk=o.pk).confirmed_at > recently for name, o in offers.items()}


def test_confirm_all_personas(client, world, old_offers, other_receiver):
    url = confirm_url(world.neighbour_unit)
    assert client.post(url)["Location"].startswith(reverse("login"))
    for persona in ("unit_staff", "other_region_staff", "sot", "director", "administrator", "nobody"):
        client.force_login(getattr(world, persona))
        assert client.post(url).status_code == 403, persona
    client.force_login(other_receiver)  # receiving staff, of a unit in another region
    assert client.post(url).status_code == 404
    client.force_login(world.receiving_staff)
    assert client.get(url).status_code == 405
    assert not any(confirmed(old_offers).values()), "nobody but the owner confirmed anything"
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, LIST)


def test_confirm_all_confirms_the_units_coming_offers(client, world, old_offers):
    client.force_login(world.receiving_staff)
    client.post(confirm_url(world.neighbour_unit))
    assert confirmed(old_offers) == {
        "past": False,
        "first": True,
        "later": True,  # reserved slots too: the offer as it stands
        "withdrawn": False,
        "elsewhere": False,
    }
    first = CapacityOffer.objects.get(pk=old_offers["first"].pk)
    assert first.confirmed_by == world.receiving_staff
    assert (first.slots, first.reserved_slots, first.withdrawn_at) == (2, 0, None)  # nothing else changes


def test_confirm_all_is_idempotent(client, world, old_offers):
    client.force_login(world.receiving_staff)
    client.post(confirm_url(world.neighbour_unit))
    once = {o.pk: (o.slots, o.reserved_slots, o.withdrawn_at, o.confirmed_by_id) for o in CapacityOffer.objects.all()}
    assert client.post(confirm_url(world.neighbour_unit)).status_code == 302
    twice = {o.pk: (o.slots, o.reserved_slots, o.withdrawn_at, o.confirmed_by_id) for o in CapacityOffer.objects.all()}
    assert once == twice
    assert confirmed(old_offers)["first"]
    assert services.capacity_confirm_all(by=world.receiving_staff, unit=world.neighbour_unit) == 2


def test_confirm_all_with_nothing_to_confirm(client, world):
    client.force_login(world.receiving_staff)
    response = client.post(confirm_url(world.neighbour_unit), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_the_service_checks_the_unit(world, old_offers, other_receiver):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.capacity_confirm_all(by=other_receiver, unit=world.neighbour_unit)
    assert not any(confirmed(old_offers).values())


def test_publishing_a_block_confirms_every_week(client, world, group):
    client.force_login(world.receiving_staff)
    first = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    response = client.post(
        CREATE,
        {
            "unit": world.neighbour_unit.pk,
            "diagnosis_group": group.pk,
            "first_week": format_week(first),
            "last_week": format_week(first + timedelta(weeks=3)),
            "slots": "2",
            "max_asa": "3",
            "care_type": "inpatient",
        },
    )
    assert response.status_code == 302
    offers = CapacityOffer.objects.all()
    assert offers.count() == 4
    assert {(o.confirmed_by_id, o.confirmed_at == offers[0].confirmed_at) for o in offers} == {
        (world.receiving_staff.pk, True)
    }


def test_changing_slots_confirms_the_offer_refusing_does_not(client, world, old_offers):
    offer = old_offers["later"]  # one slot reserved
    url = reverse("capacity:change", args=[offer.pk])
    client.force_login(world.receiving_staff)
    client.post(url, {"slots": "0"})
    assert not confirmed({"later": offer})["later"]
    client.post(url, {"slots": "5"})
    offer.refresh_from_db()
    assert (offer.slots, offer.confirmed_by) == (5, world.receiving_staff)
    assert confirmed({"later": offer})["later"]
    assert not confirmed({"first": old_offers["first"]})["first"]


def test_the_list_shows_what_is_unconfirmed_and_the_button(client, world, old_offers):
    ConfirmationLimit.objects.update_or_create(pk=1, defaults={"days": 14})
    client.force_login(world.receiving_staff)
    response = client.get(LIST)
    unconfirmed = response.context["unconfirmed"]
    assert unconfirmed == {old_offers["first"].pk, old_offers["later"].pk}
    body = response.content.decode()
    assert body.count('data-testid="unconfirmed"') == 2
    assert confirm_url(world.neighbour_unit) in body
    client.post(confirm_url(world.neighbour_unit))
    response = client.get(LIST)
    assert response.context["unconfirmed"] == set()
    assert 'data-testid="unconfirmed"' not in response.content.decode()


def test_the_request_page_marks_unconfirmed_units(client, world, group):
    referral = ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit, diagnosis_group=group)
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week)
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(world.sot)
    assert 'data-testid="unconfirmed"' not in client.get(url).content.decode()
    CapacityOffer.objects.filter(pk=offer.pk).update(confirmed_at=timezone.now() - LONG_AGO)
    body = client.get(url).content.decode()
    since = timezone.localdate(timezone.now() - LONG_AGO).isoformat()
    assert body.count('data-testid="unconfirmed"') == 1
    assert f"obekräftad sedan {since}" in body


def test_the_propose_page_marks_unconfirmed_units(client, world, group):
    referral = ReferralFactory(status=ReferralStatus.IN_REVIEW, sending_unit=world.home_unit, diagnosis_group=group)
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=group,
        week_start=week,
        confirmed_at=timezone.now() - LONG_AGO,
    )
    client.force_login(world.sot)
    body = client.get(reverse("referrals:propose", args=[referral.pk])).content.decode()
    assert body.count('data-testid="unconfirmed"') == 1
    assert "Kapaciteten obekräftad sedan" in body
