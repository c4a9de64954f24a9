"""A request on paper in Chromium: the printed page is a clean referral document, and the patient letter
link downloads a PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from catalog.models import DiagnosisGroup
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from demo.contacts import seed_demo_contacts
from organisations.models import Unit
from referrals.models import Referral, ReferralStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accepted_request() -> Referral:
    load_reference_data()
    seed_demo_accounts()
    seed_demo_contacts()
    return ReferralFactory(
        sending_unit=Unit.objects.get(code="sus-lund-ortopedi"),
        receiving_unit=Unit.objects.get(code="kalmar-ortopedi"),
        status=ReferralStatus.ACCEPTED,
        patient_name="Astrid Nilsson",
        contact_name="Sara Lindqvist",
        contact_phone="046-17 10 00",
        needs_transport=True,
        diagnosis_group=DiagnosisGroup.objects.get(code="artros-hoft-kna"),
    )


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def test_the_request_printed_is_a_clean_referral_document(live_server, page):
    referral = _accepted_request()
    ARTIFACTS.mkdir(exist_ok=True)
    _login(page, live_server.url, "vardpersonal.skane")
    page.goto(f"{live_server.url}/requests/{referral.pk}/")
    print_button = page.get_by_role("button", name="Skriv ut")
    assert print_button.is_visible()
    assert page.get_by_test_id("main-nav").is_visible()
    assert not page.get_by_test_id("print-header").is_visible()  # on paper only
    # The button calls the browser's print dialog (from static/sot/print.js: the CSP forbids inline script).
    page.evaluate("window.print = () => { window.printCalled = true; }")
    print_button.click()
    assert page.evaluate("window.printCalled") is True

    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "request-print.png"), full_page=True)
    assert not page.get_by_test_id("main-nav").is_visible()
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator(".breadcrumb").is_visible()
    assert not print_button.is_visible()
    assert not page.get_by_role("button", name="Logga ut").is_visible()
    assert not page.get_by_test_id("patient-letter").is_visible()
    visible_buttons = [b for b in page.locator("button, .btn, form").all() if b.is_visible()]
    assert visible_buttons == []
    header = page.get_by_test_id("print-header")
    assert header.is_visible() and referral.reference in header.inner_text()
    # The patient card comes first: above the waiting time, which is first on the screen.
    patient = page.get_by_test_id("personal-number")
    assert patient.is_visible()
    waiting = page.get_by_test_id("deadline")
    assert patient.bounding_box()["y"] < waiting.bounding_box()["y"]
    assert not page.get_by_role("link", name="Ändra patientuppgifter").is_visible()
    # Contact paths are what staff need on paper: phone numbers stay, only steps are hidden.
    assert page.locator('a[href^="tel:"]', has_text="046-17 10 00").is_visible()
    overdue = page.locator(".text-danger").first
    assert overdue.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"

    pdf = page.pdf(format="A4", print_background=False)
    (ARTIFACTS / "request-print.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    first_page = reader.pages[0].extract_text()
    assert "Astrid Nilsson" in first_page and referral.reference in first_page
    text = "\n".join(p.extract_text() for p in reader.pages)
    for control in ("Skriv ut", "Logga ut", "Patientbrev (PDF)", "Återkalla", "English"):
        assert control not in text, control
    assert "http://" not in text  # no link's address is printed


def test_the_patient_letter_link_downloads_a_pdf(live_server, page, tmp_path):
    referral = _accepted_request()
    ARTIFACTS.mkdir(exist_ok=True)
    _login(page, live_server.url, "mottagning.kalmar")
    page.goto(f"{live_server.url}/requests/{referral.pk}/")
    page.screenshot(path=str(ARTIFACTS / "request-screen.png"))
    link = page.get_by_role("link", name="Patientbrev (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"patientbrev-{referral.reference}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Astrid Nilsson" in text and "Länssjukhuset i Kalmar" in text
    assert re.search(r"(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag) \d{1,2} \w+ 20\d\d", text)
    # The same address, asked by the page's own session, answers a PDF that no cache may keep.
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
