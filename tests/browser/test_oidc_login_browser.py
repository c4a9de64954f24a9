"""SITHS-style sign-in in Chromium through a real OpenID Connect provider's pages, and the logout back."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.accounts.oidc_provider import LOA3, running_provider
from tests.browser.conftest import ARTIFACTS
from tests.factories import HospitalFactory, RegionFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_staff_signs_in_through_the_provider_and_logs_out_there_too(live_server, page, settings):
    region = RegionFactory(code="skane", name="Region Skåne", hsa_id="SE2321000255-V0001")
    UnitFactory(hospital=HospitalFactory(region=region), name="Ortopedi", hsa_id="SE2321000255-E0001")
    with running_provider() as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        provider.set_user(
            "siv",
            {
                "employeeHsaId": "SE2321000255-P0001",
                "givenName": "Siv",
                "surname": "Lindahl",
                "healthCareUnitHsaId": "SE2321000255-E0001",
                "healthCareProviderHsaId": "SE2321000255-V0001",
                "systemRole": ["SOT;Vardpersonal"],
                "acr": LOA3,
            },
        )
        page.goto(f"{live_server.url}/")
        assert "/login/" in page.url
        page.get_by_role("link", name="Logga in med SITHS-kort").click()
        page.wait_for_url(f"{provider.url}/oauth2/authorize?**")
        page.get_by_placeholder("sub").fill("siv")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{live_server.url}/")
        page.get_by_test_id(f"panel-{Role.UNIT_STAFF}").wait_for()
        assert page.get_by_test_id("current-user").inner_text() == "Siv Lindahl"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "oidc-signed-in.png"), full_page=True)
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(f"{provider.url}/oauth2/end_session?**")
        page.locator("button[type=submit]").first.click()
        page.wait_for_url(f"{live_server.url}/login/")
        page.goto(f"{live_server.url}/")
        assert "/login/" in page.url  # signed out here as well
