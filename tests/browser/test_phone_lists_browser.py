"""Lists on a phone (390 × 844): the receiving unit's inbox shows each accepted patient's "Markera vården som
given" without sideways scrolling, and the unit staff's list each request's reference; on a desktop (1366 px)
both stay ordinary tables."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import DiagnosisGroup
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from organisations.models import Unit
from referrals.models import ReferralStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Where an element is, relative to the viewport, and whether anything (page or table) scrolls sideways.
GEOMETRY = """(element) => {
  const box = element.getBoundingClientRect();
  const table = element.closest('table');
  return {left: box.left, right: box.right, top: box.top, width: box.width,
          viewport: document.documentElement.clientWidth,
          pageScrollWidth: document.documentElement.scrollWidth,
          tableScrolls: table.scrollWidth > table.clientWidth + 1,
          tableDisplay: getComputedStyle(table).display,
          headerVisible: table.querySelector('thead').getBoundingClientRect().width > 1};
}"""


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/login/"))


def _in_view_without_sideways_scrolling(geometry: dict) -> bool:
    return (
        geometry["width"] > 0
        and geometry["left"] >= 0
        and geometry["right"] <= geometry["viewport"]
        and geometry["pageScrollWidth"] <= geometry["viewport"]
        and not geometry["tableScrolls"]
    )


def test_actions_and_references_in_view_on_a_phone_tables_on_a_desktop(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    base = live_server.url
    today = timezone.localdate()
    lund = Unit.objects.get(code="sus-lund-ortopedi")
    kalmar = Unit.objects.get(code="kalmar-ortopedi")
    group = DiagnosisGroup.objects.get(code="artros-hoft-kna")
    for n in range(3):
        ReferralFactory(
            status=ReferralStatus.ACCEPTED,
            sending_unit=lund,
            receiving_unit=kalmar,
            diagnosis_group=group,
            planned_date=today + timedelta(days=7 + n),
            medical_target_date=today + timedelta(days=30),
            care_guarantee_deadline=today + timedelta(days=60),
        )
    ARTIFACTS.mkdir(exist_ok=True)
    inbox, requests = f"{base}{reverse('work:inbox')}", f"{base}{reverse('referrals:list')}"
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)

        _login(page, base, "mottagning.kalmar")
        page.goto(inbox)
        buttons = page.get_by_role("link", name="Markera vården som given")
        assert buttons.count() == 3
        geometry = buttons.first.evaluate(GEOMETRY)
        assert _in_view_without_sideways_scrolling(geometry), (name, sorted(geometry.items()))
        assert page.evaluate("window.scrollX") == 0
        if size is PHONE:
            assert geometry["tableDisplay"] == "block" and not geometry["headerVisible"]  # stacked, labelled
            assert "Planerat vårddatum" in page.get_by_test_id("accepted").locator("td").nth(1).evaluate(
                "(td) => getComputedStyle(td, '::before').content"
            )
        else:
            assert geometry["tableDisplay"] == "table" and geometry["headerVisible"]
        page.get_by_test_id("accepted").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"{name}-inbox.png"), full_page=True)
        _logout(page)

        _login(page, base, "vardpersonal.skane")
        page.goto(requests)
        references = page.get_by_test_id("referral-list").get_by_role("link", name=re.compile(r"^SOT-"))
        assert references.count() == 3
        geometry = references.last.evaluate(GEOMETRY)
        assert _in_view_without_sideways_scrolling(geometry), (name, sorted(geometry.items()))
        assert geometry["tableDisplay"] == ("block" if size is PHONE else "table")
        page.screenshot(path=str(ARTIFACTS / f"{name}-requests.png"), full_page=True)
        _logout(page)
