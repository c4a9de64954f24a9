"""The capacity overview's cells open the offers behind them: the units of the other regions that offer the
group that week, their free slots and their phone. For the overview's readers only (SOT representatives)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.capacity.test_capacity_overview import login, week
from tests.factories import CapacityOfferFactory, ReferralFactory
from tests.pages import elements, field_error, texts

OVERVIEW = reverse("capacity:overview")
CELL = reverse("capacity:overview_cell")


def params(group, n: int = 0, **extra) -> dict:
    return {"diagnosis_group": group.pk, "week": week(n).isoformat(), **extra}


def units_listed(body: str) -> list[str]:
    return [e.attrs["data-unit"] for e in elements(body, "tr") if "data-unit" in e.attrs]


def test_personas(client, world, groups):
    query = params(groups[0])
    response = client.get(CELL, query)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for persona in ("unit_staff", "receiving_staff", "director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(CELL, query).status_code == 403, persona
    assert login(client, world.sot).get(CELL, query).status_code == 200
    assert client.post(CELL, query).status_code == 405


def test_a_cell_links_to_the_offers_behind_its_number(client, world, groups):
    artros, hand = groups
    world.far_unit.phone = "0480-810 00"
    world.far_unit.save()
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(1), slots=3)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=week(1), slots=2, reserved_slots=1)
    # Not behind the cell: the user's own region, another week, another group, a withdrawn offer.
    CapacityOfferFactory(unit=world.home_unit, diagnosis_group=artros, week_start=week(1), slots=50)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=week(2), slots=9)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=hand, week_start=week(1), slots=9)
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=artros,
        week_start=week(1),
        slots=7,
        care_type="day_surgery",
        withdrawn_at=timezone.now(),
    )
    login(client, world.sot)
    overview = client.get(OVERVIEW).content.decode()
    start = overview.index('data-group="artros"')
    row = overview[start : overview.index("</tr>", start)]
    (link,) = [a for a in elements(row, "a") if a.text.strip() == "4"]
    assert link.attrs["href"] == f"{CELL}?diagnosis_group={artros.pk}&week={week(1).isoformat()}"
    body = client.get(link.attrs["href"]).content.decode()
    assert units_listed(body) == [str(world.neighbour_unit.pk), str(world.far_unit.pk)]  # Blekinge, Kalmar län
    assert texts(body, "strong", data_testid="free-total") == ["4"]
    assert "1 av 2" in body and "3 av 3" in body
    assert elements(body, "a", href="tel:0480-81000")
    assert world.home_unit.name not in body


def test_the_region_filter_follows_the_link(client, world, groups):
    artros, _hand = groups
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(0), slots=3)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=week(0), slots=2)
    login(client, world.sot)
    overview = client.get(OVERVIEW, {"region": world.far_region.pk}).content.decode()
    start = overview.index('data-group="artros"')
    (link,) = elements(overview[start : overview.index("</tr>", start)], "a")
    assert f"region={world.far_region.pk}" in link.attrs["href"]
    body = client.get(link.attrs["href"]).content.decode()
    assert units_listed(body) == [str(world.far_unit.pk)]


def test_the_other_regions_representative_sees_the_home_region_not_their_own(client, world, groups):
    artros, _hand = groups
    CapacityOfferFactory(unit=world.home_unit, diagnosis_group=artros, week_start=week(0), slots=5)
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(0), slots=3)
    body = login(client, world.other_sot).get(CELL, params(artros)).content.decode()
    assert units_listed(body) == [str(world.home_unit.pk)]


def test_no_offer_that_week_says_so(client, world, groups):
    body = login(client, world.sot).get(CELL, params(groups[0])).content.decode()
    assert elements(body, "p", data_testid="empty") and not units_listed(body)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"week": "2001-01-01"}, "week"),  # a week not shown in the overview
        ({"week": "v. 50"}, "week"),
        ({"week": ""}, "week"),
        ({"diagnosis_group": "999999"}, "diagnosis_group"),
        ({"diagnosis_group": ""}, "diagnosis_group"),
        ({"region": "own"}, "region"),
    ],
)
def test_bad_input_is_explained_next_to_its_field(client, world, groups, bad, field):
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=groups[0], week_start=week(0), slots=2)
    if bad.get("region") == "own":
        bad = {"region": world.home_region.pk}
    response = login(client, world.sot).get(CELL, params(groups[0]) | bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Välj ett av alternativen i listan." in field_error(body, field)
    assert not units_listed(body)


def test_no_request_and_no_patient_on_the_page(client, world, groups):
    referral = ReferralFactory(sending_unit=world.home_unit, status="proposed", receiving_unit=world.far_unit)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=groups[0], week_start=week(0), slots=2)
    body = login(client, world.sot).get(CELL, params(groups[0])).content.decode()
    assert referral.reference not in body and referral.patient_name not in body
