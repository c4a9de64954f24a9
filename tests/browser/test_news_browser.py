"""In Chromium: the SOT representative follows the start page's count to "Nytt sedan senast", marks it read,
and opens the capacity overview of the other regions from the start panel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import User
from capacity.weeks import first_open_week, format_week
from catalog.models import DiagnosisGroup
from catalog.reference_data import load_reference_data
from demo.accounts import seed_demo_accounts
from organisations.models import Unit
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_capacity_browser import _login, _submitted_request
from tests.factories import CapacityOfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_news_and_capacity_overview(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    referral = _submitted_request()
    kalmar = Unit.objects.get(code="kalmar-ortopedi")
    CapacityOfferFactory(
        unit=kalmar,
        diagnosis_group=DiagnosisGroup.objects.get(code="artros-hoft-kna"),
        week_start=first_open_week(timezone.localdate()),
        slots=3,
        created_by=User.objects.get(username="mottagning.kalmar"),
    )
    ARTIFACTS.mkdir(exist_ok=True)

    _login(page, live_server.url, "sot.skane")
    assert page.get_by_test_id("news-count").inner_text() == "1 ny händelse"
    page.get_by_role("link", name="Nytt sedan senast").click()
    page.wait_for_url(f"{live_server.url}/news/")
    news = page.get_by_test_id("news-list")
    assert referral.reference in news.inner_text()
    assert "Inskickad" in news.inner_text()
    assert referral.patient_name not in page.content()
    page.screenshot(path=str(ARTIFACTS / "news.png"), full_page=True)
    page.get_by_role("button", name="Markera som läst").click()
    assert "Listan är markerad som läst." in page.content()
    assert page.get_by_test_id("empty").is_visible()

    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("news-count").inner_text() == "0 nya händelser"
    page.get_by_role("link", name="Kapacitet i andra regioner").click()
    page.get_by_label("Region", exact=True).select_option(label="Region Kalmar län (Sydöstra sjukvårdsregionen)")
    page.get_by_role("button", name="Filtrera").click()
    table = page.get_by_test_id("capacity-overview")
    assert format_week(first_open_week(timezone.localdate())) in table.inner_text()
    row = table.locator("tr[data-group='artros-hoft-kna']")
    assert row.locator("td").first.inner_text() == "3"
    page.screenshot(path=str(ARTIFACTS / "capacity-overview.png"), full_page=True)
