"""Production protections: CSP, login throttling, idle sessions, revocation on the next request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from tests.factories import ReferralFactory
from tests.i18n import shown_html


def test_content_security_policy_has_no_unsafe_inline(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_login_is_throttled_after_five_failures(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staff", "password": "secret-password-1"})
    assert response.status_code == 429
    assert shown_html(gettext_lazy("Too many failed logins")) in response.content.decode()
    # Another account from the same address is not blocked (lockout per username and address).
    response = client.post(reverse("login"), {"username": "sot", "password": "secret-password-1"})
    assert response.status_code == 302


def test_sessions_expire_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_deactivated_user_is_out_on_the_next_request(client, world):
    client.force_login(world.unit_staff)
    assert client.get(reverse("referrals:list")).status_code == 200
    world.unit_staff.is_active = False
    world.unit_staff.save()
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_removed_membership_takes_effect_on_the_next_request(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit)
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(world.unit_staff)
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.unit_staff, role=Role.UNIT_STAFF).delete()
    assert client.get(url).status_code == 404


def test_password_validators_are_on(settings):
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def test_pages_and_api_with_patient_data_are_never_cached(client, world):
    from rest_framework.test import APIClient

    from api.services import token_create

    referral = ReferralFactory(sending_unit=world.home_unit)
    client.force_login(world.unit_staff)
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.unit_staff, name='t', days=1)[1]}")
    detail = api.get(f"/api/v1/referrals/{referral.pk}/")
    assert detail.status_code == 200 and "no-store" in detail["Cache-Control"]
    listing = api.get("/api/v1/referrals/")
    assert "no-store" in listing["Cache-Control"]
    assert "no-store" in client.get(reverse("referrals:list"))["Cache-Control"]


def test_static_files_keep_their_caching(client, db):
    from django.conf import settings

    response = client.get(f"{settings.STATIC_URL}sot/sot.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
