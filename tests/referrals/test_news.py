""" "Nytt sedan senast": personas, what each user sees of which requests, the read mark, the start page's count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import NewsReadMark, User
from referrals import services
from referrals.models import EventKind, ReferralStatus
from referrals.news import FIRST_VISIT_DAYS, news_count, news_for
from referrals.news_views import MARK_FAILED, MARKED_READ
from tests.factories import ReferralFactory
from tests.i18n import shown
from tests.pages import elements, texts

NEWS = reverse("news")
READ = reverse("news_read")
HOME = reverse("home")
S = ReferralStatus


def login(client, user):
    client.force_login(user)
    return client


def _kinds(body: str) -> list[str]:
    return [row.attrs["data-kind"] for row in elements(body, "tr") if "data-kind" in row.attrs]


def texts_in_rows(body: str) -> list[str]:
    """The reference of each row (the one link in it)."""
    return [" ".join(link.text.split()) for link in elements(body, "a") if "/requests/" in link.attrs.get("href", "")]


def journey(world, *, hours_ago: int = 5):
    """A request of the home unit: submitted by its staff, proposed by the home SOT representative to the
    neighbour region's unit, declined there, proposed again and accepted. Times in the past, in order."""
    start = timezone.now() - timedelta(hours=hours_ago)
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT, unit_staff=world.unit_staff)
    services.referral_submit(referral=referral, by=world.unit_staff, at=start)
    services.referral_take(referral=referral, by=world.sot, at=start + timedelta(minutes=10))
    services.referral_propose(
        referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Telefon", at=start + timedelta(minutes=20)
    )
    services.referral_decline(
        referral=referral, by=world.receiving_staff, reason="no_capacity", at=start + timedelta(minutes=30)
    )
    services.referral_propose(
        referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Igen", at=start + timedelta(minutes=40)
    )
    services.referral_accept(
        referral=referral,
        by=world.receiving_staff,
        planned_date=timezone.localdate() + timedelta(days=7),
        at=start + timedelta(minutes=50),
    )
    referral.refresh_from_db()
    return referral


def elsewhere(world, *, hours_ago: int = 4):
    """A request of the neighbour region, proposed to the far region: none of the home region's business."""
    start = timezone.now() - timedelta(hours=hours_ago)
    referral = ReferralFactory(sending_unit=world.neighbour_unit, status=S.DRAFT, unit_staff=world.other_region_staff)
    services.referral_submit(referral=referral, by=world.other_region_staff, at=start)
    services.referral_take(referral=referral, by=world.other_sot, at=start + timedelta(minutes=5))
    services.referral_propose(
        referral=referral, by=world.other_sot, unit=world.far_unit, reason="Telefon", at=start + timedelta(minutes=10)
    )
    return referral


