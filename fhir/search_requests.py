"""ServiceRequest, Patient and Task: read and search, through the requests the caller sees
(referrals.selectors) and the access log (audit.services), exactly as the pages and the REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.selectors import user_scopes
from audit.services import access_record, access_record_many
from fhir import systems
from fhir.bundles import Source, not_in_the_address, paginate, searchset, unknown_parameters
from fhir.models import PlacerIdentifier
from fhir.outcomes import Invalid
from fhir.params import date_condition, reference_id, token
from fhir.registry import Param, ResourceType, register
from fhir.resources.requests import (
    COORDINATION_TASK_STATUS,
    SERVICE_REQUEST_STATUS,
    coordination_task,
    patient,
    service_request,
)
from fhir.resources.requests import unit_task as unit_task_resource
from fhir.versions import versioned
from referrals.models import EventKind, Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.selectors import proposals_visible_to, referrals_visible_to
from sot.personal_numbers import normalize_personal_number

if TYPE_CHECKING:
    from accounts.models import User

RELATED = (
    "patient",
    "priority",
    "patient_home_region",
    "sending_unit__hospital__region",
    "receiving_unit__hospital__region",
)


def sees_requests(user: User) -> None:
    """A search of patient data needs a role that sees requests; a health director or an administrator
    has none (403). A single resource outside the caller's scope is a 404, as on the pages."""
    scopes = user_scopes(user)
    if not (scopes.unit_staff_units or scopes.sot_regions or scopes.receiving_units):
        raise exceptions.PermissionDenied


def requests_of(user: User) -> QuerySet[Referral]:
    return referrals_visible_to(user).select_related(*RELATED).prefetch_related("placer_identifiers")


def _values(request: Request, name: str) -> list[list[str]]:
    """Each occurrence of a parameter (AND), each split at commas (OR)."""
    return [value.split(",") for value in request.query_params.getlist(name)]


def _patient_condition(values: list[str], field: str = "patient__personal_number") -> Q:
    condition = Q(pk__in=[])
    for value in values:
        system, code = token(value)
        if system not in (None, *systems.PATIENT_SYSTEMS):
            continue
        try:
            condition |= Q(**{field: normalize_personal_number(code)})
        except ValidationError as exc:
            raise Invalid(exc.messages[0]) from None
    return condition


def _organisation_ids(values: list[str], kind: str) -> list[int]:
    ids = []
    for value in values:
        found = reference_id(value, "Organization")
        if found.startswith(f"{kind}-") and found[len(kind) + 1 :].isdigit():
            ids.append(int(found[len(kind) + 1 :]))
    return ids


def _referral_pks(values: list[str]) -> list[int]:
    ids = [reference_id(v, "ServiceRequest") for v in values]
    return [int(i) for i in ids if i.isdigit()]


def _statuses(values: list[str], table: dict[S, str]) -> list[str]:
    return [status.value for status, code in table.items() if code in values]


SERVICE_REQUEST_PARAMS = (
    Param("identifier", "token", f"The SOT reference, {systems.REFERENCE}|SOT-2026-000123"),
    Param(
        "patient.identifier",
        "token",
        f"The patient's personnummer, {systems.PERSONNUMMER}|191212121212; only with POST _search",
    ),
    Param("subject:Patient.identifier", "token", "The same as patient.identifier; only with POST _search"),
    Param("status", "token", "draft, active, completed, revoked"),
    Param("requester", "reference", "The sending unit, Organization/unit-<id>"),
    Param("performer", "reference", "The receiving unit, Organization/unit-<id>"),
    Param("authored", "date", "When the request was submitted, e.g. ge2026-11-01"),
    Param("_lastUpdated", "date", "When the request last changed"),
)


PERSONAL = {"patient.identifier", "subject:Patient.identifier"}


