"""The coordination workflow: the receiving inbox, each step as a small confirmation form, and
obstacles to cooperation (the SOT queue is in queue_views). Each step is written out: the access
helper, the form, one service, a redirect; its texts live in its template (templates/referrals/steps/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from audit.services import access_record_many
from capacity.matching import MatchResult
from capacity.selectors import offers_to_accept
from organisations.models import Region, Unit
from referrals import services
from referrals.access import not_now, referral_for
from referrals.forms.workflow import (
    AcceptForm,
    CloseForm,
    CompleteForm,
    ContactForm,
    DeclineForm,
    GroupCorrectionForm,
    NoteForm,
    ObstacleForm,
    PhoneAcceptForm,
    ProposeForm,
    UnitChoiceForm,
)
from referrals.lifecycle import Action
from referrals.models import Referral, ReferralStatus
from referrals.proposals import ranking_for
from referrals.selectors import (
    obstacles_visible_to,
    receiving_inbox,
    units_to_propose,
    wait_status_of,
)
from referrals.working_days import next_working_day
from sot.forms import add_service_errors

PAGE_SIZE = 25


@require_GET
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not user_scopes(request.user).receiving_units:
        raise PermissionDenied
    today = timezone.localdate()
    referrals = list(receiving_inbox(request.user))
    proposed = [(r, wait_status_of(r, today=today)) for r in referrals if r.status == ReferralStatus.PROPOSED]
    accepted = [r for r in referrals if r.status == ReferralStatus.ACCEPTED]
    # Exactly the requests the page shows are logged as read.
    access_record_many(user=request.user, referrals=[r for r, _wait in proposed] + accepted, what="work:inbox")
    return render(request, "referrals/inbox.html", {"proposed": proposed, "accepted": accepted})


def _done(request: AuthenticatedHttpRequest, referral: Referral, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("referrals:detail", pk=referral.pk)


def _refused(request: AuthenticatedHttpRequest, referral: Referral, exc: services.TransitionNotAllowed) -> HttpResponse:
    """Someone else moved the request first: back to it, saying so."""
    messages.error(request, exc.message)
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
@login_required
def take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.TAKE)
    if Action.TAKE not in offered:
        return not_now(request, referral, Action.TAKE)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_take(referral=referral, by=request.user)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        return _done(request, referral, _("%(ref)s is now in review with you.") % {"ref": referral.reference})
    return render(request, "referrals/steps/take.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Without a unit: the chooser (the ranking, each with "Choose", and any other unit). With `?unit=`: a
    short page confirming that unit, saying why it needs a reason if it is outside the ranking. "Another
    unit" posted with a written reason is proposed at once (the reason is the deliberate choice); without
    one it goes to the confirm page, which says whether the unit needs one and why."""
    referral, offered = referral_for(request, pk, action=Action.PROPOSE)
    if Action.PROPOSE not in offered:
        return not_now(request, referral, Action.PROPOSE)
    if request.method == "POST" and "chosen" not in request.POST:
        unit = _chosen_unit(referral, request.POST.get("unit"))
        if unit is not None and not request.POST.get("reason", "").strip():
            return redirect(f"{reverse('referrals:propose', args=[referral.pk])}?unit={unit.pk}")
    if request.method == "POST":
        chosen = _chosen_unit(referral, request.POST.get("chosen") or request.POST.get("unit"))
    else:
        chosen = _chosen_unit(referral, request.GET.get("unit"))
    ranking = ranking_for(referral, unit_id=chosen.pk if chosen else None)
    if chosen is None:
        data = request.POST if request.method == "POST" else request.GET if "unit" in request.GET else None
        choice_form = UnitChoiceForm(data, referral=referral)
        if choice_form.is_bound:
            choice_form.is_valid()  # an unknown unit: said next to the field
        context = {"choice_form": choice_form, "referral": referral, "ranking": ranking}
        return render(request, "referrals/steps/propose.html", context)
    choice = _choice(ranking, chosen)
    form = ProposeForm(
        request.POST or None,
        referral=referral,
        chosen=True,
        reason_required=choice["outside"] or "",
        initial={"unit": str(chosen.pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_propose(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            message = _("%(ref)s was proposed to the receiving unit; they have been told by e-mail.")
            return _done(request, referral, message % {"ref": referral.reference})
    context = {"form": form, "referral": referral, "unit": chosen, **choice}
    return render(request, "referrals/steps/propose_confirm.html", context)


def _chosen_unit(referral: Referral, value: str | None) -> Unit | None:
    """The unit chosen on the page before, if it is one the request may be proposed to."""
    if not value or not value.isdigit():
        return None
    return units_to_propose(referral).filter(pk=int(value)).first()


def _choice(ranking: MatchResult, unit: Unit) -> dict[str, Any]:
    """The chosen unit's place in the ranking: its proposal (reasons) if ranked, its decline if it declined,
    and, outside the ranking, why it needs a reason (the service's rule and words)."""
    proposal = next((p for p in ranking.proposals if p.unit_id == unit.pk), None)
    declined = next((d for d in ranking.declined if d.unit_id == unit.pk), None)
    return {"proposal": proposal, "declined": declined, "outside": services.proposal_outside_ranking(ranking, unit)}


def _accept_form(request: AuthenticatedHttpRequest, referral: Referral, form_class: type[AcceptForm]) -> AcceptForm:
    offers = offers_to_accept(referral)
    first = offers.first()
    initial = {"planned_date": max(first.week_start, next_working_day(timezone.localdate()))} if first else None
    return form_class(request.POST or None, offers=offers, referral=referral, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.ACCEPT)
    if Action.ACCEPT not in offered:
        return not_now(request, referral, Action.ACCEPT)
    form = _accept_form(request, referral, AcceptForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_accept(referral=referral, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.NoFreeSlot as exc:
            form.add_error("offer", exc.message)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            message = _("%(ref)s was accepted; the sending unit and SOT have been told.")
            return _done(request, referral, message % {"ref": referral.reference})
    return render(request, "referrals/steps/accept.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def accept_by_phone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The SOT representative records the acceptance the receiving unit gave on the phone."""
    referral, offered = referral_for(request, pk, action=Action.ACCEPT_BY_PHONE)
    if Action.ACCEPT_BY_PHONE not in offered:
        return not_now(request, referral, Action.ACCEPT_BY_PHONE)
    form = _accept_form(request, referral, PhoneAcceptForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_accept_by_phone(referral=referral, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.NoFreeSlot as exc:
            form.add_error("offer", exc.message)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            message = _("%(ref)s: the acceptance given by phone was recorded; the sending unit has been told.")
            return _done(request, referral, message % {"ref": referral.reference})
    return render(request, "referrals/steps/accept_by_phone.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.DECLINE)
    if Action.DECLINE not in offered:
        return not_now(request, referral, Action.DECLINE)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_decline(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            # The unit no longer sees the request: back to its inbox, not to a page it may not open.
            message = _("%(ref)s was declined and is back with the SOT representative.")
            messages.success(request, message % {"ref": referral.reference})
            return redirect("work:inbox")
    return render(request, "referrals/steps/decline.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.COMPLETE)
    if Action.COMPLETE not in offered:
        return not_now(request, referral, Action.COMPLETE)
    # Care is usually marked as given on the day, or soon after: today, not the planned date, as the default.
    form = CompleteForm(request.POST or None, referral=referral, initial={"care_given_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_complete(referral=referral, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            return _done(request, referral, _("%(ref)s: care was marked as given.") % {"ref": referral.reference})
    return render(request, "referrals/steps/complete.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.CLOSE)
    if Action.CLOSE not in offered:
        return not_now(request, referral, Action.CLOSE)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_close(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            return _done(request, referral, _("%(ref)s was closed without coordination.") % {"ref": referral.reference})
    return render(request, "referrals/steps/close.html", {"form": form, "referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
def contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.RECORD_CONTACT)
    if Action.RECORD_CONTACT not in offered:
        return not_now(request, referral, Action.RECORD_CONTACT)
    initial = {
        "contacted_at": timezone.localtime().replace(second=0, microsecond=0),
        "sending_person": referral.contact_name,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        else:
            return _done(request, referral, _("The contact between the units was recorded."))
    return render(request, "referrals/steps/contact.html", {"form": form, "referral": referral})


@require_GET
@login_required
def obstacle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not user_scopes(request.user).sot_regions:
        raise PermissionDenied
    page = Paginator(obstacles_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # Each category's action plans are shown beside the obstacles by the actionplans app's template tag.
    return render(request, "referrals/obstacles.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
@login_required
def obstacle_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = Region.objects.filter(pk__in=user_scopes(request.user).sot_regions).order_by("name")
    if not regions:
        raise PermissionDenied
    form = ObstacleForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            services.obstacle_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The obstacle was recorded."))
            return redirect("work:obstacles")
    return render(request, "referrals/steps/obstacle_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def correct_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, offered = referral_for(request, pk, action=Action.CORRECT_GROUP)
    if Action.CORRECT_GROUP not in offered:
        return not_now(request, referral, Action.CORRECT_GROUP)
    form = GroupCorrectionForm(request.POST or None, initial={"diagnosis_group": referral.diagnosis_group_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_correct_group(referral=referral, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as exc:
            return _refused(request, referral, exc)
        return _done(request, referral, _("The diagnosis group was corrected."))
    return render(request, "referrals/steps/correct_group.html", {"form": form, "referral": referral})
