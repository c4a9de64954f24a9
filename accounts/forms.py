"""Sign-in forms of local accounts: the password step and the administrators' code step."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.backends import REFUSED_ATTRIBUTE


class LocalAuthenticationForm(AuthenticationForm):
    """Django's form; a password sign-in that LOCAL_LOGIN refuses says why instead of "wrong password"."""

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, REFUSED_ATTRIBUTE, False):
            if settings.LOCAL_LOGIN == "none":
                message = _("Signing in with a password is turned off. Sign in with your SITHS card.")
            else:
                message = _("Only administrators may sign in with a password. Sign in with your SITHS card.")
            return ValidationError(message, code="local_login_refused")
        return super().get_invalid_login_error()


_CODE = re.compile(r"\d{6}")


class OneTimeCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits; a new code is shown every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_otp_token(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["otp_token"])
        if not _CODE.fullmatch(code):
            raise ValidationError(_("Enter the six digits your authenticator app shows."), code="format")
        return code

    def reject(self, *, throttled: bool = False) -> None:
        if throttled:  # django-otp waits longer after each wrong code (1, 2, 4 … seconds)
            self.add_error(
                "otp_token", _("Too many wrong codes in a row. Wait a moment and enter the code shown then.")
            )
        else:
            self.add_error("otp_token", _("The code is wrong or has already been used. Enter the code shown now."))


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with what is wrong about the new password said next to that field (Django
    puts the password rules' messages under the confirmation); a mismatch stays under the confirmation."""

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        if "new_password2" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data
