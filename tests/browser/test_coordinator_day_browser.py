"""The coordinator's day in Chromium: a decline lands on the inbox with its confirmation, the unit that
declined is marked on the request and proposed again only with a reason, and an acceptance the unit gave
on the phone is recorded by the SOT representative and shown so in the timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from capacity.models import CapacityOffer
from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup
from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from organisations.models import Unit
from referrals import services
from referrals.models import EventKind, Referral, ReferralStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import ReferralFactory

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


def test_decline_then_propose_again_and_accept_by_phone(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    base = live_server.url
    today = timezone.localdate()
    kalmar = Unit.objects.get(code="kalmar-ortopedi")
    group = DiagnosisGroup.objects.get(code="artros-hoft-kna")
    sot = User.objects.get(username="sot.skane")
    week = first_open_week(today) + timedelta(weeks=1)
    offer = CapacityOffer.objects.create(
        unit=kalmar,
        diagnosis_group=group,
        week_start=week,
        slots=2,
        max_asa=4,
        care_type="inpatient",
        created_by=User.objects.get(username="mottagning.kalmar"),
        confirmed_by=User.objects.get(username="mottagning.kalmar"),
    )
    referral = ReferralFactory(
        status=ReferralStatus.IN_REVIEW,
        sending_unit=Unit.objects.get(code="sus-lund-ortopedi"),
        diagnosis_group=group,
        asa_class=3,
        medical_target_date=today + timedelta(days=60),
        care_guarantee_deadline=today + timedelta(days=80),
    )
    services.referral_propose(referral=referral, by=sot, unit=kalmar)
    detail = f"{base}{reverse('referrals:detail', args=[referral.pk])}"
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. The receiving unit declines and lands on its inbox, told so.
    _login(page, base, "mottagning.kalmar")
    page.goto(detail)
    page.get_by_role("link", name="Avböj", exact=True).click()
    page.get_by_label("Skäl").select_option(index=1)
    page.get_by_role("button", name="Avböj", exact=True).click()
    page.wait_for_url(f"{base}{reverse('work:inbox')}")
    confirmation = page.get_by_role("alert").filter(has_text=referral.reference)
    assert "avböjdes" in confirmation.inner_text()
    page.screenshot(path=str(ARTIFACTS / "coordinator-declined-inbox.png"), full_page=True)
    _logout(page)

    # 2. The SOT representative sees the unit as having declined, and proposes it again with a reason.
    _login(page, base, "sot.skane")
    page.goto(detail)
    declined = page.get_by_test_id("declined-units")
    assert f"Avböjde {today.isoformat()}" in declined.inner_text()
    assert "Länssjukhuset i Kalmar" in declined.inner_text()
    page.screenshot(path=str(ARTIFACTS / "coordinator-declined-marked.png"), full_page=True)
    declined.get_by_role("link", name="Föreslå igen").click()
    page.get_by_role("button", name="Föreslå", exact=True).click()  # no reason: refused, said at the top
    assert page.get_by_test_id("form-errors").is_visible()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.get_by_label("Varför denna verksamhet").fill("Plats finns nu enligt samtal med enheten.")
    page.get_by_role("button", name="Föreslå", exact=True).click()
    assert "föreslogs till mottagaren" in page.content()

    # 3. The unit says yes on the phone; the SOT representative records it. Choosing the week fills the date.
    page.get_by_role("link", name="Registrera accept per telefon").click()
    page.get_by_label("Vem på mottagande verksamhet som accepterade").fill("Karin Ek")
    page.get_by_label("Kapacitet").select_option(value=str(offer.pk))
    planned = page.get_by_label("Planerat vårddatum").input_value()
    assert week <= date.fromisoformat(planned) <= week + timedelta(days=4)
    # A date typed in a week without an offer (ÅÅÅÅMMDD too) is outside published capacity, not the week before.
    page.get_by_label("Planerat vårddatum").fill((week + timedelta(weeks=2)).strftime("%Y%m%d"))
    page.get_by_label("Planerat vårddatum").dispatch_event("change")
    assert page.get_by_label("Kapacitet").input_value() == ""
    page.get_by_label("Planerat vårddatum").fill(planned)
    page.get_by_label("Planerat vårddatum").dispatch_event("change")
    assert page.get_by_label("Kapacitet").input_value() == str(offer.pk)
    page.get_by_role("button", name="Registrera accepten").click()
    page.wait_for_url(detail)
    shown = page.get_by_test_id("accepted-by-phone").inner_text()
    assert "Accepterad per telefon av Karin Ek" in shown and "registrerad av" in shown
    page.screenshot(path=str(ARTIFACTS / "coordinator-accepted-by-phone.png"), full_page=True)

    referral.refresh_from_db()
    offer.refresh_from_db()
    assert (referral.status, offer.reserved_slots) == (ReferralStatus.ACCEPTED, 1)
    event = referral.events.filter(kind=EventKind.ACCEPTED).get()
    assert (event.actor, event.given_by_phone) == (sot, "Karin Ek")
    assert Referral.objects.count() == 1
