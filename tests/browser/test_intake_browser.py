"""Unit staff file a request in Chromium: a wrong personnummer is explained, nothing typed is lost."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.icd10_sv import ICD10_SE_TITLES
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from referrals.models import Referral, ReferralStatus
from sot.personal_numbers import ERROR_CHECKSUM
from tests.browser.conftest import ARTIFACTS
from tests.i18n import shown

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_correct_and_submit_a_request(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    ARTIFACTS.mkdir(exist_ok=True)
    decision = timezone.localdate() - timedelta(days=12)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill("vardpersonal.skane")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Ny samordningsbegäran").click()

    page.get_by_label("Personnummer eller samordningsnummer").fill("19121212-1213")  # wrong check digit
    page.get_by_label("Patientens namn").fill("Tolvan Tolvansson")
    page.get_by_label("Diagnos (ICD-10)").fill("m171")
    # The description and diagnosis group appear while typing (htmx).
    description = page.get_by_test_id("icd10-description")
    description.wait_for()
    assert ICD10_SE_TITLES["M17"] in description.inner_text()  # Swedish: the category's ICD-10-SE title
    page.get_by_label("Medicinsk prioritet").select_option(label="Hög")
    page.get_by_label("ASA-klass").select_option(value="3")
    page.get_by_label("Komplicerande sjukdomar").fill("Hjärtsvikt NYHA III.")
    page.get_by_label("Beslutsdatum").fill(decision.strftime("%Y%m%d"))  # forgiving: no dashes
    page.get_by_label("Samtycker till hänvisning till annan region").check()
    page.get_by_label("Samtycker till att uppgifter lämnas ut till annan region").check()
    page.get_by_role("button", name="Skicka till SOT").click()

    # The field is marked invalid and described by its error, as a screen reader announces it.
    personal_number = page.get_by_label("Personnummer eller samordningsnummer")
    expect(personal_number).to_have_attribute("aria-invalid", "true")
    expect(personal_number).to_have_accessible_description(re.compile(re.escape(shown(ERROR_CHECKSUM))))
    assert page.get_by_test_id("form-errors").is_visible()
    # Everything else the user typed is still there.
    assert page.get_by_label("Patientens namn").input_value() == "Tolvan Tolvansson"
    assert page.get_by_label("Diagnos (ICD-10)").input_value() == "m171"
    assert page.get_by_label("Komplicerande sjukdomar").input_value() == "Hjärtsvikt NYHA III."
    assert page.get_by_label("Samtycker till hänvisning till annan region").is_checked()
    page.screenshot(path=str(ARTIFACTS / "intake-error.png"), full_page=True)
    assert not Referral.objects.exists()

    page.get_by_label("Personnummer eller samordningsnummer").fill("19121212-1212")
    page.get_by_role("button", name="Skicka till SOT").click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"SOT-\d{4}-\d{6}", reference)
    deadline = (decision + timedelta(days=90)).isoformat()
    assert deadline in page.get_by_test_id("deadline").inner_text()
    assert "skickades till regionens SOT-ansvariga" in page.content()
    page.screenshot(path=str(ARTIFACTS / "intake-detail.png"), full_page=True)

    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Alla verksamhetens begäranden").click()
    row = page.get_by_test_id("referral-list").locator("tr", has_text=reference)
    assert row.count() == 1
    assert deadline in row.inner_text()
    assert "19121212-****" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "intake-list.png"), full_page=True)

    referral = Referral.objects.get(reference=reference)
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.patient.personal_number == "191212121212"
