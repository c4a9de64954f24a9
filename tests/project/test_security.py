"""Production protections: CSP, login throttling, idle sessions, revocation on the next request."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from sot.middleware import SessionIdleMiddleware
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


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _age_session(client, *, refreshed_seconds_ago: int, expires_in: timedelta | None = None) -> None:
    """Make the stored session look as if its last save was that long ago (and, optionally, expiring then)."""
    stored = _stored(client)
    store = SessionStore(session_key=stored.session_key)
    data = store.load()
    data[SessionIdleMiddleware.KEY] = int(time.time()) - refreshed_seconds_ago
    Session.objects.filter(pk=stored.pk).update(
        session_data=store.encode(data), expire_date=stored.expire_date if expires_in is None else now() + expires_in
    )


def test_sessions_expire_after_thirty_idle_minutes(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.unit_staff)
    url = reverse("referrals:list")
    assert client.get(url).status_code == 200
    _age_session(client, refreshed_seconds_ago=10 * 60, expires_in=timedelta(seconds=-1))  # idle past the limit
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_request_within_a_minute_of_the_last_save_writes_no_session(client, world):
    client.force_login(world.unit_staff)  # saves the session, stamped
    url = reverse("referrals:list")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert not [q for q in first.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    client.get(url)
    expiry = _stored(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    assert _stored(client).expire_date == expiry


def test_a_request_a_minute_after_the_last_save_extends_the_session(client, world):
    client.force_login(world.unit_staff)
    url = reverse("referrals:list")
    client.get(url)
    _age_session(client, refreshed_seconds_ago=settings.SESSION_REFRESH_SECONDS, expires_in=timedelta(minutes=29))
    before = _stored(client).expire_date
    assert client.get(url).status_code == 200
    after = _stored(client).expire_date
    assert after > before
    assert abs((after - now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60


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
