"""Every resource the FHIR interface sends parses with an independent R4 (4.0.1) model library, strictly:
fhirclient's models, generated from FHIR 4.0.1 (unknown elements, wrong types and missing required
elements are errors). The README's FHIR examples are parsed by the same check."""

from __future__ import annotations

import importlib
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from capacity.weeks import first_open_week
from fhir.registry import TYPES
from referrals import services
from referrals.models import ReferralStatus as S
from tests.factories import CapacityOfferFactory, ReferralFactory
from tests.fhir.conftest import FHIR, fhir_client
from tests.fhir.test_fhir_create import new_request

README = Path(__file__).resolve().parents[2] / "README.md"


def parse(resource: dict[str, Any]) -> Any:
    """The resource as fhirclient's R4 model of its type; raises FHIRValidationError where it differs."""
    name = resource["resourceType"]
    module = importlib.import_module(f"fhirclient.models.{name.lower()}")
    return getattr(module, name)(resource, strict=True)


def test_every_resource_we_send_parses_as_r4(world, reference_data):
    group, _priority = reference_data
    staff = fhir_client(world.unit_staff)
    created = staff.post(f"{FHIR}/ServiceRequest", new_request(world), format="json")
    assert created.status_code == 201
    declined = ReferralFactory(
        sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group, reference="SOT-1999-000001"
    )
    services.referral_propose(referral=declined, by=world.sot, unit=world.neighbour_unit, reason="Närmast")
    declined.refresh_from_db()
    services.referral_decline(referral=declined, by=world.receiving_staff, reason="no_capacity")
    open_proposal = ReferralFactory(
        sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group, reference="SOT-1999-000002"
    )
    services.referral_propose(referral=open_proposal, by=world.sot, unit=world.far_unit, reason="Närmast")
    ReferralFactory(sending_unit=world.home_unit, status=S.CLOSED, diagnosis_group=group, reference="SOT-1999-000003")
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=group, week_start=week, slots=1, reserved_slots=1)
    sent: list[dict[str, Any]] = [created.json(), fhir_client().get(f"{FHIR}/metadata").json()]
    sent.append(fhir_client().get(f"{FHIR}/Task").json())  # an OperationOutcome (401)
    sot = fhir_client(world.sot)
    for name in TYPES:
        for query in ("", "?_count=2", "?_summary=count"):
            bundle = sot.get(f"{FHIR}/{name}{query}").json()
            sent.append(bundle)
            for entry in bundle.get("entry", []):
                sent.append(entry["resource"])
                sent.append(sot.get(f"{FHIR}/{name}/{entry['resource']['id']}").json())
    sent.append(sot.get(f"{FHIR}/Task?_include=Task:focus").json())
    for resource in sent:
        parse(resource)
    kinds = {r["resourceType"] for r in sent}
    assert kinds >= {*TYPES} - {"Subscription"} | {"Bundle", "CapabilityStatement", "OperationOutcome"}
    statuses = {r["status"] for r in sent if r["resourceType"] == "Task"}
    assert {"rejected", "requested", "in-progress", "received", "failed"} <= statuses
    assert {r["status"] for r in sent if r["resourceType"] == "Slot"} == {"free", "busy"}


def readme_examples() -> list[dict[str, Any]]:
    """The JSON examples of the README's FHIR section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## FHIR R4\n", 1)[1].split("\n## ", 1)[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, flags=re.DOTALL)]


def test_the_readmes_examples_parse_as_r4():
    examples = readme_examples()
    assert len(examples) >= 3
    for example in examples:
        parse(example)
