"""Capacity as Schedule and Slot: a Schedule per receiving unit (actor: its HealthcareService), a coarse
Slot per capacity offer, i.e. per unit, diagnosis group, care type and ISO week: Monday to Monday,
`free` while a place is left, else `busy`, the free places in SMART's slot-capacity extension."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from capacity.models import CapacityOffer
from catalog.models import ASA_ROMAN
from fhir import systems
from fhir.resources.requests import instant
from organisations.models import Unit


def schedule(unit: Unit) -> dict[str, Any]:
    return {
        "resourceType": "Schedule",
        "id": f"unit-{unit.pk}",
        "active": unit.is_active,
        "actor": [{"reference": f"HealthcareService/unit-{unit.pk}", "display": str(unit)}],
        "comment": "Capacity offers, one Slot per diagnosis group, care type and week.",
    }


def slot(offer: CapacityOffer) -> dict[str, Any]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(offer.week_start, time.min, tzinfo=zone)
    end = datetime.combine(offer.week_start + timedelta(days=7), time.min, tzinfo=zone)
    group = offer.diagnosis_group
    return {
        "resourceType": "Slot",
        "id": str(offer.pk),
        "meta": {"lastUpdated": instant(offer.confirmed_at)},
        "extension": [{"url": systems.EXT_SLOT_CAPACITY, "valueInteger": offer.free_slots}],
        "serviceType": [
            {"coding": [{"system": systems.DIAGNOSIS_GROUP, "code": group.code, "display": group.name}]},
            {"coding": [{"system": systems.CARE_TYPE, "code": offer.care_type}]},
        ],
        "schedule": {"reference": f"Schedule/unit-{offer.unit_id}"},
        "status": "free" if offer.free_slots > 0 else "busy",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "comment": f"{offer.week_iso}: {offer.free_slots} of {offer.slots} free, up to ASA {ASA_ROMAN[offer.max_asa]}",
    }
