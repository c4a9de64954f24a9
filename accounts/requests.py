"""Request types for views that only signed-in users reach (login_required, IsAuthenticated, admin).

For the type checker only: at run time these are the ordinary request objects.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest behind login_required: its user is a User, never AnonymousUser."""

    user: User
    htmx: HtmxDetails  # set by django_htmx's HtmxMiddleware, which is always installed


def signed_in(user: User | AnonymousUser) -> User:
    """The user of a request that authentication has already let through (DRF views, the admin)."""
    return cast(User, user)
