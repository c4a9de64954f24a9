"""The one access helper for a request's pages.

Who may see a request is decided by `selectors.referral_get_for` (404 outside the user's scope);
what they may do with it by the lifecycle table. A page that shows the request is access-logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.requests import AuthenticatedHttpRequest
from audit.services import access_record
from referrals.lifecycle import ACTIONS, actions_offered
from referrals.models import Referral
from referrals.selectors import referral_get_for, referral_roles


def referral_for(
    request: AuthenticatedHttpRequest, pk: int, *, action: str | None = None
) -> tuple[Referral, frozenset[str]]:
    """The request and the actions the user may take on it now; 404 outside the user's scope.

    With `action`, a user whose roles on the request may never take it gets 403. A GET is logged.
    """
    referral = referral_get_for(request.user, pk=pk)
    if request.method == "GET":
        if request.resolver_match is None:  # set by URL resolution before any view runs
            raise RuntimeError("A request is read outside a resolved URL; the access log needs the view name.")
        access_record(user=request.user, referral=referral, what=request.resolver_match.view_name)
    roles = referral_roles(request.user, referral)
    if action is not None and not roles & ACTIONS[action].roles:
        raise PermissionDenied
    return referral, actions_offered(status=referral.status, roles=roles)


def not_now(request: AuthenticatedHttpRequest, referral: Referral, action: str, message: str = "") -> HttpResponse:
    """Back to the request with what stands in the way: its state (the table's words) or a refusal."""
    refused = (
        message
        or str(ACTIONS[action].refused)
        or _("The request is %(status)s; this step is not possible now.")
        % {"status": referral.get_status_display().lower()}
    )
    messages.info(request, refused)
    return redirect("referrals:detail", pk=referral.pk)
