"""Local password accounts (README, "Local accounts"): LOCAL_LOGIN, the administrators' TOTP second factor,
the own password change, and resetting a lost device."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.local_login import PENDING_SESSION_KEY
from sot.env import Env

PASSWORD = "secret-password-1"  # the factories' password
REFUSED_ALL = "Inloggning med lösenord är avstängd"
REFUSED_PLAIN = "Bara administratörer får logga in med lösenord"
WRONG_CODE = "Koden är fel eller har redan använts"


def _login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed by django-otp from the device's key."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def otp_on(settings):
    settings.ADMIN_REQUIRES_OTP = True
    settings.LOCAL_LOGIN = "administrators"


@pytest.fixture
def device(world):
    return TOTPDevice.objects.create(user=world.administrator, name="SOT", confirmed=True)


# LOCAL_LOGIN × (plain user, administrator), without the second factor.


@pytest.mark.parametrize(
    ("policy", "persona", "refusal"),
    [
        ("all", "unit_staff", None),
        ("all", "administrator", None),
        ("administrators", "unit_staff", REFUSED_PLAIN),
        ("administrators", "administrator", None),
        ("none", "unit_staff", REFUSED_ALL),
        ("none", "administrator", REFUSED_ALL),
    ],
)
def test_local_login_policy(client, world, settings, policy, persona, refusal):
    settings.LOCAL_LOGIN, settings.ADMIN_REQUIRES_OTP = policy, False
    response = _login(client, getattr(world, persona).username)
    if refusal is None:
        assert response.status_code == 302 and response["Location"] == "/"
        assert _signed_in(client)
    else:
        assert response.status_code == 200
        assert refusal in response.content.decode()
        assert not _signed_in(client)


def test_a_wrong_password_says_only_that_it_is_wrong(client, world, settings):
    """The policy's message comes after a right password only: a guess learns nothing about the account."""
    settings.LOCAL_LOGIN = "administrators"
    body = _login(client, "staff", "wrong").content.decode()
    assert "Ange ett korrekt" in body and REFUSED_PLAIN not in body


