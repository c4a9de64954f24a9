"""Username and password sign-in, refused where LOCAL_LOGIN says so (accounts/local_login.py).

A refusal raises PermissionDenied, so that `authenticate` stops, sends `user_login_failed` and django-axes
counts it as a failure like a wrong password. The request is marked so that the form can say why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.local_login import local_login_allowed

REFUSED_ATTRIBUTE = "sot_local_login_refused"


class LocalAccountBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if password is None:
            return None  # not a password sign-in (another backend's)
        if settings.LOCAL_LOGIN == "none":
            self._refuse(request)  # no password is even checked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_login_allowed(user):
            self._refuse(request)  # the password was right, but this account may not use it
        return user

    @staticmethod
    def _refuse(request: HttpRequest | None) -> None:
        if request is not None:
            setattr(request, REFUSED_ATTRIBUTE, True)
        raise PermissionDenied
