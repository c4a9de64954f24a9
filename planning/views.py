"""The group plan page for SOT representatives: their own region only (another region's answers 404)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from audit.services import access_record_many
from capacity.models import CapacityOffer
from organisations.models import Region
from planning.forms import PlanForm, chosen_assignments
from planning.plan import Plan, plan_group
from planning.services import Applied, plan_apply
from referrals.models import Referral


def _region_for(request: AuthenticatedHttpRequest, code: str) -> Region:
    """403 for a user who is no SOT representative, 404 for a region that is not theirs."""
    regions = user_scopes(request.user).sot_regions
    if not regions:
        raise PermissionDenied
    region = get_object_or_404(Region.objects.select_related("healthcare_region"), code=code)
    if region.pk not in regions:
        raise Http404
    return region


@require_GET
@login_required
def plan_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = user_scopes(request.user).sot_regions
    if not regions:
        raise PermissionDenied
    region = Region.objects.filter(pk__in=regions).order_by("code").first()
    if region is None:
        raise PermissionDenied
    return redirect("planning:plan", code=region.code)


@require_GET
@login_required
def plan(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    region = _region_for(request, code)
    form = PlanForm(request.GET or None, region=region)
    context: dict[str, Any] = {"form": form, "region": region, "plan": None}
    if form.is_bound and form.is_valid():
        result = plan_group(form.scope())
        context.update(_rows(result))
        context["plan"] = result
        context["apply_fields"] = [(name, value.pk) for name, value in form.cleaned_data.items() if value is not None]
        access_record_many(user=request.user, referrals=context["requests"].values(), what="planning:plan")
    return render(request, "planning/plan.html", context)


def _rows(result: Plan) -> dict[str, Any]:
    ids = [a.request_id for a in result.assignments] + [u.request_id for u in result.unassigned]
    requests = Referral.objects.select_related("priority", "sending_unit__hospital__region").in_bulk(ids)
    offers = CapacityOffer.objects.select_related("unit__hospital__region").in_bulk(
        [a.offer_id for a in result.assignments]
    )
    return {
        "requests": requests,
        "assignment_rows": [(a, requests[a.request_id], offers[a.offer_id]) for a in result.assignments],
        "unassigned_rows": [(u, requests[u.request_id]) for u in result.unassigned],
    }


@require_POST
@login_required
def apply(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    region = _region_for(request, code)
    form = PlanForm(request.POST, region=region)
    if not form.is_valid():
        messages.error(request, _("Choose a diagnosis group and plan again."))
        return redirect("planning:plan", code=region.code)
    applied = plan_apply(by=request.user, scope=form.scope(), chosen=chosen_assignments(request.POST.getlist("assign")))
    _tell(request, applied)
    query = {k: v.pk for k, v in form.cleaned_data.items() if v is not None}
    return redirect(f"{reverse('planning:plan', args=[region.code])}?{urlencode(query)}")


def _tell(request: AuthenticatedHttpRequest, applied: Applied) -> None:
    if applied.proposed:
        n = len(applied.proposed)
        text = ngettext(
            "%(n)s request was proposed to its receiving unit: %(refs)s.",
            "%(n)s requests were proposed to their receiving units: %(refs)s.",
            n,
        )
        messages.success(request, text % {"n": n, "refs": ", ".join(applied.proposed)})
    if applied.unchanged:
        text = _("No longer waiting, left as they are: %(refs)s.")
        messages.info(request, text % {"refs": ", ".join(applied.unchanged)})
    for reference, why in applied.refused:
        messages.warning(request, _("%(ref)s was not proposed: %(why)s") % {"ref": reference, "why": why})
    if not (applied.proposed or applied.unchanged or applied.refused):
        messages.info(request, _("No assignment was chosen."))
