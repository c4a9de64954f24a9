"""A request filed through the API with a personal token appears in the SOT queue in Chromium."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from api.services import token_create
from catalog.models import MedicalPriority
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filed_through_the_api_shows_in_the_queue(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    _token, raw = token_create(user=User.objects.get(username="vardpersonal.skane"), name="journalsystem", days=1)
    payload = {
        "personal_number": "191212121212",
        "patient_name": "Tolvan Tolvansson",
        "icd10_code": "M17.1",
        "priority": MedicalPriority.objects.get(code="hog").pk,
        "asa_class": 3,
        "decision_date": (timezone.localdate() - timedelta(days=7)).isoformat(),
        "consent_referral": True,
        "consent_disclosure": True,
        "submit": True,
    }
    request = urllib.request.Request(  # noqa: S310  (the live test server over http)
        f"{live_server.url}/api/v1/referrals/",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (the live test server)
        assert response.status == 201
        reference = json.load(response)["reference"]

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Användarnamn").fill("sot.skane")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Öppna kön").click()
    row = page.get_by_test_id("queue").locator("tr", has_text=reference)
    assert row.count() == 1 and "Inskickad" in row.inner_text()
