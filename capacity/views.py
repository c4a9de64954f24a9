"""Receiving-unit staff publish and maintain their unit's free capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.requests import AuthenticatedHttpRequest
from capacity import services
from capacity.forms import CapacityOfferForm, SlotsForm
from capacity.models import confirmation_stale
from capacity.selectors import confirmation_days, offer_get_for, offers_of_units, receiving_units_of
from capacity.weeks import format_week, monday_of
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
    today = timezone.localdate()
    offers = list(offers_of_units(request.user, today=today))
    days = confirmation_days()
    unconfirmed = {o.pk for o in offers if confirmation_stale(o.confirmed_on, today=today, days=days)}
    context = {"offers": offers, "units": units, "unconfirmed": unconfirmed, "confirmation_days": days}
    return render(request, "capacity/list.html", context)


@require_POST
@login_required
def offers_confirm(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    """One click: the unit's offers from this week on are still right as they stand."""
    unit = get_object_or_404(_units(request.user), pk=unit_pk)
    today = timezone.localdate()
    confirmed = services.capacity_confirm_all(by=request.user, unit=unit, today=today)
    if confirmed:
        message = ngettext(
            "%(n)s offer of %(unit)s from %(week)s on was confirmed.",
            "%(n)s offers of %(unit)s from %(week)s on were confirmed.",
            confirmed,
        )
        week = format_week(monday_of(today))
        messages.success(request, message % {"n": confirmed, "unit": unit.name, "week": week})
    else:
        messages.info(request, _("%(unit)s has no offers from this week on to confirm.") % {"unit": unit.name})
    return redirect("capacity:list")


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
