"""Personal API tokens: each user creates and revokes their own. A new token is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.request import Request

from accounts.requests import signed_in
from api.forms import TokenForm
from api.models import ApiToken
from api.services import token_create, token_revoke


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: Request) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(
            user=signed_in(request.user), name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=signed_in(request.user))
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@require_POST
@login_required
def token_revoke_view(request: Request, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=signed_in(request.user))  # another user's token: 404
    token_revoke(token=token, by=signed_in(request.user))
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("tokens")
