"""Local (password) accounts: who may use one (LOCAL_LOGIN), and the administrators' second factor.

The rules live here; the backend (accounts/backends.py), the sign-in views (accounts/views.py) and the
admin site (accounts/admin_site.py) ask these functions and decide nothing themselves.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_SESSION_KEY = "sot_second_factor_pending"
PENDING_SECONDS = 5 * 60  # the code must follow the password within five minutes
DEVICE_NAME = "SOT"


def is_administrator(user: Any) -> bool:
    return bool(user.is_staff or user.is_superuser)


def local_login_allowed(user: Any) -> bool:
    """Whether `user` may sign in with a password under LOCAL_LOGIN."""
    policy = settings.LOCAL_LOGIN
    if policy == "all":
        return True
    if policy == "administrators":
        return is_administrator(user)
    return False


def needs_second_factor(user: Any) -> bool:
    """A local administrator (a usable password) needs a TOTP code when ADMIN_REQUIRES_OTP is on."""
    return bool(
        settings.ADMIN_REQUIRES_OTP and user.is_authenticated and is_administrator(user) and user.has_usable_password()
    )


def second_factor_satisfied(user: Any) -> bool:
    """True if the user needs no second factor, or this session has confirmed one (django-otp)."""
    if not needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same one on every visit, until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()


def reset_devices(user: Any) -> int:
    """Remove every second-factor device of `user` (a lost phone); the next sign-in enrols a new one."""
    from django_otp import devices_for_user

    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)


# The password step passed, the code step has not: the session remembers whom, where to and since when.
def start_pending(request: HttpRequest, user: Any, backend: str, next_url: str) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "since": time.time(),
    }


def pending(request: HttpRequest) -> tuple[Any, str, str] | None:
    """(user, backend, next URL) of the sign-in waiting for its code, or None (none, expired, gone)."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("since", 0)) > PENDING_SECONDS:
        clear_pending(request)
        return None
    user = get_user_model().objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    if user is None or not needs_second_factor(user):
        clear_pending(request)
        return None
    return user, str(data["backend"]), str(data["next"])


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def record_failed_code(request: HttpRequest, user: Any) -> None:
    """A wrong code is a failed sign-in like a wrong password: django-axes counts it and may lock out."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def locked_out(request: HttpRequest, user: Any) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})