def _filter_requests(request: Request, rows: QuerySet[Referral]) -> QuerySet[Referral]:
    unknown_parameters(request, {p.name for p in SERVICE_REQUEST_PARAMS})
    not_in_the_address(request, PERSONAL)
    for values in _values(request, "identifier"):
        condition = Q(pk__in=[])
        for value in values:
            system, code = token(value)
            if system in (None, systems.REFERENCE):
                condition |= Q(reference__iexact=code)
            if system:
                placed = PlacerIdentifier.objects.filter(system=system, value=code).values("referral_id")
                condition |= Q(pk__in=placed)
        rows = rows.filter(condition)
    for name in ("patient.identifier", "subject:Patient.identifier"):
        for values in _values(request, name):
            rows = rows.filter(_patient_condition(values))
    for values in _values(request, "status"):
        rows = rows.filter(status__in=_statuses(values, SERVICE_REQUEST_STATUS))
    for values in _values(request, "requester"):
        rows = rows.filter(sending_unit_id__in=_organisation_ids(values, "unit"))
    for values in _values(request, "performer"):
        rows = rows.filter(receiving_unit_id__in=_organisation_ids(values, "unit"))
    for name, field in (("authored", "submitted_at"), ("_lastUpdated", "updated_at")):
        for values in _values(request, name):
            condition = Q(pk__in=[])
            for value in values:
                condition |= date_condition(field, value)
            rows = rows.filter(condition)
    return rows


def _logged(user: User, what: str) -> Any:
    def prepare(rows: list[Referral]) -> list[Referral]:
        access_record_many(user=user, referrals=rows, what=what)
        return rows

    return prepare


def service_request_search(request: Request, user: User) -> dict[str, Any]:
    sees_requests(user)
    rows = _filter_requests(request, requests_of(user)).order_by("-created_at", "-id")
    source = Source(rows=rows, prepare=_logged(user, "fhir:ServiceRequest"), resource=service_request)
    return searchset(request, paginate(request, [source]))


def _referral_for(user: User, pk: str) -> Referral:
    if not pk.isdigit():
        raise Http404
    referral = requests_of(user).filter(pk=int(pk)).first()
    if referral is None:
        raise Http404
    return referral


def service_request_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    referral = _referral_for(user, pk)
    access_record(user=user, referral=referral, what="fhir:ServiceRequest")
    return versioned(service_request(referral), referral)


register(
    ResourceType(
        "ServiceRequest",
        search=service_request_search,
        read=service_request_read,
        params=SERVICE_REQUEST_PARAMS,
        versioned=True,
        documentation="One per coordination request. The patient is Patient/request-<id>.",
    )
)

PATIENT_PARAMS = (
    Param("identifier", "token", "Personnummer or samordningsnummer, system|number; only with POST _search"),
)


def patient_search(request: Request, user: User) -> dict[str, Any]:
    sees_requests(user)
    unknown_parameters(request, {"identifier"})
    not_in_the_address(request, {"identifier"})
    rows = requests_of(user)
    for values in _values(request, "identifier"):
        rows = rows.filter(_patient_condition(values))
    source = Source(rows=rows.order_by("-created_at", "-id"), prepare=_logged(user, "fhir:Patient"), resource=patient)
    return searchset(request, paginate(request, [source]))


def patient_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    if not pk.startswith("request-"):
        raise Http404
    referral = _referral_for(user, pk.removeprefix("request-"))
    access_record(user=user, referral=referral, what="fhir:Patient")
    return patient(referral)


register(
    ResourceType(
        "Patient",
        search=patient_search,
        read=patient_read,
        params=PATIENT_PARAMS,
        documentation="The patient as one request's sending care provider recorded them: one per request.",
    )
)

TASK_PARAMS = (
    Param("owner", "reference", "Organization/region-<id> (coordination Tasks) or Organization/unit-<id>"),
    Param("status", "token", "FHIR's Task status: requested, received, in-progress, accepted, rejected, …"),
    Param("business-status", "token", f"SOT's state, {systems.REFERRAL_STATUS}|proposed"),
    Param("focus", "reference", "ServiceRequest/<id>"),
)
UNIT_TASK_CONDITIONS = {
    "rejected": Q(declined_at__isnull=False),
    "requested": Q(declined_at__isnull=True, referral__status=S.PROPOSED),
    "accepted": Q(declined_at__isnull=True, referral__status=S.ACCEPTED),
    "completed": Q(declined_at__isnull=True, referral__status=S.COMPLETED),
    "cancelled": Q(declined_at__isnull=True, referral__status__in=[S.WITHDRAWN, S.CLOSED]),
}


def coordination_rows(request: Request, user: User) -> QuerySet[Referral]:
    rows = requests_of(user).filter(submitted_at__isnull=False)
    for values in _values(request, "owner"):
        rows = rows.filter(sending_unit__hospital__region_id__in=_organisation_ids(values, "region"))
    for values in _values(request, "status"):
        rows = rows.filter(status__in=_statuses(values, COORDINATION_TASK_STATUS))
    for values in _values(request, "business-status"):
        rows = rows.filter(status__in=[token(v)[1] for v in values])
    for values in _values(request, "focus"):
        rows = rows.filter(pk__in=_referral_pks(values))
    return rows.order_by("-submitted_at", "-id")