def test_personas(client, world):
    response = client.get(NEWS)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(READ).status_code == 302  # to login
    for persona in ("director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(NEWS).status_code == 403, persona
        assert client.post(READ).status_code == 403, persona
    for persona in ("unit_staff", "sot", "receiving_staff"):
        assert login(client, getattr(world, persona)).get(NEWS).status_code == 200, persona
    assert client.post(NEWS).status_code == 405
    assert client.get(READ).status_code == 405


def test_each_role_sees_what_others_did_on_its_requests_newest_first(client, world):
    referral = journey(world)
    body = login(client, world.sot).get(NEWS).content.decode()
    # The SOT representative's own proposals are not news to them; the unit's submission and the
    # receiving unit's decline and acceptance are.
    assert _kinds(body) == [EventKind.ACCEPTED, EventKind.DECLINED, EventKind.SUBMITTED]
    assert set(texts_in_rows(body)) == {referral.reference}
    assert elements(body, "a", href=reverse("referrals:detail", args=[referral.pk]))
    # The decline names the unit that declined, although the request no longer has a receiving unit then.
    (declined,) = [row for row in elements(body, "tr") if row.attrs.get("data-kind") == EventKind.DECLINED]
    assert world.neighbour_unit.name in declined.text
    assert "Avböjd" in declined.text  # the kind in Swedish

    body = login(client, world.unit_staff).get(NEWS).content.decode()
    assert _kinds(body) == [EventKind.ACCEPTED, EventKind.PROPOSED, EventKind.DECLINED, EventKind.PROPOSED]

    body = login(client, world.receiving_staff).get(NEWS).content.decode()
    assert _kinds(body) == [EventKind.PROPOSED, EventKind.PROPOSED, EventKind.SUBMITTED]


def test_no_patient_data_on_the_page(client, world):
    referral = journey(world)
    body = login(client, world.sot).get(NEWS).content.decode()
    assert referral.reference in body
    assert referral.patient_name not in body
    pnr = referral.patient.personal_number
    for form in (pnr, pnr[2:], pnr[:8], referral.patient.masked_personal_number):
        assert form not in body


def test_another_regions_events_are_never_shown(client, world):
    mine = journey(world)
    theirs = elsewhere(world)
    for persona in ("sot", "unit_staff", "receiving_staff"):
        body = login(client, getattr(world, persona)).get(NEWS).content.decode()
        assert theirs.reference not in body, persona
        assert world.far_unit.name not in body, persona
    body = login(client, world.other_sot).get(NEWS).content.decode()
    assert theirs.reference in body
    # The neighbour region's SOT representative sees the home region's request proposed to their unit.
    assert mine.reference in body


def test_mark_as_read_keeps_what_came_after(client, world):
    referral = journey(world)
    login(client, world.sot)
    page = client.get(NEWS)
    newest = page.context["news"].newest
    assert newest is not None
    # Something happens after the page was shown and before the button is pressed.
    services.referral_complete(referral=referral, by=world.receiving_staff, care_given_date=timezone.localdate())
    response = client.post(READ, {"until": newest.isoformat()}, follow=True)
    assert shown(MARKED_READ) in response.content.decode()
    assert NewsReadMark.objects.get(user=world.sot).read_until == newest
    assert _kinds(client.get(NEWS).content.decode()) == [EventKind.COMPLETED]
    # Opening the page again does not mark anything read; the button does.
    assert _kinds(client.get(NEWS).content.decode()) == [EventKind.COMPLETED]
    client.post(READ, {"until": client.get(NEWS).context["news"].newest.isoformat()})
    body = client.get(NEWS).content.decode()
    assert _kinds(body) == [] and elements(body, data_testid="empty")


def test_mark_as_read_with_an_empty_list_and_bad_input(client, world):
    login(client, world.unit_staff)
    assert client.post(READ, {"until": ""}).status_code == 302
    first = NewsReadMark.objects.get(user=world.unit_staff).read_until
    response = client.post(READ, {"until": "igår"}, follow=True)
    assert response.status_code == 200
    assert shown(MARK_FAILED) in response.content.decode()
    assert NewsReadMark.objects.get(user=world.unit_staff).read_until == first
    # A mark never moves back, and never past now.
    client.post(READ, {"until": (first - timedelta(days=3)).isoformat()})
    assert NewsReadMark.objects.get(user=world.unit_staff).read_until == first
    client.post(READ, {"until": (timezone.now() + timedelta(days=3)).isoformat()})
    assert NewsReadMark.objects.get(user=world.unit_staff).read_until <= timezone.now()


def test_first_visit_starts_two_weeks_back(client, world):
    old = journey(world, hours_ago=24 * (FIRST_VISIT_DAYS + 1))
    recent = journey(world, hours_ago=24 * 3)
    body = login(client, world.sot).get(NEWS).content.decode()
    assert recent.reference in body and old.reference not in body
    assert news_count(world.sot) == 3


def test_start_page_shows_the_count_and_links_to_the_list(client, world):
    journey(world)
    body = login(client, world.sot).get(HOME).content.decode()
    (count,) = texts(body, data_testid="news-count")
    assert count.startswith("3 ")
    assert elements(body, "a", href=NEWS)
    client.post(READ, {"until": ""})
    (count,) = texts(client.get(HOME).content.decode(), data_testid="news-count")
    assert count.startswith("0 ")
    assert not elements(login(client, world.director).get(HOME).content.decode(), data_testid="news-badge")


@pytest.mark.parametrize("requests", [1, 8])
def test_query_count_does_not_grow(client, world, django_assert_max_num_queries, requests):
    for n in range(requests):
        journey(world, hours_ago=5 + n)
    login(client, world.sot)
    assert len(news_for(world.sot).items) == 3 * requests
    # session, user, memberships, the read mark, the events, their units (and a savepoint pair for the session)
    with django_assert_max_num_queries(9):
        assert client.get(NEWS).status_code == 200
    # The start page's badge on its own: the user's memberships, and the count (the read mark within it).
    user = User.objects.get(pk=world.sot.pk)
    request = RequestFactory().get(HOME)
    request.user = user
    with django_assert_max_num_queries(2):
        html = Template('{% include "referrals/_news_badge.html" %}').render(Context({"request": request}))
    (count,) = texts(html, data_testid="news-count")
    assert count.startswith(f"{3 * requests} ")


def test_a_long_list_says_how_many_there_are(world):
    journey(world)
    news = news_for(world.sot, limit=2)
    assert [item.kind for item in news.items] == [EventKind.ACCEPTED, EventKind.DECLINED]
    assert news.total == 3
