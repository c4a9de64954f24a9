"""Regions, hospitals and units as Organization (HSA-id identifiers, partOf the level above), hospitals
also as Location (visiting address, position), units also as HealthcareService (contact paths)."""

from __future__ import annotations

from typing import Any

from fhir import systems
from organisations.models import HealthcareRegion, Hospital, Region, Unit


def hsa(hsa_id: str) -> list[dict[str, str]]:
    return [{"system": systems.HSA_ID, "value": hsa_id}] if hsa_id else []


def level(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": systems.ORGANISATION_LEVEL, "code": code}]}]


def region_ref(region: Region) -> dict[str, str]:
    return {"reference": f"Organization/region-{region.pk}", "display": region.name}


def sot_function_ref(region: Region) -> dict[str, str]:
    """The region's SOT function: the region's Organization, as the owner of its coordination Tasks."""
    return {"reference": f"Organization/region-{region.pk}", "display": f"SOT, {region.name}"}


def unit_ref(unit: Unit) -> dict[str, str]:
    return {"reference": f"Organization/unit-{unit.pk}", "display": str(unit)}


def _organisation(kind: str, obj: Any, name: str, part_of: dict[str, str] | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Organization", "id": f"{kind}-{obj.pk}"}
    identifier = hsa(obj.hsa_id)
    if identifier:
        resource["identifier"] = identifier
    resource.update({"active": True, "type": level(kind), "name": name})
    if part_of:
        resource["partOf"] = part_of
    return resource


def healthcare_region_resource(healthcare_region: HealthcareRegion) -> dict[str, Any]:
    return _organisation("healthcare-region", healthcare_region, healthcare_region.name, None)


def region_resource(region: Region) -> dict[str, Any]:
    hcr = region.healthcare_region
    return _organisation(
        "region", region, region.name, {"reference": f"Organization/healthcare-region-{hcr.pk}", "display": hcr.name}
    )


def hospital_resource(hospital: Hospital) -> dict[str, Any]:
    return _organisation("hospital", hospital, hospital.name, region_ref(hospital.region))


def unit_resource(unit: Unit) -> dict[str, Any]:
    hospital = unit.hospital
    resource = _organisation(
        "unit", unit, str(unit), {"reference": f"Organization/hospital-{hospital.pk}", "display": hospital.name}
    )
    resource["active"] = unit.is_active
    telecom = _telecom(unit)
    if telecom:
        resource["telecom"] = telecom
    return resource


def _telecom(unit: Unit) -> list[dict[str, str]]:
    telecom = []
    if unit.phone:
        telecom.append({"system": "phone", "value": unit.phone, "use": "work"})
    if unit.function_email:
        telecom.append({"system": "email", "value": unit.function_email, "use": "work"})
    return telecom


def location_resource(hospital: Hospital) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Location", "id": f"hospital-{hospital.pk}"}
    identifier = hsa(hospital.hsa_id)
    if identifier:
        resource["identifier"] = identifier
    resource.update({"status": "active", "name": hospital.name, "mode": "instance"})
    if hospital.address:
        resource["address"] = {"text": hospital.address}
    resource["position"] = {"longitude": float(hospital.longitude), "latitude": float(hospital.latitude)}
    resource["managingOrganization"] = region_ref(hospital.region)
    return resource


def healthcare_service_resource(unit: Unit) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "HealthcareService", "id": f"unit-{unit.pk}"}
    identifier = hsa(unit.hsa_id)
    if identifier:
        resource["identifier"] = identifier
    resource.update(
        {
            "active": unit.is_active,
            "providedBy": unit_ref(unit),
            "specialty": [{"text": unit.get_specialty_display()}],
            "location": [{"reference": f"Location/hospital-{unit.hospital_id}", "display": unit.hospital.name}],
            "name": str(unit),
        }
    )
    telecom = _telecom(unit)
    if telecom:
        resource["telecom"] = telecom
    return resource
