"""Personal API tokens: each user creates and revokes their own. A new token is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.services import token_create, token_revoke


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@require_POST
@login_required
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's token: 404
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("tokens")
