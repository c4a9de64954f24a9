"""Receiving-unit staff publish capacity in Chromium; the SOT representative then sees that unit proposed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from capacity.weeks import format_week, monday_of
from catalog.models import MedicalPriority
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from organisations.models import Unit
from referrals import services
from tests.browser.conftest import ARTIFACTS
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _submitted_request():
    staff = User.objects.get(username="vardpersonal.skane")
    unit = Unit.objects.get(code="sus-lund-ortopedi")
    referral = services.referral_create(
        by=staff,
        sending_unit=unit,
        patient=PatientFactory(),
        patient_name="Tolvan Tolvansson",
        patient_home_region=unit.hospital.region,
        icd10_code="M17.1",
        priority=MedicalPriority.objects.get(code="medelhog"),
        asa_class=4,
        decision_date=timezone.localdate() - timedelta(days=20),
        consent_referral=True,
        consent_disclosure=True,
    )
    return services.referral_submit(referral=referral, by=staff)


def test_published_capacity_is_proposed_to_the_sot_representative(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    referral = _submitted_request()
    ARTIFACTS.mkdir(exist_ok=True)
    first = format_week(monday_of(timezone.localdate()) + timedelta(weeks=1))
    last = format_week(monday_of(timezone.localdate()) + timedelta(weeks=4))

    _login(page, live_server.url, "mottagning.kalmar")
    page.get_by_role("link", name="Publicera kapacitet").click()
    page.get_by_label("Diagnosgrupp").select_option(label="Höft- och knäledsartros")
    page.get_by_label("Första vecka").fill(first)
    page.get_by_label("Sista vecka").fill(last)
    page.get_by_label("Platser per vecka").fill("3")
    page.get_by_label("Högsta ASA-klass").select_option(value="4")
    page.get_by_role("button", name="Publicera").click()
    page.wait_for_url(f"{live_server.url}/capacity/")
    assert "4 veckoerbjudanden publicerades." in page.content()
    offers = page.get_by_test_id("offer-list")
    assert first in offers.inner_text() and last in offers.inner_text()
    page.screenshot(path=str(ARTIFACTS / "capacity-list.png"), full_page=True)
    page.get_by_role("button", name="Logga ut").click()

    _login(page, live_server.url, "sot.skane")
    page.goto(f"{live_server.url}/requests/{referral.pk}/")
    proposals = page.get_by_test_id("proposals")
    proposals.wait_for()
    kalmar = proposals.locator("li.list-group-item", has_text="Länssjukhuset i Kalmar")
    assert kalmar.count() == 1
    text = kalmar.inner_text()
    assert f"Första lediga vecka: {first}" in text
    assert "Annan sjukvårdsregion" in text
    assert "km bort" in text
    assert "12 lediga platser under 4 veckor" in text
    page.screenshot(path=str(ARTIFACTS / "matching.png"), full_page=True)
