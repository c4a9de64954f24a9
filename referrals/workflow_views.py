"""The coordination workflow: the SOT queue, the receiving inbox, each step as a small confirmation
form, and obstacles to cooperation. Every step goes through the one transition service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.selectors import user_scopes
from audit.services import access_record, access_record_many
from capacity.matching import rank_receiving_units
from capacity.selectors import offers_to_accept
from organisations.models import Region
from referrals import services
from referrals.filters import QueueFilter
from referrals.forms import (
    AcceptForm,
    CloseForm,
    CompleteForm,
    ContactForm,
    DeclineForm,
    GroupCorrectionForm,
    NoteForm,
    ObstacleForm,
    ProposeForm,
)
from referrals.lifecycle import TRANSITIONS, Action, allowed_actions
from referrals.models import ReferralStatus
from referrals.selectors import (
    obstacles_visible_to,
    receiving_inbox,
    referral_get_for,
    referral_roles,
    sot_queue,
    status_counts,
    wait_status_of,
)
from sot.forms import add_service_errors

PAGE_SIZE = 25


def _referral_shown(request, pk: int):
    """The request if the user may see it (else 404); a GET shows it, so it is logged."""
    referral = referral_get_for(request.user, pk=pk)
    if request.method == "GET":
        access_record(user=request.user, referral=referral, what=request.resolver_match.view_name)
    return referral


@require_GET
@login_required
def queue(request):
    regions = user_scopes(request.user).sot_regions
    if not regions:
        raise PermissionDenied
    today = timezone.localdate()
    base = sot_queue(request.user, today=today)
    filterset = QueueFilter(request.GET or None, queryset=base, regions=regions, today=today)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _logged_rows(request, page.object_list, today, "work:queue"),
            "counts": status_counts(base),
            "regions": Region.objects.filter(pk__in=regions),
            "query": query.urlencode(),
        },
    )


def _logged_rows(request, referrals, today, what: str):
    access_record_many(user=request.user, referrals=referrals, what=what)
    return [(r, wait_status_of(r, today=today)) for r in referrals]


@require_GET
@login_required
def inbox(request):
    if not user_scopes(request.user).receiving_units:
        raise PermissionDenied
    today = timezone.localdate()
    referrals = list(receiving_inbox(request.user))
    proposed = [(r, wait_status_of(r, today=today)) for r in referrals if r.status == ReferralStatus.PROPOSED]
    accepted = [r for r in referrals if r.status == ReferralStatus.ACCEPTED]
    # Exactly the requests the page shows are logged as read.
    access_record_many(user=request.user, referrals=[r for r, _wait in proposed] + accepted, what="work:inbox")
    return render(request, "referrals/inbox.html", {"proposed": proposed, "accepted": accepted})


def _step(
    request,
    pk: int,
    *,
    action: str,
    form_factory: Callable,
    perform: Callable,
    done: str,
    title: str,
    submit_label: str,
    intro: str = "",
    submit_class: str = "btn-primary",
    extra: Callable | None = None,
):
    """One lifecycle step: 404 outside scope, 403 for a role that never may, the form, the service."""
    referral = _referral_shown(request, pk)
    roles = referral_roles(request.user, referral)
    if not roles & TRANSITIONS[action].roles:
        raise PermissionDenied
    if action not in allowed_actions(status=referral.status, roles=roles):
        messages.info(
            request,
            _("The request is %(status)s; this step is not possible now.")
            % {"status": referral.get_status_display().lower()},
        )
        return redirect("referrals:detail", pk=referral.pk)
    form = form_factory(request.POST or None, referral)
    if request.method == "POST" and form.is_valid():
        try:
            perform(referral, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.TransitionNotAllowed as exc:
            if isinstance(exc, services.NoFreeSlot):
                form.add_error("offer", exc.message)
            else:
                messages.error(request, exc.message)
                return redirect("referrals:detail", pk=referral.pk)
        else:
            messages.success(request, done % {"ref": referral.reference})
            return redirect("referrals:detail", pk=referral.pk)
    context = {
        "form": form,
        "referral": referral,
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "submit_class": submit_class,
    }
    if extra:
        context.update(extra(referral))
    return render(request, "referrals/step.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def take(request, pk: int):
    return _step(
        request,
        pk,
        action=Action.TAKE,
        form_factory=lambda data, referral: NoteForm(data),
        perform=lambda referral, data: services.referral_take(referral=referral, by=request.user),
        done=gettext_lazy("%(ref)s is now in review with you."),
        title=gettext_lazy("Take into review"),
        intro=gettext_lazy("You take responsibility for finding a receiving unit for this patient."),
        submit_label=gettext_lazy("Take into review"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def propose(request, pk: int):
    def form_factory(data, referral):
        initial = {"unit": request.GET.get("unit")} if request.GET.get("unit") else None
        return ProposeForm(data, referral=referral, initial=initial)

    return _step(
        request,
        pk,
        action=Action.PROPOSE,
        form_factory=form_factory,
        perform=lambda referral, data: services.referral_propose(referral=referral, by=request.user, **data),
        done=gettext_lazy("%(ref)s was proposed to the receiving unit; they have been told by e-mail."),
        title=gettext_lazy("Propose a receiving unit"),
        intro=gettext_lazy(
            "The receiving unit sees the request in its inbox and accepts or declines it. Contact between the "
            "units is yours to make sure of."
        ),
        submit_label=gettext_lazy("Propose"),
        extra=lambda referral: {"matching": rank_receiving_units(referral)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def accept(request, pk: int):
    def form_factory(data, referral):
        offers = offers_to_accept(referral)
        first = offers.first()
        return AcceptForm(data, offers=offers, initial={"planned_date": first.week_start} if first else None)

    return _step(
        request,
        pk,
        action=Action.ACCEPT,
        form_factory=form_factory,
        perform=lambda referral, data: services.referral_accept(referral=referral, by=request.user, **data),
        done=gettext_lazy("%(ref)s was accepted; the sending unit and SOT have been told."),
        title=gettext_lazy("Accept the patient"),
        intro=gettext_lazy("Give the planned date of care. One slot of the chosen week is reserved for the patient."),
        submit_label=gettext_lazy("Accept"),
        submit_class="btn-success",
    )


@require_http_methods(["GET", "POST"])
@login_required
def decline(request, pk: int):
    return _step(
        request,
        pk,
        action=Action.DECLINE,
        form_factory=lambda data, referral: DeclineForm(data),
        perform=lambda referral, data: services.referral_decline(referral=referral, by=request.user, **data),
        done=gettext_lazy("%(ref)s was declined and is back with the SOT representative."),
        title=gettext_lazy("Decline the patient"),
        intro=gettext_lazy("The request goes back to the SOT representative, who looks for another unit."),
        submit_label=gettext_lazy("Decline"),
        submit_class="btn-danger",
    )


@require_http_methods(["GET", "POST"])
@login_required
def complete(request, pk: int):
    return _step(
        request,
        pk,
        action=Action.COMPLETE,
        form_factory=lambda data, referral: CompleteForm(data, initial={"care_given_date": referral.planned_date}),
        perform=lambda referral, data: services.referral_complete(referral=referral, by=request.user, **data),
        done=gettext_lazy("%(ref)s: care was marked as given."),
        title=gettext_lazy("Mark care as given"),
        submit_label=gettext_lazy("Mark care as given"),
        submit_class="btn-success",
    )


@require_http_methods(["GET", "POST"])
@login_required
def close(request, pk: int):
    return _step(
        request,
        pk,
        action=Action.CLOSE,
        form_factory=lambda data, referral: CloseForm(data),
        perform=lambda referral, data: services.referral_close(referral=referral, by=request.user, **data),
        done=gettext_lazy("%(ref)s was closed without coordination."),
        title=gettext_lazy("Close without coordination"),
        intro=gettext_lazy(
            "Closing ends SOT's work on the request. Say why; raise an obstacle if one stood in the way."
        ),
        submit_label=gettext_lazy("Close"),
        submit_class="btn-danger",
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact(request, pk: int):
    referral = _referral_shown(request, pk)
    if Role.SOT_REPRESENTATIVE not in referral_roles(request.user, referral):
        raise PermissionDenied
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
            messages.error(request, exc.message)
            return redirect("referrals:detail", pk=referral.pk)
        else:
            messages.success(request, _("The contact between the units was recorded."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/step.html",
        {
            "form": form,
            "referral": referral,
            "title": _("Record contact between the units"),
            "intro": _(
                "SOT makes sure the sending and the receiving unit have spoken. Record who spoke with whom, and when."
            ),
            "submit_label": _("Record the contact"),
            "submit_class": "btn-primary",
        },
    )


@require_GET
@login_required
def obstacle_list(request):
    if not user_scopes(request.user).sot_regions:
        raise PermissionDenied
    page = Paginator(obstacles_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/obstacles.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
@login_required
def obstacle_create(request):
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
    return render(
        request,
        "referrals/step.html",
        {
            "form": form,
            "title": _("Record an obstacle to cooperation"),
            "intro": _("Obstacles go to the monthly report to the health directors."),
            "submit_label": _("Record"),
            "submit_class": "btn-primary",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def correct_group(request, pk: int):
    referral = _referral_shown(request, pk)
    if Role.SOT_REPRESENTATIVE not in referral_roles(request.user, referral):
        raise PermissionDenied
    form = GroupCorrectionForm(request.POST or None, initial={"diagnosis_group": referral.diagnosis_group_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_correct_group(referral=referral, by=request.user, **form.cleaned_data)
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The diagnosis group was corrected."))
        return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/step.html",
        {
            "form": form,
            "referral": referral,
            "title": _("Correct the diagnosis group"),
            "intro": _(
                "The monthly report counts patients by diagnosis group. Correct it when the code's group does not fit."
            ),
            "submit_label": _("Save"),
            "submit_class": "btn-primary",
        },
    )
