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
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.requests import AuthenticatedHttpRequest
from audit.models import AccessAction
from audit.services import access_record
from referrals.lifecycle import ACTIONS, actions_offered
from referrals.models import Referral, ReferralStatus
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


# The patient letter is read, not changed, so it is not a row of the lifecycle table (whose rows each write an
# event and may move the status). Its rule is here, in one place, for the download and for the request page:
# the two units and the sending region's SOT representative (the roles on the request) may print it once the
# request is accepted, that is once the receiving unit and the planned date are known. A completed request's
# care has been given: nothing is left to travel to.
PATIENT_LETTER_ROLES = frozenset({Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE, Role.RECEIVING_STAFF})
PATIENT_LETTER_STATUSES = frozenset({ReferralStatus.ACCEPTED})
PATIENT_LETTER_NOT_YET = gettext_lazy(
    "The patient letter can be printed once the receiving unit has accepted the request and set the planned date."
)


def patient_letter_may_print(*, roles: frozenset[str]) -> bool:
    """Whether a user holding `roles` on a request is one who may ever print its patient letter."""
    return bool(roles & PATIENT_LETTER_ROLES)


def patient_letter_ready(*, status: str, roles: frozenset[str]) -> bool:
    """Whether the patient letter can be printed now by a user holding `roles` on a request in `status`."""
    return patient_letter_may_print(roles=roles) and status in PATIENT_LETTER_STATUSES


def patient_letter_for(request: AuthenticatedHttpRequest, pk: int) -> tuple[Referral, bool]:
    """The request whose patient letter the user asks for, and whether it can be printed now.

    404 outside the user's scope; 403 for a user who sees the request but may never print its letter (the
    receiving region's SOT representative). A letter that is printed is logged as an export of patient data.
    """
    referral = referral_get_for(request.user, pk=pk)
    roles = referral_roles(request.user, referral)
    if not patient_letter_may_print(roles=roles):
        raise PermissionDenied
    ready = patient_letter_ready(status=referral.status, roles=roles)
    if ready:
        if request.resolver_match is None:  # set by URL resolution before any view runs
            raise RuntimeError("A letter is printed outside a resolved URL; the access log needs the view name.")
        access_record(
            user=request.user, referral=referral, action=AccessAction.EXPORT, what=request.resolver_match.view_name
        )
    return referral, ready
