"""Sign-in of local accounts (password, then an administrator's TOTP code) and the own password change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import local_login
from accounts.forms import LocalAuthenticationForm, OneTimeCodeForm, OwnPasswordChangeForm


class LoginView(auth_views.LoginView):
    """Django's sign-in; an administrator who needs a second factor goes on to the code (or enrolment) step."""

    form_class = LocalAuthenticationForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not local_login.second_factor_satisfied(user):
            # Signed in, but this session has not confirmed the code (the admin sends such users here).
            backend = request.session.get(BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[-1])
            local_login.start_pending(request, user, backend, self.get_success_url())
            return redirect("login_code")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: LocalAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if local_login.needs_second_factor(user):
            local_login.start_pending(self.request, user, user.backend, self.get_success_url())
            return redirect("login_code")
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "local_login": settings.LOCAL_LOGIN != "none"}


def _finish(request: HttpRequest, user: Any, backend: str, next_url: str, device: TOTPDevice) -> HttpResponse:
    local_login.clear_pending(request)
    user.otp_device = device  # django-otp keeps the verified device in the session at login
    auth_login(request, user, backend=backend)
    return redirect(next_url)


def _code_step(
    request: HttpRequest,
    template: str,
    device_for: Callable[[Any], TOTPDevice | None],
    when_no_device: str,
    context_for: Callable[[TOTPDevice], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Both code pages: read the code, sign in on a right one, count a wrong one as a failed sign-in."""
    state = local_login.pending(request)
    if state is None:
        return redirect("login")
    user, backend, next_url = state
    device = device_for(user)
    if device is None:
        return redirect(when_no_device)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST":
        if local_login.locked_out(request, user):
            local_login.clear_pending(request)
            request.axes_locked_out = True  # type: ignore[attr-defined]  # AxesMiddleware answers with the lockout
            return HttpResponse(status=403)
        throttled = not device.verify_is_allowed()[0]
        if form.is_valid() and device.verify_token(form.cleaned_data["otp_token"]):
            if not device.confirmed:
                local_login.confirm_enrolment(device)
                messages.success(request, _("Your authenticator app is set up. Next time, enter its code."))
            return _finish(request, user, backend, next_url, device)
        if form.is_valid():
            form.reject(throttled=throttled)
        local_login.record_failed_code(request, user)
        if getattr(request, "axes_locked_out", False):
            local_login.clear_pending(request)
    context = context_for(device) if context_for else {}
    return render(request, template, {"form": form, **context})


@never_cache
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two for an administrator with a confirmed device: the 6-digit code."""
    return _code_step(request, "registration/login_code.html", local_login.confirmed_device, "login_enrol")


@never_cache
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Step two for an administrator without a device: scan the QR code, confirm with a first code."""

    def device_for(user: Any) -> TOTPDevice | None:
        return None if local_login.confirmed_device(user) else local_login.enrolment_device(user)

    return _code_step(request, "registration/otp_enrol.html", device_for, "login_code", _enrolment_context)


def _enrolment_context(device: TOTPDevice) -> dict[str, Any]:
    from base64 import b32encode

    uri = device.config_url
    return {
        "qr_svg": _qr_svg(uri, str(_("QR code for your authenticator app"))),
        "secret": " ".join(_chunks(b32encode(device.bin_key).decode(), 4)),
        "otpauth_uri": uri,
    }


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _qr_svg(data: str, label: str) -> SafeString:
    """The QR code as inline SVG markup, drawn here (no image service, no inline style or script)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=14, border=2)
    svg = image.to_string(encoding="unicode")
    opening = format_html('<svg role="img" aria-label="{}" class="sot-qr" ', label)
    return mark_safe(svg.replace("<svg ", opening, 1))  # noqa: S308  (our own markup, the label escaped)


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's own password change, for accounts that have a password (not those signing in with SITHS)."""

    template_name = "registration/password_change_form.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")
    success_message = _("Your password has been changed.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_usable_password():
            raise Http404
        return super().dispatch(request, *args, **kwargs)
