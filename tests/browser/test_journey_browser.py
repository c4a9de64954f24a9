"""The coordination journey across four demo accounts in Chromium."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from capacity.models import CapacityOffer
from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from organisations.models import Unit
from referrals.models import Referral, ReferralStatus
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_submit_take_propose_accept_and_see_the_planned_date(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    base = live_server.url
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    CapacityOffer.objects.create(
        unit=Unit.objects.get(code="kalmar-ortopedi"),
        diagnosis_group=DiagnosisGroup.objects.get(code="artros-hoft-kna"),
        week_start=week,
        slots=2,
        max_asa=4,
        care_type="inpatient",
        created_by=User.objects.get(username="mottagning.kalmar"),
        confirmed_by=User.objects.get(username="mottagning.kalmar"),
    )
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. Unit staff submit.
    _login(page, base, "vardpersonal.skane")
    page.get_by_role("link", name="Ny samordningsbegäran").click()
    page.get_by_label("Personnummer eller samordningsnummer").fill("191212121212")
    page.get_by_label("Patientens namn").fill("Tolvan Tolvansson")
    page.get_by_label("Diagnos (ICD-10)").fill("M16.1")
    page.get_by_label("Medicinsk prioritet").select_option(label="Medelhög")
    page.get_by_label("ASA-klass").select_option(value="3")
    page.get_by_label("Beslutsdatum").fill((timezone.localdate() - timedelta(days=15)).isoformat())
    page.get_by_label("Samtycker till hänvisning till annan region").check()
    page.get_by_label("Samtycker till att uppgifter lämnas ut till annan region").check()
    page.get_by_role("button", name="Skicka till SOT").click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    reference = page.get_by_test_id("reference").inner_text()
    _logout(page)

    # 2. The SOT representative finds it in the queue, takes it and proposes the top-ranked unit.
    _login(page, base, "sot.skane")
    page.get_by_role("link", name="Öppna kön").click()
    page.get_by_test_id("queue").get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Ta upp för handläggning").click()
    page.get_by_role("button", name="Ta upp för handläggning").click()
    assert "handläggs nu av dig" in page.content()
    top = page.get_by_test_id("proposals").locator("li.list-group-item").first
    assert "Ortopedi, Länssjukhuset i Kalmar" in top.inner_text()
    top.get_by_role("link", name="Föreslå").click()
    page.get_by_role("button", name="Föreslå").click()
    assert "föreslogs till mottagaren" in page.content()
    page.screenshot(path=str(ARTIFACTS / "journey-proposed.png"), full_page=True)
    _logout(page)

    # 3. The receiving unit accepts with a date in the week it offered.
    _login(page, base, "mottagning.kalmar")
    page.get_by_role("link", name="Öppna inkorgen").click()
    card = page.get_by_test_id("proposed").locator("article", has_text=reference)
    assert "Medelhög · ASA III" in card.inner_text()
    card.get_by_role("link", name="Acceptera").click()
    planned = week + timedelta(days=2)
    page.get_by_label("Planerat vårddatum").fill(planned.isoformat())
    page.get_by_role("button", name="Acceptera").click()
    assert "accepterades" in page.content()
    page.screenshot(path=str(ARTIFACTS / "journey-accepted.png"), full_page=True)
    _logout(page)

    # 4. The SOT representative sees it accepted.
    _login(page, base, "sot.skane")
    page.get_by_role("link", name="Öppna kön").click()
    row = page.get_by_test_id("queue").locator("tr", has_text=reference)
    assert "Accepterad" in row.inner_text() and planned.isoformat() in row.inner_text()
    _logout(page)

    # 5. Unit staff see the planned date.
    _login(page, base, "vardpersonal.skane")
    page.get_by_role("link", name="Alla verksamhetens begäranden").click()
    page.get_by_role("link", name=reference).click()
    assert planned.isoformat() in page.get_by_test_id("planned-date").inner_text()
    page.screenshot(path=str(ARTIFACTS / "journey-unit-staff.png"), full_page=True)

    referral = Referral.objects.get(reference=reference)
    assert referral.status == ReferralStatus.ACCEPTED
    assert CapacityOffer.objects.get().reserved_slots == 1
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        assert "191212121212" not in message.body and "Tolvan" not in message.body
