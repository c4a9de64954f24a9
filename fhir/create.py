"""ServiceRequest create, and conditional create (If-None-Exist): the FHIR resource is read into the REST
API's intake body (api.serializers.intake.ReferralInput), judged by the same rules and filed by the same
service (referrals.services.referral_save), so the pages, the REST API and FHIR file requests alike.
A refusal is a 422 OperationOutcome, one issue per message; nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors import user_scopes
from api.serializers.intake import ReferralInput
from api.views.common import run_service
from api.views.referrals import INTAKE_ALIASES
from audit.services import access_record
from catalog.models import ASA_ROMAN, MedicalPriority
from fhir import systems
from fhir.models import PlacerIdentifier
from fhir.outcomes import Invalid, Unprocessable
from fhir.params import token
from fhir.registry import TYPES
from fhir.resources.requests import service_request
from fhir.search_requests import requests_of
from organisations.models import Unit
from referrals import services

if TYPE_CHECKING:
    from accounts.models import User
    from referrals.models import Referral

ASA_CODES = {roman: number for number, roman in ASA_ROMAN.items()}
# Where each field of the intake body comes from, as a FHIRPath in the OperationOutcome.
PATHS = {
    "personal_number": "Patient.identifier",
    "patient_name": "Patient.name",
    "patient_phone": "Patient.telecom",
    "home_region": f"Patient.extension('{systems.EXT_HOME_REGION}')",
    "sending_unit": "ServiceRequest.requester",
    "icd10_code": "ServiceRequest.reasonCode",
    "priority": f"ServiceRequest.extension('{systems.EXT_MEDICAL_PRIORITY}')",
    "asa_class": f"ServiceRequest.extension('{systems.EXT_ASA_CLASS}')",
    "complicating_diseases": f"ServiceRequest.extension('{systems.EXT_COMPLICATING_DISEASES}')",
    "decision_date": f"ServiceRequest.extension('{systems.EXT_DECISION_DATE}')",
    "medical_target_date": "ServiceRequest.occurrencePeriod.end",
    "consent_referral": f"ServiceRequest.extension('{systems.EXT_CONSENT_REFERRAL}')",
    "consent_disclosure": f"ServiceRequest.extension('{systems.EXT_CONSENT_DISCLOSURE}')",
    "procedure_text": "ServiceRequest.code.text",
    "submit": "ServiceRequest.status",
}


def _extension(resource: dict[str, Any], url: str, kind: str) -> Any:
    for extension in resource.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == url:
            return extension.get(kind)
    return None


def _organisation_pk(reference: Any, kind: str) -> Any:
    """The id in Organization/<kind>-<id>, or the reference as it is (the input then refuses it)."""
    if isinstance(reference, dict) and isinstance(reference.get("reference"), str):
        found = reference["reference"].rpartition("/")[2]
        if found.startswith(f"{kind}-") and found[len(kind) + 1 :].isdigit():
            return int(found[len(kind) + 1 :])
        return found
    return reference


def _patient(resource: dict[str, Any]) -> dict[str, Any]:
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    contained = [c for c in resource.get("contained") or [] if isinstance(c, dict)]
    found = next(
        (c for c in contained if c.get("resourceType") == "Patient" and f"#{c.get('id')}" == reference),
        None,
    )
    if found is None:
        raise Unprocessable(
            [(_("Give the patient as a contained Patient that subject refers to (#id)."), "ServiceRequest.subject")]
        )
    return found


def _personal_number(patient: dict[str, Any]) -> Any:
    for identifier in patient.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("system") in systems.PATIENT_SYSTEMS:
            return identifier.get("value")
    return ""


def _name(patient: dict[str, Any]) -> Any:
    names = patient.get("name") or []
    first = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    if first.get("text"):
        return first["text"]
    given = first.get("given") or []
    parts = [*(given if isinstance(given, list) else [given]), first.get("family") or ""]
    return " ".join(str(p) for p in parts if p)


def _phone(patient: dict[str, Any]) -> Any:
    for telecom in patient.get("telecom") or []:
        if isinstance(telecom, dict) and telecom.get("system") == "phone":
            return telecom.get("value", "")
    return ""


def _icd10(resource: dict[str, Any]) -> Any:
    for concept in resource.get("reasonCode") or []:
        for coding in (concept.get("coding") or []) if isinstance(concept, dict) else []:
            if isinstance(coding, dict) and coding.get("system") in (None, systems.ICD10):
                return coding.get("code", "")
    return ""


def _priority(resource: dict[str, Any]) -> Any:
    coding = _extension(resource, systems.EXT_MEDICAL_PRIORITY, "valueCoding")
    if not isinstance(coding, dict):
        return None
    found = MedicalPriority.objects.filter(code=coding.get("code"), is_active=True).values_list("pk", flat=True).first()
    return found if found is not None else str(coding.get("code"))


def _asa(resource: dict[str, Any]) -> tuple[Any, bool]:
    coding = _extension(resource, systems.EXT_ASA_CLASS, "valueCoding")
    if not isinstance(coding, dict):
        return None, False
    code = str(coding.get("code") or "")
    emergency = code.endswith("E")
    roman = code[:-1] if emergency else code
    return ASA_CODES.get(roman, code), emergency


def intake_body(resource: Any) -> dict[str, Any]:
    """The ServiceRequest as the REST API's intake body: each value as sent, for ReferralInput to judge."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "ServiceRequest":
        raise Invalid(_("Send a ServiceRequest (resourceType ServiceRequest)."))
    if resource.get("intent", "order") != "order":
        raise Unprocessable([(_("Only intent order is accepted."), "ServiceRequest.intent")])
    status = resource.get("status", "draft")
    if status not in ("draft", "active"):
        raise Unprocessable([(_("A new request is draft or active."), "ServiceRequest.status")])
    patient = _patient(resource)
    asa_class, emergency = _asa(resource)
    body: dict[str, Any] = {
        "personal_number": _personal_number(patient),
        "patient_name": _name(patient),
        "patient_phone": _phone(patient),
        "icd10_code": _icd10(resource),
        "priority": _priority(resource),
        "asa_class": asa_class,
        "asa_emergency": emergency,
        "submit": status == "active",
    }
    optional = {
        "home_region": _organisation_pk(_extension(patient, systems.EXT_HOME_REGION, "valueReference"), "region"),
        "sending_unit": _organisation_pk(resource.get("requester"), "unit"),
        "complicating_diseases": _extension(resource, systems.EXT_COMPLICATING_DISEASES, "valueString"),
        "decision_date": _extension(resource, systems.EXT_DECISION_DATE, "valueDate"),
        "medical_target_date": (resource.get("occurrencePeriod") or {}).get("end")
        if isinstance(resource.get("occurrencePeriod"), dict)
        else resource.get("occurrencePeriod"),
        "consent_referral": _extension(resource, systems.EXT_CONSENT_REFERRAL, "valueBoolean"),
        "consent_disclosure": _extension(resource, systems.EXT_CONSENT_DISCLOSURE, "valueBoolean"),
        "procedure_text": (resource.get("code") or {}).get("text") if isinstance(resource.get("code"), dict) else None,
    }
    body.update({name: value for name, value in optional.items() if value is not None})
    return body


