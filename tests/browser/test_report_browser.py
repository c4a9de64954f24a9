"""A health director builds last month's report and downloads the PDF in Chromium."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from reports.months import month_label
from reports.services import last_month
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_builds_and_downloads_the_pdf(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()
    seed_demo_accounts()
    ARTIFACTS.mkdir(exist_ok=True)
    month = f"{last_month():%Y-%m}"

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill("direktor.skane")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Öppna månadsrapporterna").click()
    page.get_by_label("Månad").select_option(label=month_label(last_month()))  # "november 2026"
    page.get_by_role("button", name="Ta fram nu").click()
    row = page.locator(f'tr[data-report="{month}-region:skane"]')
    row.get_by_test_id("report-status").filter(has_text="Klar").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"sot-manadsrapport-{month}-region-skane.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert f"SOT månadsrapport {month_label(last_month())} – Region Skåne" in " ".join(text.split())  # wrapped
