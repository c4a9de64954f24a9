"""The Django admin with the administrators' second factor (ADMIN_REQUIRES_OTP; accounts/local_login.py).

Installed on `admin.site` in sot/urls.py, so every ModelAdmin registered there stays where it is.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.local_login import second_factor_satisfied


class SecondFactorAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Django's test (active staff), and a confirmed code in this session where one is needed."""
        return super().has_permission(request) and second_factor_satisfied(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Our sign-in (password, then the code) instead of the admin's own form, which asks no code."""
        user = request.user
        if user.is_authenticated and second_factor_satisfied(user):
            return super().login(request, extra_context)  # signed in without staff rights: the admin says so
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("login"))
