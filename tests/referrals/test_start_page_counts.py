"""Every count on the start page is a link, and the list it leads to shows exactly that many requests."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals.models import Referral, ReferralStatus
from referrals.start_page import start_panels
from tests.factories import ReferralFactory, member
from tests.pages import elements

S = ReferralStatus
HOME = reverse("home")
QUEUE = reverse("work:queue")


def _overdue(referral: Referral) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(care_guarantee_deadline=timezone.localdate() - timedelta(days=1))
    return referral


def _waited(referral: Referral, days: int = 10) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=timezone.now() - timedelta(days=days))
    return referral


def test_the_overdue_count_equals_the_queues_overdue_filter(client, world):
    """An accepted request past its deadline has its date: the start page does not count it as overdue,
    and the queue's overdue filter must not show it either (it showed 4 where the start page said 2)."""
    _overdue(ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED))
    _overdue(ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.far_unit))
    _overdue(ReferralFactory(sending_unit=world.home_unit, status=S.ACCEPTED, receiving_unit=world.far_unit))
    _overdue(ReferralFactory(sending_unit=world.home_unit, status=S.ACCEPTED, receiving_unit=world.far_unit))
    (panel,) = start_panels(world.sot, today=timezone.localdate())
    (overdue,) = [alert for alert in panel.alerts if alert.key == "overdue"]
    client.force_login(world.sot)
    shown = client.get(QUEUE, {"overdue": "on"}).context["page"].paginator.count
    assert overdue.n == 2
    assert shown == overdue.n


@pytest.fixture
def busy(world):
    """Requests in every status for the home unit, some overdue, some waited too long, one handled by the
    SOT representative; one proposed to the receiving staff's unit; others elsewhere that no count may see."""
    home, receiver = world.home_unit, world.neighbour_unit
    for status in S.values:
        receiving = receiver if status in (S.PROPOSED, S.ACCEPTED, S.COMPLETED) else None
        for _ in range(2):
            ReferralFactory(sending_unit=home, status=status, receiving_unit=receiving)
    _overdue(ReferralFactory(sending_unit=home, status=S.SUBMITTED))
    _overdue(ReferralFactory(sending_unit=home, status=S.ACCEPTED, receiving_unit=receiver))
    _waited(ReferralFactory(sending_unit=home, status=S.PROPOSED, receiving_unit=world.far_unit))
    _waited(ReferralFactory(sending_unit=home, status=S.ACCEPTED, receiving_unit=world.far_unit))  # no limit
    ReferralFactory(sending_unit=home, status=S.IN_REVIEW, handler=world.sot)
    ReferralFactory(sending_unit=home, status=S.COMPLETED, handler=world.sot, receiving_unit=receiver)  # finished
    ReferralFactory(sending_unit=world.neighbour_unit, status=S.SUBMITTED)  # another region
    _overdue(ReferralFactory(sending_unit=world.neighbour_unit, status=S.IN_REVIEW))
    # One person with every role, so that every panel is on one page.
    member(world.sot, Role.UNIT_STAFF, home)
    member(world.sot, Role.RECEIVING_STAFF, receiver)
    return world


def _shown(client, href: str) -> int:
    """How many requests the list behind a link shows: the queue and the unit's list count their pages,
    the inbox counts the section the link points at."""
    url = urlsplit(href)
    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 200, href
    if url.path == reverse("work:inbox"):
        return len(response.context[url.fragment])
    return response.context["page"].paginator.count


def test_every_count_on_the_start_page_is_what_its_link_shows(client, busy):
    client.force_login(busy.sot)
    body = client.get(HOME).content.decode()
    links = elements(body, "a")
    counted = [link for link in links if "data-count" in link.attrs]
    panels = {
        "unit_staff": reverse("referrals:list"),
        "sot_representative": QUEUE,
        "receiving_staff": reverse("work:inbox"),
    }
    for path in panels.values():
        assert any(urlsplit(link.attrs["href"]).path == path for link in counted), path
    assert len(counted) >= 6 + 7 + 2 + 3  # every status of each panel, and the alerts that are not zero
    for link in counted:
        n = int(link.attrs["data-count"])
        assert link.text.strip().startswith(str(n)) or str(n) in link.text, link
        assert _shown(client, link.attrs["href"]) == n, link.attrs["href"]


def test_the_counts_are_not_all_zero(busy):
    """So that the test above compares figures, not zeros with zeros."""
    panels = {panel.role: panel for panel in start_panels(busy.sot, today=timezone.localdate())}
    sot = panels[Role.SOT_REPRESENTATIVE]
    assert {a.key: a.n for a in sot.alerts} == {"mine": 1, "overdue": 1, "waited": 1}
    assert {c.key: c.n for c in sot.counts}[S.ACCEPTED] == 4
    unit = panels[Role.UNIT_STAFF]
    assert {a.key: a.n for a in unit.alerts} == {"overdue": 1}
    assert {c.key: c.n for c in panels[Role.RECEIVING_STAFF].counts} == {S.PROPOSED: 2, S.ACCEPTED: 3}
