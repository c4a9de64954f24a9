"""Views for unit staff filing and following requests. Each view: access, form, one service, response."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from audit.services import access_record_many
from catalog.icd10 import lookup_icd10
from catalog.selectors import diagnosis_group_for_code
from organisations.models import Unit
from referrals import services
from referrals.access import not_now, referral_for
from referrals.filters import UnitReferralFilter
from referrals.forms.intake import PatientDetailsForm, ReferralForm, WaitPauseForm
from referrals.forms.workflow import WithdrawForm
from referrals.lifecycle import Action
from referrals.models import Referral, ReferralStatus
from referrals.proposals import ranking_for
from referrals.search import open_requests_in_region
from referrals.selectors import (
    referral_timeline,
    unit_referrals,
    wait_status_of,
)
from sot.forms import add_service_errors
from sot.personal_numbers import format_personal_number

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 25
SUBMITTED_MESSAGE = gettext_lazy("%(ref)s was submitted to the region's SOT representatives.")


def _staff_units(user: User) -> QuerySet[Unit]:
    """The units the user files for; 403 for anyone who is not unit staff."""
    unit_ids = user_scopes(user).unit_staff_units
    if not unit_ids:
        raise PermissionDenied
    return Unit.objects.filter(pk__in=unit_ids).select_related("hospital__region").order_by("name")


@require_GET
@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff_units(request.user)
    today = timezone.localdate()
    filterset = UnitReferralFilter(request.GET or None, queryset=unit_referrals(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(referral, wait_status_of(referral, today=today)) for referral in page.object_list]
    access_record_many(user=request.user, referrals=page.object_list, what="referrals:list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/list.html",
        {"filter": filterset, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _save(request: AuthenticatedHttpRequest, *, referral: Referral | None) -> HttpResponse:
    units = _staff_units(request.user)
    form = ReferralForm(
        request.POST or None, units=units, user=request.user, instance=referral, submit="submit" in request.POST
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = services.referral_save(by=request.user, referral=referral, submit=submit, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except services.TransitionNotAllowed as exc:
            if referral is None:  # a new request has no step to refuse
                raise
            messages.error(request, exc.message)
            return redirect("referrals:detail", pk=referral.pk)
        else:
            done = SUBMITTED_MESSAGE if submit else _("%(ref)s was saved as a draft.")
            messages.success(request, done % {"ref": saved})
            return redirect("referrals:detail", pk=saved.pk)
    return render(request, "referrals/form.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _save(request, referral=None)


@require_http_methods(["GET", "POST"])
@login_required
def referral_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.EDIT_DRAFT)
    if Action.EDIT_DRAFT not in offered:
        return not_now(request, referral, Action.EDIT_DRAFT)
    return _save(request, referral=referral)


@require_GET
@login_required
def icd10_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The description and diagnosis group of a typed ICD-10 code, as a fragment under the field."""
    _staff_units(request.user)
    value = request.GET.get("icd10_code", "").strip()
    context: dict = {"icd10": None, "error": None, "group": None, "show_group": bool(value)}
    if value:
        try:
            context["icd10"] = lookup_icd10(value)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            context["group"] = diagnosis_group_for_code(context["icd10"].code)
    return render(request, "referrals/_icd10.html", context)


@require_GET
@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk)
    # SOT representatives of the sending region see ranked receiving units while they look for one.
    matching = ranking_for(referral) if Action.PROPOSE in offered or Action.TAKE in offered else None
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "wait": wait_status_of(referral, today=timezone.localdate()),
            "icd10": lookup_icd10(referral.icd10_code) if referral.icd10_code else None,
            "personal_number": format_personal_number(referral.patient.personal_number),
            "events": referral_timeline(referral),
            "pauses": referral.pauses.all(),
            "actions": offered,
            "contacts": referral.contacts.all(),
            "matching": matching,
            "open_requests": open_requests_in_region(request.user, referral),
            "submission_errors": services.referral_submission_errors(referral)
            if referral.status == ReferralStatus.DRAFT
            else {},
        },
    )


@require_POST
@login_required
def referral_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, _offered = referral_for(request, pk, action=Action.SUBMIT)
    try:
        services.referral_submit(referral=referral, by=request.user)
    except ValidationError as exc:
        incomplete = _("The draft is not complete. Edit it and fill in what is missing.")
        messages.error(request, exc.message_dict.get("sending_unit", [incomplete])[0])
    except services.TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, SUBMITTED_MESSAGE % {"ref": referral})
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
@login_required
def referral_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.WITHDRAW)
    if Action.WITHDRAW not in offered:
        return not_now(request, referral, Action.WITHDRAW)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_withdraw(referral=referral, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(ref)s was withdrawn.") % {"ref": referral})
        return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/withdraw.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def patient_details_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sending unit corrects its record of the patient (a new phone, say) on an open request."""
    referral, offered = referral_for(request, pk, action=Action.CHANGE_PATIENT)
    if Action.CHANGE_PATIENT not in offered:
        return not_now(request, referral, Action.CHANGE_PATIENT)
    initial = {
        "patient_name": referral.patient_name,
        "home_region": referral.patient_home_region_id,
        "patient_phone": referral.patient_phone,
    }
    form = PatientDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_change_patient_details(referral=referral, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, aliases={"patient_home_region": "home_region"})
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("referrals:detail", pk=referral.pk)
        else:
            messages.success(request, _("The patient's details were saved on %(ref)s.") % {"ref": referral})
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/steps/patient_details.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def wait_pause_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.ADD_PAUSE)
    if Action.ADD_PAUSE not in offered:
        return not_now(request, referral, Action.ADD_PAUSE)
    form = WaitPauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.wait_pause_add(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pause was recorded and the care-guarantee deadline moved."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/pause.html", {"form": form, "referral": referral})