def placer_identifiers(resource: dict[str, Any]) -> list[tuple[str, str]]:
    """The sending system's own identifiers of its request (any system but ours)."""
    found = []
    for identifier in resource.get("identifier") or []:
        if not isinstance(identifier, dict):
            continue
        system, value = identifier.get("system"), identifier.get("value")
        if isinstance(system, str) and isinstance(value, str) and system and value and system != systems.REFERENCE:
            found.append((system[:200], value[:100]))
    return found


def _issues(detail: Any) -> list[tuple[str, str]]:
    if isinstance(detail, dict):
        return [
            (str(message), PATHS.get(str(field), ""))
            for field, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
    return [(str(message), "") for message in (detail if isinstance(detail, list) else [detail])]


def _existing(user: User, condition: str) -> Referral | None:
    """If-None-Exist: `identifier=system|value`, our reference or the sender's own identifier."""
    query = QueryDict(condition)
    if set(query) != {"identifier"}:
        raise Invalid(_("If-None-Exist takes identifier=system|value."))
    system, value = token(query["identifier"])
    rows = requests_of(user)
    if system in (None, systems.REFERENCE) and rows.filter(reference__iexact=value).exists():
        return rows.get(reference__iexact=value)
    placer = PlacerIdentifier.objects.filter(system=system or "", value=value).values_list("referral_id", flat=True)
    return rows.filter(pk__in=placer).first()


def _answer(user: User, referral: Referral, status: int) -> Response:
    shown = requests_of(user).get(pk=referral.pk)
    access_record(user=user, referral=shown, what="fhir:ServiceRequest")
    response = Response(service_request(shown), status=status)
    response["Location"] = f"/fhir/R4/ServiceRequest/{shown.pk}"
    return response


class IdentifierTaken(Exception):
    def __init__(self, system: str, value: str) -> None:
        super().__init__(system)
        self.system, self.value = system, value


def _keep_identifiers(referral: Referral, identifiers: list[tuple[str, str]]) -> None:
    """The sender's identifiers beside its request; one already kept rolls the whole create back."""
    for system, value in identifiers:
        try:
            with transaction.atomic():
                PlacerIdentifier.objects.create(referral=referral, system=system, value=value)
        except IntegrityError:
            raise IdentifierTaken(system, value) from None


def service_request_create(request: Request, user: User) -> Response:
    unit_ids = user_scopes(user).unit_staff_units
    if not unit_ids:
        raise exceptions.PermissionDenied
    resource: Any = request.data
    body = intake_body(resource)
    condition = request.headers.get("If-None-Exist")
    if condition:
        existing = _existing(user, condition)
        if existing is not None:
            return _answer(user, existing, 200)
    units = Unit.objects.filter(pk__in=unit_ids).select_related("hospital__region").order_by("name")
    serializer = ReferralInput(data=body, context={"units": units})
    if not serializer.is_valid():
        raise Unprocessable(_issues(serializer.errors))
    data = dict(serializer.validated_data)
    identifiers = placer_identifiers(resource)
    try:
        with transaction.atomic():
            referral = run_service(
                lambda: services.referral_save(by=user, referral=None, **data),
                fields=ReferralInput().fields,
                aliases=INTAKE_ALIASES,
            )
            _keep_identifiers(referral, identifiers)
    except exceptions.ValidationError as exc:
        raise Unprocessable(_issues(exc.detail)) from None
    except IdentifierTaken as taken:
        # Another create with the same identifier won (a retry arriving at once): answer that one.
        existing = _existing(user, f"identifier={taken.system}|{taken.value}")
        if existing is None:  # the identifier is another sender's: say so, store nothing
            message = _("This identifier is already used for another request.")
            raise Unprocessable([(message, "ServiceRequest.identifier")]) from None
        return _answer(user, existing, 200)
    return _answer(user, referral, 201)


TYPES["ServiceRequest"] = replace(TYPES["ServiceRequest"], create=service_request_create)
