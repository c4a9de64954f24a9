"""Login and the start page, with every persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import ReferralStatus
from tests.factories import ReferralFactory
from tests.pages import texts

HOME = "/"


def test_login_page_renders_in_swedish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Logga in i SOT" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "bootstrap/css/bootstrap.min.css" in body
    assert "cdn" not in body.lower()


def test_login_with_wrong_password_says_so_in_swedish(client, world):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "Ange ett korrekt" in response.content.decode()


def test_login_then_start_page(client, world):
    response = client.post(reverse("login"), {"username": "staff", "password": "secret-password-1"})
    assert response.status_code == 302 and response["Location"] == HOME


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_start_page_only_answers_get(client, world):
    client.force_login(world.unit_staff)
    assert client.post(HOME).status_code == 405


@pytest.mark.parametrize(
    ("persona", "panel", "text"),
    [
        ("unit_staff", "unit_staff", "Er verksamhets samordningsbegäranden"),
        ("sot", "sot_representative", "Regionens SOT-kö"),
        ("receiving_staff", "receiving_staff", "Patienter föreslagna till er verksamhet"),
        ("director", "health_director", "Månadsrapporter"),
        ("administrator", "administrator", "Administration"),
    ],
)
def test_each_role_sees_its_start_page(client, world, persona, panel, text):
    client.force_login(getattr(world, persona))
    body = client.get(HOME).content.decode()
    assert f'data-testid="panel-{panel}"' in body
    assert text in body
    panels = {"unit_staff", "sot_representative", "receiving_staff", "health_director", "administrator"}
    for other in panels - {panel}:
        assert f'data-testid="panel-{other}"' not in body


def test_user_without_role_is_told_what_to_do(client, world):
    client.force_login(world.nobody)
    assert 'data-testid="no-role"' in client.get(HOME).content.decode()


def test_a_person_with_two_roles_sees_both(client, world):
    from accounts.models import Role
    from tests.factories import member

    member(world.unit_staff, Role.RECEIVING_STAFF, world.home_unit)
    client.force_login(world.unit_staff)
    body = client.get(HOME).content.decode()
    assert 'data-testid="panel-unit_staff"' in body and 'data-testid="panel-receiving_staff"' in body


def test_counts_come_from_the_visible_requests(client, world, django_assert_max_num_queries):
    for _ in range(3):
        ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit)
    ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.neighbour_unit)  # not ours
    client.force_login(world.unit_staff)
    with django_assert_max_num_queries(10):
        body = client.get(HOME).content.decode()
    assert texts(body, "td", data_status="submitted") == ["3"]


def test_start_page_shows_no_personal_data(client, world):
    referral = ReferralFactory(status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit)
    for persona in ("unit_staff", "sot", "director"):
        client.force_login(getattr(world, persona))
        body = client.get(HOME).content.decode()
        assert referral.patient.personal_number not in body
        assert referral.patient_name not in body


def test_english_is_available(client, world):
    client.force_login(world.unit_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Your unit's coordination requests" in body


def test_dates_are_iso_in_swedish():
    from datetime import date

    from django.utils import formats, translation

    with translation.override("sv"):
        assert formats.date_format(date(2026, 3, 7)) == "2026-03-07"
    with translation.override("en"):
        assert formats.date_format(date(2026, 3, 7)) == "2026-03-07"


def test_admin_is_in_swedish_and_for_administrators_only(client, world):
    client.force_login(world.sot)
    assert client.get("/admin/").status_code == 302  # to the admin login
    client.force_login(world.administrator)
    body = client.get("/admin/catalog/diagnosisgroup/").content.decode()
    assert "diagnosgrupp" in body.lower()


def test_logout_needs_post(client, world):
    client.force_login(world.unit_staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_swedish_even_when_the_browser_asks_for_english(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in body and "Logga in i SOT" in body
