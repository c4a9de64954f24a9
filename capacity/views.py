"""Receiving-unit staff publish and maintain their unit's free capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.requests import AuthenticatedHttpRequest
from capacity import services
from capacity.forms import CapacityOfferForm, SlotsForm
from capacity.selectors import offer_get_for, offers_of_units, receiving_units_of
from sot.forms import add_service_errors

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from organisations.models import Unit


def _units(user: User) -> QuerySet[Unit]:
    units = receiving_units_of(user)
    if not units:
        raise PermissionDenied
    return units


@require_GET
@login_required
def offer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _units(request.user)
    offers = offers_of_units(request.user, today=timezone.localdate())
    return render(request, "capacity/list.html", {"offers": offers, "units": units})


@require_http_methods(["GET", "POST"])
@login_required
def offer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _units(request.user)
    form = CapacityOfferForm(request.POST or None, units=units, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            offers = services.capacity_publish(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            published = ngettext(
                "%(n)s weekly offer was published.", "%(n)s weekly offers were published.", len(offers)
            )
            messages.success(request, published % {"n": len(offers)})
            return redirect("capacity:list")
    return render(request, "capacity/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def offer_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_get_for(request.user, pk=pk)
    form = SlotsForm(request.POST or None, initial={"slots": offer.slots})
    if request.method == "POST" and form.is_valid():
        try:
            services.capacity_change_slots(by=request.user, offer=offer, slots=form.cleaned_data["slots"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The number of slots was changed."))
            return redirect("capacity:list")
    return render(request, "capacity/change.html", {"form": form, "offer": offer})


@require_http_methods(["GET", "POST"])
@login_required
def offer_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_get_for(request.user, pk=pk)
    if request.method == "POST":
        try:
            services.capacity_withdraw(by=request.user, offer=offer)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The offer was withdrawn."))
        return redirect("capacity:list")
    return render(request, "capacity/withdraw.html", {"offer": offer})
