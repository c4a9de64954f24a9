"""Every demo role logs in through the real login form in Chromium and sees its start page."""

from __future__ import annotations

import pytest

from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_accounts
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_PANEL = {
    "unit_staff": "panel-unit_staff",
    "sot_representative": "panel-sot_representative",
    "receiving_staff": "panel-receiving_staff",
    "health_director": "panel-health_director",
    None: "panel-administrator",
}


def test_every_demo_role_logs_in_and_sees_its_start_page(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    ARTIFACTS.mkdir(exist_ok=True)
    seen_roles = set()
    for account in DEMO_ACCOUNTS:
        if account.role in seen_roles:
            continue  # one account per role is enough to prove the start page; the rest share it
        seen_roles.add(account.role)
        page.goto(f"{live_server.url}/")
        assert "/login/" in page.url
        assert page.locator("html").get_attribute("lang") == "sv"
        page.get_by_label("Användarnamn").fill(account.username)
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{live_server.url}/")
        panel = page.get_by_test_id(EXPECTED_PANEL[account.role])
        panel.wait_for()
        assert panel.is_visible()
        # Bootstrap is served from our own static files and applied (the navbar is coloured).
        background = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        page.screenshot(path=str(ARTIFACTS / f"start-{account.role or 'administrator'}.png"), full_page=True)
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url("**/login/")
    assert len(seen_roles) == 5


def test_wrong_password_is_told_in_swedish(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill("sot.skane")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_text("Ange ett korrekt användarnamn").is_visible()