def test_a_refused_login_counts_as_a_failure_and_locks_out(client, world, settings):
    settings.LOCAL_LOGIN = "administrators"
    statuses = [_login(client, "staff").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    settings.LOCAL_LOGIN = "all"
    assert _login(client, "staff").status_code == 429  # still locked, whatever the setting now says


@pytest.mark.parametrize(("policy", "shown"), [("all", True), ("administrators", True), ("none", False)])
def test_the_login_page_shows_the_form_only_where_it_can_be_used(client, db, settings, policy, shown):
    settings.LOCAL_LOGIN = policy
    body = client.get(reverse("login")).content.decode()
    assert ('data-testid="local-login"' in body) is shown
    assert ('name="password"' in body) is shown


def test_production_defaults_and_bad_values():
    from sot import settings as real

    assert real.LOCAL_LOGIN in ("all", "administrators", "none")
    assert Env({"LOCAL_LOGIN": "Administrators"}).choice("LOCAL_LOGIN", ("all", "administrators"), "all") == (
        "administrators"
    )
    with pytest.raises(ImproperlyConfigured, match="LOCAL_LOGIN must be one of all/administrators/none"):
        Env({"LOCAL_LOGIN": "admins"}).choice("LOCAL_LOGIN", ("all", "administrators", "none"), "all")


def test_production_settings_turn_on_the_policy_and_the_second_factor():
    """Without the variables: production (DEBUG off) refuses plain local accounts and asks administrators
    for a code; DEBUG (the demo, `make run`) lets every local account in with its password."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LOCAL_LOGIN, s.ADMIN_REQUIRES_OTP)"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("LOCAL_LOGIN", "ADMIN_REQUIRES_OTP")}
    base.update(DJANGO_SETTINGS_MODULE="sot.settings", SECRET_KEY="x" * 50, ALLOWED_HOSTS="sot.example.org")
    for debug, expected in (("0", ["administrators", "True"]), ("1", ["all", "False"])):
        command = [sys.executable, "-c", code]
        out = subprocess.run(command, env={**base, "DEBUG": debug}, capture_output=True, text=True)  # noqa: S603  (our own interpreter, no shell)
        assert out.stdout.split() == expected, out.stderr


# The second factor.


def test_a_plain_user_needs_no_code(client, world, otp_on, settings):
    settings.LOCAL_LOGIN = "all"
    response = _login(client, "staff")
    assert response["Location"] == "/" and _signed_in(client)


def test_an_administrator_without_a_device_enrols_one(client, world, otp_on):
    response = _login(client, "administrator", next="/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("login_code")
    assert not _signed_in(client)
    assert client.get(reverse("login_code"))["Location"] == reverse("login_enrol")
    page = client.get(reverse("login_enrol"))
    body = page.content.decode()
    enrolling = TOTPDevice.objects.get(user=world.administrator)
    assert not enrolling.confirmed
    assert '<svg role="img"' in body and 'class="sot-qr"' in body
    from base64 import b32encode

    secret = b32encode(enrolling.bin_key).decode()
    assert secret[:4] in body and secret[-4:] in body
    assert client.get(reverse("login_enrol")).status_code == 200  # a second visit shows the same device
    assert TOTPDevice.objects.filter(user=world.administrator).count() == 1

    wrong = client.post(reverse("login_enrol"), {"otp_token": f"{(int(_code(enrolling)) + 1) % 1000000:06d}"})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    assert not _signed_in(client)
    enrolling.refresh_from_db()
    assert not enrolling.confirmed

    too_soon = client.post(reverse("login_enrol"), {"otp_token": _code(enrolling)})  # django-otp's 1 s wait
    assert "Vänta en stund" in too_soon.content.decode() and not _signed_in(client)
    enrolling.refresh_from_db()
    enrolling.throttle_reset()  # the second has passed
    right = client.post(reverse("login_enrol"), {"otp_token": _code(enrolling)})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert _signed_in(client)
    enrolling.refresh_from_db()
    assert enrolling.confirmed
    assert client.get("/admin/").status_code == 200


def test_an_administrator_signs_in_with_the_code(client, world, otp_on, device):
    response = _login(client, "administrator")
    assert response["Location"] == reverse("login_code") and not _signed_in(client)
    assert client.get(reverse("login_enrol"))["Location"] == reverse("login_code")  # no second device
    response = client.post(reverse("login_code"), {"otp_token": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("code", ["000000x", "12345", "", "1234567"])
def test_a_malformed_code_is_refused_next_to_the_field(client, world, otp_on, device, code):
    _login(client, "administrator")
    body = client.post(reverse("login_code"), {"otp_token": code}).content.decode()
    assert "is-invalid" in body
    assert "Ange de sex siffror" in body or "Det här fältet är obligatoriskt" in body
    assert not _signed_in(client)


def test_a_wrong_code_is_refused(client, world, otp_on, device):
    _login(client, "administrator")
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("login_code"), {"otp_token": wrong})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert not _signed_in(client)


def test_a_used_code_cannot_be_used_again(world, otp_on, device):
    first = Client()
    _login(first, "administrator")
    code = _code(device)
    assert first.post(reverse("login_code"), {"otp_token": code}).status_code == 302
    second = Client()
    _login(second, "administrator")
    response = second.post(reverse("login_code"), {"otp_token": code})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert not _signed_in(second)


def test_wrong_codes_lock_out_like_wrong_passwords(client, world, otp_on, device):
    _login(client, "administrator", "wrong")  # one wrong password, then wrong codes: five failures in all
    _login(client, "administrator")
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    statuses = [client.post(reverse("login_code"), {"otp_token": wrong}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.post(reverse("login_code"), {"otp_token": _code(device)})["Location"] == reverse("login")
    assert _login(client, "administrator").status_code == 429
    assert not _signed_in(client)


def test_the_code_step_needs_the_password_step_first(client, world, otp_on, device):
    assert client.get(reverse("login_code"))["Location"] == reverse("login")
    assert client.post(reverse("login_code"), {"otp_token": _code(device)})["Location"] == reverse("login")
    assert client.get(reverse("login_enrol"))["Location"] == reverse("login")
    assert not _signed_in(client)


def test_the_code_must_follow_the_password_within_minutes(client, world, otp_on, device):
    _login(client, "administrator")
    session = client.session
    session[PENDING_SESSION_KEY]["since"] = time.time() - 6 * 60
    session.save()
    assert client.post(reverse("login_code"), {"otp_token": _code(device)})["Location"] == reverse("login")
    assert not _signed_in(client)


def test_the_admin_refuses_an_administrator_without_a_code(client, world, otp_on, device):
    client.force_login(world.administrator)
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])  # the admin's login sends to ours
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.get(response["Location"])  # ours asks for the code of the signed-in administrator
    assert response["Location"] == reverse("login_code")
    assert client.get("/admin/catalog/diagnosisgroup/").status_code == 302
    client.post(reverse("login_code"), {"otp_token": _code(device)})
    assert client.get("/admin/").status_code == 200


def test_an_administrator_signed_in_with_siths_needs_no_code(client, world, otp_on):
    """A SITHS card is a second factor already: accounts without a usable password are not asked."""
    world.administrator.set_unusable_password()
    world.administrator.save()
    client.force_login(world.administrator)
    assert client.get("/admin/").status_code == 200


def test_anonymous_on_the_admin_goes_to_our_login(client, db, otp_on):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Logga in i SOT" in response.content.decode()


def test_the_admin_lists_devices_for_another_administrator_to_delete(client, world, device, settings):
    client.force_login(world.administrator)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200


def test_reset_otp_device_command(world, device, otp_on, client):
    call_command("reset_otp_device", "administrator", stdout=__import__("io").StringIO())
    assert not TOTPDevice.objects.filter(user=world.administrator).exists()
    _login(client, "administrator")
    assert client.get(reverse("login_code"))["Location"] == reverse("login_enrol")
    with pytest.raises(CommandError):
        call_command("reset_otp_device", "nobody-by-this-name")


@pytest.mark.parametrize("page", ["login_code", "login_enrol"])
def test_the_code_pages_keep_the_security_headers(client, world, otp_on, page):
    if page == "login_code":
        TOTPDevice.objects.create(user=world.administrator, name="SOT", confirmed=True)
    _login(client, "administrator")
    response = client.get(reverse(page))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    body = response.content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


# Own password change.

CHANGE = "password_change"


def test_anonymous_is_sent_to_login_from_the_password_change(client, db):
    response = client.get(reverse(CHANGE))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_password_change_with_the_right_old_password(client, world):
    client.force_login(world.unit_staff)
    data = {"old_password": PASSWORD, "new_password1": "en-ny-lang-fras-2026", "new_password2": "en-ny-lang-fras-2026"}
    response = client.post(reverse(CHANGE), data, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Ditt lösenord är bytt." in response.content.decode()
    assert _signed_in(client)  # this session stays signed in
    world.unit_staff.refresh_from_db()
    assert world.unit_staff.check_password("en-ny-lang-fras-2026")


def test_the_password_change_with_a_wrong_old_password(client, world):
    client.force_login(world.unit_staff)
    data = {"old_password": "wrong", "new_password1": "en-ny-lang-fras-2026", "new_password2": "en-ny-lang-fras-2026"}
    body = client.post(reverse(CHANGE), data).content.decode()
    assert "Ditt gamla lösenord var felaktigt ifyllt" in body and "is-invalid" in body
    world.unit_staff.refresh_from_db()
    assert world.unit_staff.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [("12345678", "för kort"), ("1234567890123", "enbart numeriskt"), ("password123", "alldeles för vanligt")],
)
def test_the_password_change_refuses_a_weak_password(client, world, new, message):
    client.force_login(world.unit_staff)
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse(CHANGE), data)
    assert message in response.content.decode()
    # Said next to the new password, not under its confirmation, and in the summary at the top.
    form = response.context["form"]
    assert form.errors.get("new_password1") and "new_password2" not in form.errors
    assert 'data-testid="form-errors"' in response.content.decode()
    world.unit_staff.refresh_from_db()
    assert world.unit_staff.check_password(PASSWORD)


def test_two_new_passwords_that_differ_are_said_under_the_confirmation(client, world):
    client.force_login(world.unit_staff)
    data = {"old_password": PASSWORD, "new_password1": "en-ny-lang-fras-2026", "new_password2": "en-annan-fras-2026"}
    form = client.post(reverse(CHANGE), data).context["form"]
    assert list(form.errors) == ["new_password2"]


@pytest.mark.parametrize("persona", ["unit_staff", "sot", "receiving_staff", "director", "administrator", "nobody"])
def test_every_local_account_finds_the_password_change_in_the_menu(client, world, persona):
    client.force_login(getattr(world, persona))
    body = client.get("/").content.decode()
    assert 'data-testid="password-change-link"' in body and "Byt lösenord" in body
    assert client.get(reverse(CHANGE)).status_code == 200


def test_an_account_without_a_password_has_no_password_change(client, world):
    world.sot.set_unusable_password()
    world.sot.save()
    client.force_login(world.sot)
    assert 'data-testid="password-change-link"' not in client.get("/").content.decode()
    assert client.get(reverse(CHANGE)).status_code == 404
    data = {"old_password": "x", "new_password1": "en-ny-lang-fras-2026", "new_password2": "en-ny-lang-fras-2026"}
    assert client.post(reverse(CHANGE), data).status_code == 404
