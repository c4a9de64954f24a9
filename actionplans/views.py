"""Action plans: the list by obstacle category, a plan with its history, create, edit, change status.
Access is decided in actionplans.selectors; writes go through actionplans.services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from actionplans import selectors, services
from actionplans.forms import ActionPlanContentForm, ActionPlanCreateForm, StatusChangeForm
from actionplans.models import ActionPlan
from sot.forms import add_service_errors

if TYPE_CHECKING:
    from accounts.requests import AuthenticatedHttpRequest


def _require_access(request: AuthenticatedHttpRequest) -> None:
    if not selectors.has_access(request.user):
        raise PermissionDenied


@require_GET
@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_access(request)
    categories = selectors.categories_with_plans(request.user)
    return render(request, "actionplans/list.html", {"categories": categories})


@require_GET
@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_access(request)
    plan = selectors.plan_get_for(request.user, pk=pk)
    context = {
        "plan": plan,
        "history": selectors.history_of(plan),
        "can_change": selectors.can_change(request.user, plan),
    }
    return render(request, "actionplans/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_access(request)
    initial = {"category": request.GET.get("category", "")}
    form = ActionPlanCreateForm(request.POST or None, places=selectors.places_to_choose(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "place"}
        try:
            plan = services.plan_create(by=request.user, **form.place_kwargs(), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action plan was saved."))
            return redirect("actionplans:detail", plan.pk)
    return render(request, "actionplans/form.html", {"form": form, "plan": None})


def _changeable(request: AuthenticatedHttpRequest, pk: int) -> ActionPlan:
    _require_access(request)
    plan = selectors.plan_get_for(request.user, pk=pk)
    if not selectors.can_change(request.user, plan):
        raise PermissionDenied
    return plan


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _changeable(request, pk)
    form = ActionPlanContentForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        messages.success(request, _("The action plan was saved."))
        return redirect("actionplans:detail", plan.pk)
    return render(request, "actionplans/form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
@login_required
def plan_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _changeable(request, pk)
    form = StatusChangeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_change_status(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status was recorded."))
            return redirect("actionplans:detail", plan.pk)
    return render(request, "actionplans/status.html", {"form": form, "plan": plan})
