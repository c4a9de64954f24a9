"""Views for unit staff filing and following requests. Each view: access, form, one service, response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import user_scopes
from audit.services import access_record, access_record_many
from capacity.matching import rank_receiving_units
from catalog.icd10 import lookup_icd10
from catalog.selectors import diagnosis_group_for_code
from organisations.models import Unit
from referrals import services
from referrals.filters import UnitReferralFilter
from referrals.forms import PatientDetailsForm, ReferralForm, WaitPauseForm, WithdrawForm
from referrals.lifecycle import Action, allowed_actions
from referrals.models import Referral, ReferralStatus
from referrals.selectors import (
    referral_get_for,
    referral_roles,
    referral_timeline,
    unit_referrals,
    wait_status_of,
)
from sot.forms import add_service_errors
from sot.personal_numbers import format_personal_number

PAGE_SIZE = 25
SUBMITTED_MESSAGE = gettext_lazy("%(ref)s was submitted to the region's SOT representatives.")


def _staff_units(user):
    """The units the user files for; 403 for anyone who is not unit staff."""
    unit_ids = user_scopes(user).unit_staff_units
    if not unit_ids:
        raise PermissionDenied
    return Unit.objects.filter(pk__in=unit_ids).select_related("hospital__region").order_by("name")


def _access(user, pk: int, request=None) -> tuple[Referral, frozenset[str]]:
    """The request and the user's roles on it; 404 outside the user's scope. A page shown is logged."""
    referral = referral_get_for(user, pk=pk)
    if request is not None and request.method == "GET":
        access_record(user=user, referral=referral, what=request.resolver_match.view_name)
    return referral, referral_roles(user, referral)


@require_GET
@login_required
def referral_list(request):
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


def _save(request, *, referral: Referral | None):
    units = _staff_units(request.user)
    form = ReferralForm(request.POST or None, units=units, user=request.user, instance=referral)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = services.referral_save(by=request.user, referral=referral, submit=submit, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("referrals:detail", pk=referral.pk)
        else:
            done = SUBMITTED_MESSAGE if submit else _("%(ref)s was saved as a draft.")
            messages.success(request, done % {"ref": saved})
            return redirect("referrals:detail", pk=saved.pk)
    return render(request, "referrals/form.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def referral_create(request):
    return _save(request, referral=None)


@require_http_methods(["GET", "POST"])
@login_required
def referral_edit(request, pk: int):
    referral, roles = _access(request.user, pk, request)
    if Role.UNIT_STAFF not in roles:
        raise PermissionDenied
    if referral.status != ReferralStatus.DRAFT:
        messages.info(request, _("Only a draft can be edited."))
        return redirect("referrals:detail", pk=referral.pk)
    return _save(request, referral=referral)


@require_GET
@login_required
def icd10_lookup(request):
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
def referral_detail(request, pk: int):
    referral, roles = _access(request.user, pk, request)
    actions = allowed_actions(status=referral.status, roles=roles)
    # SOT representatives of the sending region see ranked receiving units while they look for one.
    matching = None
    if Role.SOT_REPRESENTATIVE in roles and referral.status in (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW):
        matching = rank_receiving_units(referral)
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
            "can_edit": Role.UNIT_STAFF in roles and referral.status == ReferralStatus.DRAFT,
            "can_submit": Action.SUBMIT in actions,
            "can_withdraw": Action.WITHDRAW in actions,
            "can_pause": Role.UNIT_STAFF in roles and referral.is_open,
            "can_change_patient": Role.UNIT_STAFF in roles and referral.is_open,
            "actions": actions,
            "can_propose": Action.PROPOSE in actions,
            "can_contact": Role.SOT_REPRESENTATIVE in roles
            and referral.status in (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
            "contacts": referral.contacts.all(),
            "can_correct_group": Role.SOT_REPRESENTATIVE in roles and referral.submitted_at is not None,
            "matching": matching,
            "submission_errors": services.referral_submission_errors(referral)
            if referral.status == ReferralStatus.DRAFT
            else {},
        },
    )


@require_POST
@login_required
def referral_submit(request, pk: int):
    referral, roles = _access(request.user, pk, request)
    if Role.UNIT_STAFF not in roles:
        raise PermissionDenied
    try:
        services.referral_submit(referral=referral, by=request.user)
    except ValidationError:
        messages.error(request, _("The draft is not complete. Edit it and fill in what is missing."))
    except services.TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, SUBMITTED_MESSAGE % {"ref": referral})
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
@login_required
def referral_withdraw(request, pk: int):
    referral, roles = _access(request.user, pk, request)
    if Action.WITHDRAW not in allowed_actions(status=referral.status, roles=roles):
        if not roles & {Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE}:
            raise PermissionDenied
        messages.info(request, _("The request can no longer be withdrawn."))
        return redirect("referrals:detail", pk=referral.pk)
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
def patient_details_change(request, pk: int):
    """The sending unit corrects its record of the patient (a new phone, say) on an open request."""
    referral, roles = _access(request.user, pk, request)
    if Role.UNIT_STAFF not in roles:
        raise PermissionDenied
    if not referral.is_open:
        messages.info(request, _("The request is closed; its patient details can no longer change."))
        return redirect("referrals:detail", pk=referral.pk)
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
    return render(
        request,
        "referrals/step.html",
        {
            "form": form,
            "referral": referral,
            "title": _("Change the patient's details"),
            "intro": _(
                "Your unit's record of the patient on this request. It changes nothing that another region "
                "recorded; the change is written to the request's history."
            ),
            "submit_label": _("Save"),
            "submit_class": "btn-primary",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def wait_pause_add(request, pk: int):
    referral, roles = _access(request.user, pk, request)
    if Role.UNIT_STAFF not in roles:
        raise PermissionDenied
    if not referral.is_open:
        messages.info(request, _("The request is closed; its waiting time can no longer change."))
        return redirect("referrals:detail", pk=referral.pk)
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
