"""The capacity overview for SOT representatives: personas, the grid of free slots, filters, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capacity.overview import OVERVIEW_WEEKS
from capacity.weeks import first_open_week, format_week
from tests.factories import CapacityOfferFactory, ReferralFactory
from tests.pages import elements, field_error, texts

OVERVIEW = reverse("capacity:overview")


def week(n: int = 0):
    return first_open_week(timezone.localdate()) + timedelta(weeks=n)


def login(client, user):
    client.force_login(user)
    return client


def groups_shown(body: str) -> set[str]:
    return {e.attrs["data-group"] for e in elements(body, "tr") if "data-group" in e.attrs}


def cells(body: str, code: str) -> list[str]:
    """The texts of one group's cells: the weeks in order, then the total."""
    start = body.index(f'data-group="{code}"')
    return texts(body[start : body.index("</tr>", start)], "td")


def test_personas(client, world):
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for persona in ("unit_staff", "receiving_staff", "director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(OVERVIEW).status_code == 403, persona
    assert login(client, world.sot).get(OVERVIEW).status_code == 200
    assert client.post(OVERVIEW).status_code == 405


def test_free_slots_of_other_regions_per_group_and_week(client, world, groups):
    artros, hand = groups
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(0), slots=3)
    CapacityOfferFactory(
        unit=world.far_unit,
        diagnosis_group=artros,
        week_start=week(0),
        slots=2,
        reserved_slots=1,
        care_type="day_surgery",
    )
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=week(2), slots=1, reserved_slots=1)
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=hand, week_start=week(11), slots=4)
    # Not counted: the user's own region, a withdrawn offer, a week over, a week past the twelve shown.
    CapacityOfferFactory(unit=world.home_unit, diagnosis_group=artros, week_start=week(0), slots=50)
    CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(1), slots=7, withdrawn_at=timezone.now()
    )
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(-1), slots=8)
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(OVERVIEW_WEEKS), slots=9)

    body = login(client, world.sot).get(OVERVIEW).content.decode()
    headers = texts(body, "th", scope="col")
    assert headers[1:-1] == [format_week(week(n)) for n in range(OVERVIEW_WEEKS)]
    artros_row = cells(body, "artros")
    assert artros_row[0] == "4"  # 3 free in the neighbour region + 1 of 2 in the far region
    assert artros_row[1].startswith("–")  # nothing offered: the withdrawn offer is gone
    assert artros_row[2] == "0"  # offered, all reserved
    assert artros_row[-1] == "4"
    hand_row = cells(body, "hand")
    assert hand_row[OVERVIEW_WEEKS - 1] == "4" and hand_row[-1] == "4"
    # The other region's SOT representative sees the home region's 50 slots, not their own.
    body = login(client, world.other_sot).get(OVERVIEW).content.decode()
    assert cells(body, "artros")[0] == "51"


def test_region_and_group_filters(client, world, groups):
    artros, hand = groups
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=week(0), slots=3)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=week(0), slots=2)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=hand, week_start=week(1), slots=5)
    login(client, world.sot)
    body = client.get(OVERVIEW, {"region": world.far_region.pk}).content.decode()
    assert cells(body, "artros")[0] == "2" and cells(body, "hand")[1] == "5"
    body = client.get(OVERVIEW, {"region": world.neighbour_region.pk, "diagnosis_group": hand.pk}).content.decode()
    assert groups_shown(body) == {"hand"}
    assert cells(body, "hand")[-1] == "0"
    # The region choices are the other regions only.
    start = body.index('name="region"')
    options = {e.attrs.get("value") for e in elements(body[start : body.index("</select>", start)], "option")}
    assert str(world.home_region.pk) not in options
    assert {str(world.neighbour_region.pk), str(world.far_region.pk)} <= options


@pytest.mark.parametrize(
    ("params", "field"),
    [({"region": "own"}, "region"), ({"region": "abc"}, "region"), ({"diagnosis_group": "999999"}, "diagnosis_group")],
)
def test_bad_filter_is_explained_next_to_its_field(client, world, groups, params, field):
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=groups[0], week_start=week(0), slots=2)
    if params.get("region") == "own":
        params = {"region": world.home_region.pk}
    response = login(client, world.sot).get(OVERVIEW, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert field_error(body, field)
    assert cells(body, "artros")[0] == "2"  # the table ignores the filter that does not validate


def test_no_request_and_no_patient_on_the_page(client, world, groups):
    referral = ReferralFactory(sending_unit=world.home_unit, status="proposed", receiving_unit=world.far_unit)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=groups[0], week_start=week(0), slots=2)
    body = login(client, world.sot).get(OVERVIEW).content.decode()
    assert referral.reference not in body and referral.patient_name not in body
    start = body.index('data-testid="capacity-overview"')
    links = elements(body[start : body.index("</table>", start)], "a")
    # The one cell with an offer links to the offers behind it, and nowhere else (no request, no patient).
    assert [link.attrs["href"].split("?")[0] for link in links] == [reverse("capacity:overview_cell")]


def test_the_start_panel_links_to_the_overview(client, world):
    body = login(client, world.sot).get(reverse("home")).content.decode()
    assert elements(body, "a", href=OVERVIEW)
    body = login(client, world.unit_staff).get(reverse("home")).content.decode()
    assert not elements(body, "a", href=OVERVIEW)


@pytest.mark.parametrize("offers", [2, 40])
def test_query_count_does_not_grow(client, world, groups, django_assert_max_num_queries, offers):
    units = [world.neighbour_unit, world.far_unit]
    for n in range(offers):
        CapacityOfferFactory(
            unit=units[n % 2],
            diagnosis_group=groups[n % 2],
            week_start=week(n // 4 % OVERVIEW_WEEKS),
            care_type=("inpatient", "day_surgery")[n // 2 % 2],
        )
    login(client, world.sot)
    # session, user, memberships, the regions, the groups, the free slots, and the session's save
    # (savepoint, update, release): the grid is two queries, not one per cell, and the filters none more
    with django_assert_max_num_queries(9):
        assert client.get(OVERVIEW, {"diagnosis_group": groups[0].pk}).status_code == 200
