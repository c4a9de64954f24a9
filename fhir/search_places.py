"""Organization, Location, HealthcareService, Schedule, Slot and Subscription. Geography is reference
data any signed-in caller may read; capacity is what the caller works with (capacity.selectors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request

from capacity.models import CapacityOffer
from capacity.selectors import offers_visible_to
from fhir import systems
from fhir.bundles import Page, Source, count_of, page_number, paginate, searchset, summary_count, unknown_parameters
from fhir.params import date_condition, reference_id, token
from fhir.registry import Param, ResourceType, register
from fhir.resources.capacity import schedule, slot
from fhir.resources.organisations import (
    healthcare_region_resource,
    healthcare_service_resource,
    hospital_resource,
    location_resource,
    region_resource,
    unit_resource,
)
from organisations.models import HealthcareRegion, Hospital, Region, Unit

if TYPE_CHECKING:
    from accounts.models import User


def _same(rows: list[Any]) -> list[Any]:
    return rows


def _hsa_condition(request: Request) -> Q:
    result = Q()
    for value in request.query_params.getlist("identifier"):
        condition = Q(pk__in=[])
        for one in value.split(","):
            system, code = token(one)
            if system in (None, *systems.HSA_SYSTEMS) and code:
                condition |= Q(hsa_id=code)
        result &= condition
    return result


ORGANISATION_KINDS: dict[str, tuple[QuerySet[Any], Callable[[Any], dict[str, Any]]]] = {
    "healthcare-region": (HealthcareRegion.objects.all(), healthcare_region_resource),
    "region": (Region.objects.select_related("healthcare_region"), region_resource),
    "hospital": (Hospital.objects.select_related("region"), hospital_resource),
    "unit": (Unit.objects.select_related("hospital"), unit_resource),
}
IDENTIFIER = Param("identifier", "token", f"HSA-id, {systems.HSA_ID}|SE2321000016-…")


def organization_search(request: Request, user: User) -> dict[str, Any]:
    unknown_parameters(request, {"identifier", "type"})
    kinds = list(ORGANISATION_KINDS)
    for value in request.query_params.getlist("type"):
        asked = {token(v)[1] for v in value.split(",")}
        kinds = [k for k in kinds if k in asked]
    sources = [
        Source(
            rows=ORGANISATION_KINDS[kind][0].filter(_hsa_condition(request)).order_by("pk"),
            prepare=_same,
            resource=ORGANISATION_KINDS[kind][1],
        )
        for kind in kinds
    ]
    return searchset(request, paginate(request, sources))


def _split(pk: str, kinds: Any) -> tuple[str, int]:
    kind, _sep, number = pk.rpartition("-")
    if kind not in kinds or not number.isdigit():
        raise Http404
    return kind, int(number)


def organization_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    kind, number = _split(pk, ORGANISATION_KINDS)
    rows, resource = ORGANISATION_KINDS[kind]
    found = rows.filter(pk=number).first()
    if found is None:
        raise Http404
    return resource(found)


register(
    ResourceType(
        "Organization",
        search=organization_search,
        read=organization_read,
        params=(IDENTIFIER, Param("type", "token", "healthcare-region, region, hospital or unit")),
        documentation="healthcare-region-<id>, region-<id> (also its SOT function), hospital-<id>, unit-<id>.",
    )
)


def _simple(model_rows: QuerySet[Any], resource: Any, prefix: str) -> tuple[Any, Any]:
    def search(request: Request, user: User) -> dict[str, Any]:
        unknown_parameters(request, {"identifier"})
        rows = model_rows.filter(_hsa_condition(request)).order_by("pk")
        return searchset(request, paginate(request, [Source(rows=rows, prepare=_same, resource=resource)]))

    def read(request: Request, user: User, pk: str) -> dict[str, Any]:
        _kind, number = _split(pk, {prefix})
        found = model_rows.filter(pk=number).first()
        if found is None:
            raise Http404
        return resource(found)

    return search, read


location_search, location_read = _simple(Hospital.objects.select_related("region"), location_resource, "hospital")
register(ResourceType("Location", search=location_search, read=location_read, params=(IDENTIFIER,)))
service_search, service_read = _simple(Unit.objects.select_related("hospital"), healthcare_service_resource, "unit")
register(ResourceType("HealthcareService", search=service_search, read=service_read, params=(IDENTIFIER,)))


def _offers(user: User) -> QuerySet[CapacityOffer]:
    offers = offers_visible_to(user, today=timezone.localdate())
    if offers is None:
        raise exceptions.PermissionDenied
    return offers


SLOT_PARAMS = (
    Param("schedule", "reference", "Schedule/unit-<id>"),
    Param("status", "token", "free or busy"),
    Param("start", "date", "The week's Monday, e.g. ge2026-12-01"),
    Param("service-type", "token", f"Diagnosis group, {systems.DIAGNOSIS_GROUP}|<code>"),
)


def slot_search(request: Request, user: User) -> dict[str, Any]:
    rows = _offers(user)
    unknown_parameters(request, {p.name for p in SLOT_PARAMS})
    for value in request.query_params.getlist("schedule"):
        ids = [reference_id(v, "Schedule").removeprefix("unit-") for v in value.split(",")]
        rows = rows.filter(unit_id__in=[int(i) for i in ids if i.isdigit()])
    for value in request.query_params.getlist("status"):
        asked = set(value.split(","))
        free = Q(slots__gt=F("reserved_slots"))
        rows = rows.filter((free if "free" in asked else Q(pk__in=[])) | (~free if "busy" in asked else Q(pk__in=[])))
    for value in request.query_params.getlist("start"):
        condition = Q(pk__in=[])
        for one in value.split(","):
            condition |= date_condition("week_start", one)
        rows = rows.filter(condition)
    for value in request.query_params.getlist("service-type"):
        rows = rows.filter(diagnosis_group__code__in=[token(v)[1] for v in value.split(",")])
    return searchset(request, paginate(request, [Source(rows=rows, prepare=_same, resource=slot)]))


def slot_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    found = _offers(user).filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise Http404
    return slot(found)


register(ResourceType("Slot", search=slot_search, read=slot_read, params=SLOT_PARAMS))


def _schedule_units(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=_offers(user).values("unit_id")).select_related("hospital").order_by("pk")


def schedule_search(request: Request, user: User) -> dict[str, Any]:
    units = _schedule_units(user)
    unknown_parameters(request, {"actor"})
    for value in request.query_params.getlist("actor"):
        ids = [reference_id(v, "HealthcareService").removeprefix("unit-") for v in value.split(",")]
        units = units.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    return searchset(request, paginate(request, [Source(rows=units, prepare=_same, resource=schedule)]))


def schedule_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    _kind, number = _split(pk, {"unit"})
    found = _schedule_units(user).filter(pk=number).first()
    if found is None:
        raise Http404
    return schedule(found)


register(
    ResourceType(
        "Schedule",
        search=schedule_search,
        read=schedule_read,
        params=(Param("actor", "reference", "HealthcareService/unit-<id>"),),
        documentation="One per receiving unit with capacity offers the caller works with.",
    )
)


def subscription_search(request: Request, user: User) -> dict[str, Any]:
    """Subscriptions are not offered yet: the search is honest, an empty set."""
    unknown_parameters(request, set())
    count_of(request), page_number(request), summary_count(request)  # the same refusals as every search
    return searchset(request, Page(total=0, rows=[], number=page_number(request), count=count_of(request)))


register(
    ResourceType(
        "Subscription",
        search=subscription_search,
        read=None,
        documentation="Not offered yet: the search answers an empty set.",
    )
)
