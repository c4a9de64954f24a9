"""The CapabilityStatement at /fhir/R4/metadata, written from the registry of what is served."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from fhir.registry import TYPES

SOFTWARE_VERSION = "1"
CAPABILITY_DATE = "2026-12-02"  # when what is served last changed


def capability_statement(request: Request) -> dict[str, Any]:
    resources = []
    for name in sorted(TYPES):
        resource_type = TYPES[name]
        entry: dict[str, Any] = {
            "type": name,
            "interaction": [{"code": code} for code in resource_type.served],
        }
        if resource_type.documentation:
            entry["documentation"] = resource_type.documentation
        if resource_type.read is not None:
            entry["readHistory"] = False
        if resource_type.versioned:
            entry["versioning"] = "versioned-update" if resource_type.update is not None else "versioned"
        if resource_type.update is not None:
            entry["updateCreate"] = False
            entry["conditionalUpdate"] = False
        if "create" in resource_type.served:
            entry["conditionalCreate"] = True
        if resource_type.includes:
            entry["searchInclude"] = list(resource_type.includes)
        if resource_type.params:
            entry["searchParam"] = [
                {"name": p.name, "type": p.type, "documentation": p.documentation} for p in resource_type.params
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": CAPABILITY_DATE,
        "publisher": "SOT",
        "kind": "instance",
        "software": {"name": "SOT", "version": SOFTWARE_VERSION},
        "implementation": {
            "description": "SOT: coordination requests between Swedish healthcare regions",
            "url": request.build_absolute_uri("/fhir/R4"),
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Personal tokens (Authorization: Bearer sot_…) from /account/tokens/.",
                "security": {
                    "cors": False,
                    "description": "The same tokens, visibility, access log and rate limit as /api/v1/.",
                },
                "resource": resources,
            }
        ],
    }
