"""Task update (PUT Task/<id>, the whole Task): a receiving unit's staff accept or decline the request by
updating the unit's Task; the change goes through the same services as the pages and the REST API
(referrals.services: lifecycle, locking, history). Only `status` (with what the step needs) is read:
`accepted` takes the planned date from `restriction.period.start`, `rejected` its reason from
`statusReason`. The version (meta.versionId, the weak ETag) is the number of events in the request's
history; `If-Match` with another version is 412, checked under the request's row lock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.steps import AcceptInput, DeclineInput
from api.views.common import run_service
from audit.services import access_record
from fhir import systems
from fhir.outcomes import Invalid, PreconditionFailed, Unprocessable, outcome
from fhir.registry import TYPES
from fhir.search_requests import requests_of, task_read, unit_task_rows
from fhir.versions import matches, version
from referrals import services
from referrals.lifecycle import TRANSITIONS, Action
from referrals.models import Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.selectors import referral_roles

if TYPE_CHECKING:
    from accounts.models import User

TASK_INPUT = f"{systems.OURS}/CodeSystem/task-input"  # Task.input[].type: care-form, confirm-late, offer
# Where each field of the step's body comes from, as a FHIRPath in the OperationOutcome.
PATHS = {
    "planned_date": "Task.restriction.period.start",
    "care_form": "Task.input.where(type.coding.code='care-form')",
    "confirm_late": "Task.input.where(type.coding.code='confirm-late')",
    "offer": "Task.input.where(type.coding.code='offer')",
    "reason": "Task.statusReason",
    "note": "Task.note",
}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _input(resource: dict[str, Any], code: str, kind: str) -> Any:
    for entry in resource.get("input") or []:
        if not isinstance(entry, dict):
            continue
        concept = _dict(entry.get("type"))
        codes = {c.get("code") for c in concept.get("coding") or [] if isinstance(c, dict)}
        if code in codes:
            return entry.get(kind)
    return None


def _note(resource: dict[str, Any]) -> str:
    notes = resource.get("note") or []
    if not isinstance(notes, list):
        raise Invalid(_("Task.note is a list of annotations."))
    return "\n".join(str(n.get("text") or "") for n in notes if isinstance(n, dict)).strip()


def _issues(detail: Any) -> list[tuple[str, str]]:
    if isinstance(detail, dict):
        return [
            (str(message), PATHS.get(str(field), ""))
            for field, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
    return [(str(message), "") for message in (detail if isinstance(detail, list) else [detail])]


def _validated(body: type[AcceptInput] | type[DeclineInput], data: dict[str, Any], **context: Any) -> dict[str, Any]:
    serializer = body(data=data, context=context)
    if not serializer.is_valid():
        raise Unprocessable(_issues(serializer.errors))
    return dict(serializer.validated_data)


def accept_body(resource: dict[str, Any]) -> dict[str, Any]:
    planned = _dict(_dict(resource.get("restriction")).get("period")).get("start")
    if not planned:
        message = _("Give the planned date as Task.restriction.period.start.")
        raise Unprocessable([(message, PATHS["planned_date"])])
    body: dict[str, Any] = {"planned_date": str(planned)[:10], "note": _note(resource)}
    care_form = _input(resource, "care-form", "valueCode")
    if care_form is not None:
        body["care_form"] = care_form
    confirm_late = _input(resource, "confirm-late", "valueBoolean")
    if confirm_late is not None:
        body["confirm_late"] = confirm_late
    offer = _input(resource, "offer", "valueReference")
    if isinstance(offer, dict) and isinstance(offer.get("reference"), str):
        found = offer["reference"].removeprefix("Slot/")
        body["offer"] = int(found) if found.isdigit() else found  # the input refuses anything else
    return body


def decline_body(resource: dict[str, Any]) -> dict[str, Any]:
    reason = _dict(resource.get("statusReason"))
    codes = [c.get("code") for c in reason.get("coding") or [] if isinstance(c, dict) and c.get("code")]
    if not codes:
        raise Unprocessable([(_("Give the reason of the decline as Task.statusReason."), PATHS["reason"])])
    return {"reason": codes[0], "note": _note(resource)}


def _resource(request: Request, pk: str) -> dict[str, Any]:
    resource: Any = request.data
    if not isinstance(resource, dict) or resource.get("resourceType") != "Task":
        raise Invalid(_("Send a Task (resourceType Task)."))
    if resource.get("id") != pk:
        raise Invalid(_("The Task's id must be the id in the address."))
    if not isinstance(resource.get("status"), str):
        raise Invalid(_("A Task has a status."))
    return resource


def _proposal(request: Request, user: User, pk: str) -> ReferralEvent:
    """The unit's Task as its read finds it: 404 outside the caller's sight, 403 for anyone but the
    receiving unit's staff (the sending side may change only what FHIR's placer may, which SOT has no
    service for: a coordination Task is refused with 422)."""
    kind, _sep, number = pk.partition("-")
    if not number.isdigit() or kind not in ("coordination", "proposal"):
        raise Http404
    if kind == "coordination":
        if not requests_of(user).filter(pk=int(number), submitted_at__isnull=False).exists():
            raise Http404
        message = _("The coordination Task changes only through SOT's own steps; it cannot be updated here.")
        raise Unprocessable([(message, "Task")])
    proposal = unit_task_rows(request, user).filter(pk=int(number)).first()
    if proposal is None:
        raise Http404
    if not referral_roles(user, proposal.referral) & TRANSITIONS[Action.ACCEPT].roles:
        raise exceptions.PermissionDenied
    return proposal


def _current(proposal: ReferralEvent, referral: Referral) -> bool:
    """Is this proposal the one the request is with now (not declined, the request still proposed)?"""
    return (
        not getattr(proposal, "declined_at", None)
        and referral.status == S.PROPOSED
        and referral.receiving_unit_id == proposal.receiving_unit_id
    )


def task_update(request: Request, user: User, pk: str) -> Response:
    resource = _resource(request, pk)
    proposal = _proposal(request, user, pk)
    wanted = resource["status"]
    if wanted not in ("accepted", "rejected"):
        message = _("A receiving unit updates its Task to accepted or rejected.")
        raise Unprocessable([(message, "Task.status")])
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=proposal.referral.pk)
        condition = request.headers.get("If-Match")
        if condition and not matches(condition, version(referral)):
            raise PreconditionFailed
        if not _current(proposal, referral):
            message = _("This Task is no longer open: the request is not with this unit now.")
            raise Unprocessable([(message, "Task.status")])
        if wanted == "accepted":
            data = _validated(AcceptInput, accept_body(resource), referral=referral)
            step: Callable[[], Any] = partial(services.referral_accept, referral=referral, by=user, **data)
        else:
            data = _validated(DeclineInput, decline_body(resource))
            step = partial(services.referral_decline, referral=referral, by=user, **data)
        try:
            run_service(step)
        except exceptions.ValidationError as exc:
            raise Unprocessable(_issues(exc.detail)) from None
    if wanted == "rejected":  # the declining unit no longer sees the request, nor its Task
        access_record(user=user, referral=referral, what="fhir:Task")
        note = _("Declined: the request went back to the SOT function and is no longer shown to your unit.")
        body = outcome(200, [(str(note), "")])
        body["issue"][0].update({"severity": "information", "code": "informational"})
        return Response(body)
    return Response(task_read(request, user, pk))


TYPES["Task"] = replace(TYPES["Task"], update=task_update)
