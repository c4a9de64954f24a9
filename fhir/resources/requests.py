"""A request as FHIR: a ServiceRequest, the patient as the sending care provider recorded it in that
request (a Patient of its own, `Patient/request-<id>`), its coordination Task (owner: the sending
region's SOT function) and one Task per proposal to a receiving unit (owner: that unit)."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone

from catalog.models import asa_label
from fhir import systems
from fhir.resources.organisations import region_ref, sot_function_ref, unit_ref
from organisations.models import Unit
from referrals.models import DeclineReason, Referral, ReferralEvent
from referrals.models import ReferralStatus as S

SERVICE_REQUEST_STATUS = {
    S.DRAFT: "draft",
    S.SUBMITTED: "active",
    S.IN_REVIEW: "active",
    S.PROPOSED: "active",
    S.ACCEPTED: "active",
    S.COMPLETED: "completed",
    S.WITHDRAWN: "revoked",
    S.CLOSED: "revoked",
}
# FHIR's Task codes; proposed and closed have none of their own and are told by businessStatus.
COORDINATION_TASK_STATUS = {
    S.DRAFT: "draft",
    S.SUBMITTED: "requested",
    S.IN_REVIEW: "received",
    S.PROPOSED: "in-progress",
    S.ACCEPTED: "accepted",
    S.COMPLETED: "completed",
    S.WITHDRAWN: "cancelled",
    S.CLOSED: "failed",
}
# A unit's Task while the request is still with it; a unit that declined has `rejected`.
UNIT_TASK_STATUS = {
    S.PROPOSED: "requested",
    S.ACCEPTED: "accepted",
    S.COMPLETED: "completed",
    S.WITHDRAWN: "cancelled",
    S.CLOSED: "cancelled",
}
TASK_CODE = {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}]}


def instant(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def priority_code(referral: Referral) -> str:
    priority = referral.priority
    if priority is None:
        return "routine"
    if priority.sort_order == 1:
        return "asap"
    return "urgent" if priority.is_main_focus else "routine"


def service_request(referral: Referral) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"lastUpdated": instant(referral.updated_at)},
    }
    extensions = _extensions(referral)
    if extensions:
        resource["extension"] = extensions
    resource.update(
        {
            "identifier": [
                {"system": systems.REFERENCE, "value": referral.reference},
                *({"system": p.system, "value": p.value} for p in referral.placer_identifiers.all()),
            ],
            "status": SERVICE_REQUEST_STATUS[S(referral.status)],
            "intent": "order",
            "priority": priority_code(referral),
        }
    )
    procedure = " ".join(p for p in (referral.procedure_code, referral.procedure_text) if p)
    if procedure:
        resource["code"] = {"text": procedure}
    resource["subject"] = {"reference": f"Patient/request-{referral.pk}"}
    if referral.medical_target_date:
        resource["occurrencePeriod"] = {"end": referral.medical_target_date.isoformat()}
    if referral.submitted_at:
        resource["authoredOn"] = instant(referral.submitted_at)
    resource["requester"] = unit_ref(referral.sending_unit)
    if referral.receiving_unit is not None:
        resource["performer"] = [unit_ref(referral.receiving_unit)]
    if referral.icd10_code:
        resource["reasonCode"] = [{"coding": [{"system": systems.ICD10, "code": referral.icd10_code}]}]
    return resource


def _extensions(referral: Referral) -> list[dict[str, Any]]:
    extensions: list[dict[str, Any]] = []
    if referral.priority is not None:
        coding = {"system": systems.MEDICAL_PRIORITY, "code": referral.priority.code, "display": referral.priority.name}
        extensions.append({"url": systems.EXT_MEDICAL_PRIORITY, "valueCoding": coding})
    if referral.asa_class is not None:
        code = asa_label(referral.asa_class, referral.asa_emergency)
        coding = {"system": systems.ASA_CLASS, "code": code, "display": f"ASA {code}"}
        extensions.append({"url": systems.EXT_ASA_CLASS, "valueCoding": coding})
    if referral.complicating_diseases:
        extensions.append({"url": systems.EXT_COMPLICATING_DISEASES, "valueString": referral.complicating_diseases})
    if referral.decision_date:
        extensions.append({"url": systems.EXT_DECISION_DATE, "valueDate": referral.decision_date.isoformat()})
    if referral.care_guarantee_deadline:
        deadline = referral.care_guarantee_deadline.isoformat()
        extensions.append({"url": systems.EXT_CARE_GUARANTEE_DEADLINE, "valueDate": deadline})
    extensions.append({"url": systems.EXT_CONSENT_REFERRAL, "valueBoolean": referral.consent_referral})
    extensions.append({"url": systems.EXT_CONSENT_DISCLOSURE, "valueBoolean": referral.consent_disclosure})
    return extensions


def patient_identifier(personal_number: str) -> dict[str, str]:
    coordination = int(personal_number[6:8]) > 60
    return {
        "system": systems.SAMORDNINGSNUMMER if coordination else systems.PERSONNUMMER,
        "value": personal_number,
    }


def patient(referral: Referral) -> dict[str, Any]:
    """The patient as the request records them (each region is its own care provider): identity, name,
    phone and home region from the request's own copy."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": f"request-{referral.pk}",
        "meta": {"lastUpdated": instant(referral.updated_at)},
        "extension": [{"url": systems.EXT_HOME_REGION, "valueReference": region_ref(referral.patient_home_region)}],
        "identifier": [patient_identifier(referral.patient.personal_number)],
        "name": [{"text": referral.patient_name}],
    }
    if referral.patient_phone:
        resource["telecom"] = [{"system": "phone", "value": referral.patient_phone}]
    resource["managingOrganization"] = region_ref(referral.sending_unit.hospital.region)
    return resource


