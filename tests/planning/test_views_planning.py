"""The group plan page: personas (owner, another region 404, wrong role 403, anonymous to login), the plan
with its reasons and totals, and applying it as proposals, twice proposing once."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AccessLogEntry
from referrals.models import EventKind, ReferralStatus
from tests.factories import UnitFactory
from tests.pages import elements
from tests.planning.conftest import offer, unit_at, waiting


def _url(world, name: str = "planning:plan") -> str:
    return reverse(name, args=[world.home_region.code])


def test_personas(client, world, group):
    page = f"{_url(world)}?group={group.pk}"
    client.force_login(world.sot)
    assert client.get(page).status_code == 200
    assert client.get(reverse("planning:start"))["Location"] == _url(world)
    client.force_login(world.other_sot)
    assert client.get(page).status_code == 404
    assert client.post(_url(world, "planning:apply"), {"group": group.pk}).status_code == 404
    client.force_login(world.unit_staff)
    assert client.get(page).status_code == 403
    assert client.post(_url(world, "planning:apply"), {"group": group.pk}).status_code == 403
    assert client.get(reverse("planning:start")).status_code == 403
    client.logout()
    assert client.get(page)["Location"].startswith(reverse("login"))
    assert client.post(_url(world, "planning:apply"))["Location"].startswith(reverse("login"))
    client.force_login(world.sot)
    assert client.get(_url(world, "planning:apply")).status_code == 405
    assert client.get(reverse("planning:plan", args=["nowhere"])).status_code == 404


def test_the_plan_with_reasons_and_totals(client, world, group):
    placed = waiting(world, group)
    left_out = waiting(world, group, asa_class=5)
    unit = unit_at(world.neighbour_region, "56.9")
    offer(unit, group, 1)
    client.force_login(world.sot)
    body = client.get(f"{_url(world)}?group={group.pk}").content.decode()
    assert placed.reference in body and left_out.reference in body
    assert "Ingen verksamhet med ledig plats tar ASA V." in body
    assert "Samma sjukvårdsregion" in body and "100 km bort" in body
    assert 'name="assign"' in body and f'value="{placed.pk}:' in body
    # After Back the browser must not restore ticks by position onto another plan's rows (seen in Chromium).
    (checkbox,) = elements(body, "input", name="assign")
    assert checkbox.attrs["autocomplete"] == "off"
    # Requests shown are requests read: one access-log entry each.
    assert set(AccessLogEntry.objects.filter(what="planning:plan").values_list("referral_id", flat=True)) == {
        placed.pk,
        left_out.pk,
    }


def test_apply_proposes_through_the_lifecycle_once(client, world, group):
    submitted = waiting(world, group)
    in_review = waiting(world, group, status=ReferralStatus.IN_REVIEW)
    left = waiting(world, group)
    first = offer(world.neighbour_unit, group, 0)
    second = offer(world.far_unit, group, 1)
    client.force_login(world.sot)
    chosen = {"group": group.pk, "assign": [f"{submitted.pk}:{first.pk}", f"{in_review.pk}:{second.pk}"]}
    for _ in range(2):
        response = client.post(_url(world, "planning:apply"), chosen)
        assert response.status_code == 302 and response["Location"].startswith(_url(world))
    submitted.refresh_from_db()
    in_review.refresh_from_db()
    left.refresh_from_db()
    assert (submitted.status, submitted.receiving_unit) == (ReferralStatus.PROPOSED, world.neighbour_unit)
    assert (in_review.status, in_review.receiving_unit) == (ReferralStatus.PROPOSED, world.far_unit)
    assert left.status == ReferralStatus.SUBMITTED  # not chosen
    assert list(submitted.events.values_list("kind", flat=True).order_by("at", "id"))[-2:] == [
        EventKind.TAKEN,
        EventKind.PROPOSED,
    ]
    assert submitted.events.filter(kind=EventKind.PROPOSED).count() == 1
    assert in_review.events.filter(kind=EventKind.PROPOSED).count() == 1
    first.refresh_from_db()
    assert first.reserved_slots == 0  # nothing is reserved until the receiving unit accepts


def test_apply_ignores_what_is_outside_the_plans_scope(client, world, group):
    elsewhere = waiting(world, group)
    elsewhere.sending_unit = world.neighbour_unit
    elsewhere.save(update_fields=["sending_unit"])
    o = offer(world.far_unit, group)
    client.force_login(world.sot)
    client.post(_url(world, "planning:apply"), {"group": group.pk, "assign": [f"{elsewhere.pk}:{o.pk}", "x:y"]})
    elsewhere.refresh_from_db()
    assert elsewhere.status == ReferralStatus.SUBMITTED


def test_an_empty_plan_says_whether_the_group_or_the_filter_is_empty(client, world, group):
    """Seen in Chromium: with a priority chosen that no request has, the page said nobody waits in the group."""
    waiting(world, group)
    client.force_login(world.sot)
    other = UnitFactory(hospital=world.home_unit.hospital, name="Kirurgi")
    (empty,) = elements(
        client.get(f"{_url(world)}?group={group.pk}&unit={other.pk}").content.decode(), "p", data_testid="plan-empty"
    )
    assert "valda prioriteten, sjukhuset eller verksamheten" in empty.text
