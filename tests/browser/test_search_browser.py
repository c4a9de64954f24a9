"""The patient search in Chromium: unit staff and the SOT representative find a request from the start page by
personnummer in both formats; a number that belongs to nobody finds nothing."""

from __future__ import annotations

import re

import pytest

from catalog.models import DiagnosisGroup, MedicalPriority
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from organisations.models import Unit
from tests.factories import PatientFactory, ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "Sök patient (personnummer eller namn)"
NUMBER = "194107186662"  # a made-up personnummer with a correct check digit
NOBODY = "195801011007"


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _search(page, base: str, typed: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label(LABEL).fill(typed)
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r"/requests/search/$"))


def test_search_by_personnummer_from_the_start_page(live_server, page):
    from catalog.reference_data import load_reference_data

    load_reference_data()
    seed_demo_accounts()
    referral = ReferralFactory(
        patient=PatientFactory(personal_number=NUMBER),
        patient_name="Greta Sökbar",
        sending_unit=Unit.objects.get(code="sus-lund-ortopedi"),
        status="submitted",
        diagnosis_group=DiagnosisGroup.objects.get(code="artros-hoft-kna"),
        priority=MedicalPriority.objects.order_by("sort_order").first(),
    )
    base = live_server.url
    for username in ("vardpersonal.skane", "sot.skane"):
        page.context.clear_cookies()
        _login(page, base, username)
        for typed in (f"{NUMBER[:8]}-{NUMBER[8:]}", f"{NUMBER[2:8]}-{NUMBER[8:]}"):
            _search(page, base, typed)
            assert NUMBER not in page.url
            results = page.get_by_test_id("search-results")
            assert results.get_by_role("link", name=referral.reference).is_visible(), (username, typed)
            assert "19410718-****" in results.inner_text()
            assert NUMBER[8:] not in results.inner_text()  # the number is masked in the list
        _search(page, base, f"{NOBODY[2:8]}-{NOBODY[8:]}")
        assert page.get_by_test_id("search-empty").is_visible()
        assert page.get_by_role("link", name=referral.reference).count() == 0
        # The row leads to the request's page.
        _search(page, base, "sökbar")
        page.get_by_role("link", name=referral.reference).click()
        page.wait_for_url(re.compile(rf"/requests/{referral.pk}/$"))