def _business_status(status: str) -> dict[str, Any]:
    return {"coding": [{"system": systems.REFERRAL_STATUS, "code": status, "display": str(S(status).label)}]}


def coordination_task(referral: Referral) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"coordination-{referral.pk}",
        "meta": {"lastUpdated": instant(referral.updated_at)},
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "status": COORDINATION_TASK_STATUS[S(referral.status)],
        "businessStatus": _business_status(referral.status),
        "intent": "order",
        "code": TASK_CODE,
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": {"reference": f"Patient/request-{referral.pk}"},
    }
    if referral.submitted_at:
        resource["authoredOn"] = instant(referral.submitted_at)
    resource["lastModified"] = instant(referral.status_changed_at)
    resource["requester"] = unit_ref(referral.sending_unit)
    resource["owner"] = sot_function_ref(referral.sending_unit.hospital.region)
    _restriction(resource, referral)
    return resource


def unit_task_status(proposal: ReferralEvent) -> tuple[str, str]:
    """(FHIR Task.status, SOT businessStatus) of one proposal to a unit."""
    if getattr(proposal, "declined_at", None):
        return "rejected", "declined"
    referral = proposal.referral
    status = UNIT_TASK_STATUS.get(S(referral.status), "cancelled")
    return status, referral.status


def unit_task(proposal: ReferralEvent) -> dict[str, Any]:
    referral = proposal.referral
    status, business = unit_task_status(proposal)
    unit = cast(Unit, proposal.receiving_unit)  # a proposal always names its unit
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"proposal-{proposal.pk}",
        "meta": {"lastUpdated": instant(referral.updated_at)},
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "partOf": [{"reference": f"Task/coordination-{referral.pk}"}],
        "status": status,
    }
    if status == "rejected":
        reason = getattr(proposal, "decline_reason", "") or ""
        label = dict(DeclineReason.choices).get(reason, reason)
        resource["statusReason"] = {"coding": [{"system": f"{systems.OURS}/CodeSystem/decline-reason", "code": reason}]}
        resource["statusReason"]["text"] = str(label)
    resource.update(
        {
            "businessStatus": _business_status(business) if business != "declined" else _declined(),
            "intent": "order",
            "code": TASK_CODE,
            "focus": {"reference": f"ServiceRequest/{referral.pk}"},
            "for": {"reference": f"Patient/request-{referral.pk}"},
            "authoredOn": instant(proposal.at),
            "lastModified": instant(getattr(proposal, "declined_at", None) or referral.status_changed_at),
            "requester": sot_function_ref(referral.sending_unit.hospital.region),
            "owner": unit_ref(unit),
        }
    )
    _restriction(resource, referral)
    return resource


def _declined() -> dict[str, Any]:
    return {"coding": [{"system": systems.REFERRAL_STATUS, "code": "declined", "display": "Declined"}]}


def _restriction(resource: dict[str, Any], referral: Referral) -> None:
    if referral.care_guarantee_deadline:
        resource["restriction"] = {"period": {"end": referral.care_guarantee_deadline.isoformat()}}