def unit_task_rows(request: Request, user: User) -> QuerySet[ReferralEvent]:
    """Proposals with the time and reason of the unit's decline, if it declined this proposal. A decline's
    own event names no unit (the request has none after it): it ends the proposal before it, so a proposal
    was declined when the next proposal-or-decline event of its request is a decline (referrals.proposals)."""
    following = (
        ReferralEvent.objects.filter(
            referral_id=OuterRef("referral_id"), kind__in=[EventKind.PROPOSED, EventKind.DECLINED]
        )
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
        .order_by("at", "id")
    )
    declined = Q(next_kind=EventKind.DECLINED)
    rows = (
        proposals_visible_to(user)
        .annotate(
            next_kind=Subquery(following.values("kind")[:1]),
            next_at=Subquery(following.values("at")[:1]),
            next_reason=Subquery(following.values("reason")[:1]),
        )
        .annotate(
            declined_at=Case(When(declined, then=F("next_at")), default=None),
            decline_reason=Case(When(declined, then=F("next_reason")), default=Value("")),
        )
        .select_related(*(f"referral__{r}" for r in RELATED), "receiving_unit__hospital")
    )
    for values in _values(request, "owner"):
        rows = rows.filter(receiving_unit_id__in=_organisation_ids(values, "unit"))
    for values in _values(request, "status"):
        condition = Q(pk__in=[])
        for value in values:
            condition |= UNIT_TASK_CONDITIONS.get(value, Q(pk__in=[]))
        rows = rows.filter(condition)
    for values in _values(request, "business-status"):
        codes = [token(v)[1] for v in values]
        condition = Q(declined_at__isnull=False) if "declined" in codes else Q(pk__in=[])
        rows = rows.filter(condition | Q(declined_at__isnull=True, referral__status__in=codes))
    for values in _values(request, "focus"):
        rows = rows.filter(referral_id__in=_referral_pks(values))
    return rows.order_by("-at", "-id")


def task_search(request: Request, user: User) -> dict[str, Any]:
    sees_requests(user)
    unknown_parameters(request, {p.name for p in TASK_PARAMS} | {"_include"})
    include = request.query_params.getlist("_include")
    if any(value != "Task:focus" for value in include):
        raise Invalid(_("Only _include=Task:focus is supported."))
    shown: dict[int, Referral] = {}

    def log_referrals(rows: list[Referral]) -> list[Referral]:
        shown.update((r.pk, r) for r in rows)
        return rows

    def log_proposals(rows: list[ReferralEvent]) -> list[ReferralEvent]:
        shown.update((p.referral.pk, p.referral) for p in rows)
        return rows

    sources = [
        Source(rows=coordination_rows(request, user), prepare=log_referrals, resource=coordination_task),
        Source(rows=unit_task_rows(request, user), prepare=log_proposals, resource=unit_task_resource),
    ]
    page = paginate(request, sources)
    if shown:
        access_record_many(user=user, referrals=list(shown.values()), what="fhir:Task")
    included = []
    if include and shown:  # read again with what a ServiceRequest shows: two queries, whatever the page's size
        included = [service_request(r) for r in requests_of(user).filter(pk__in=shown).order_by("-created_at", "-id")]
    return searchset(request, page, included=included)


def task_read(request: Request, user: User, pk: str) -> dict[str, Any]:
    kind, _sep, number = pk.partition("-")
    if not number.isdigit() or kind not in ("coordination", "proposal"):
        raise Http404
    if kind == "coordination":
        referral = requests_of(user).filter(pk=int(number), submitted_at__isnull=False).first()
        if referral is None:
            raise Http404
        access_record(user=user, referral=referral, what="fhir:Task")
        return versioned(coordination_task(referral), referral)
    proposal = unit_task_rows(request, user).filter(pk=int(number)).first()
    if proposal is None:
        raise Http404
    access_record(user=user, referral=proposal.referral, what="fhir:Task")
    return versioned(unit_task_resource(proposal), proposal.referral)


register(
    ResourceType(
        "Task",
        search=task_search,
        read=task_read,
        params=TASK_PARAMS,
        versioned=True,
        includes=("Task:focus",),
        documentation="coordination-<id>: the SOT function's Task for a request; proposal-<id>: a receiving unit's.",
    )
)
