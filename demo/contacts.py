"""Demo contact paths: a function number and a shared e-mail address for every unit, a visiting address for
every hospital. Invented (numbers in the 010-1xx range, addresses under example.se); an installation enters
its own in the admin. Only blank fields are filled, so what an administrator entered stays."""

from __future__ import annotations

from organisations.models import Hospital, Unit


def seed_demo_contacts() -> int:
    """Fill blank contact paths; the number of units and hospitals changed."""
    changed = 0
    for number, unit in enumerate(Unit.objects.select_related("hospital").order_by("code"), start=1):
        if unit.phone and unit.function_email:
            continue
        unit.phone = unit.phone or f"010-1{number // 100:02d} {number % 100:02d} 00"
        unit.function_email = unit.function_email or f"{unit.code}@example.se"
        unit.save(update_fields=["phone", "function_email"])
        changed += 1
    for number, hospital in enumerate(Hospital.objects.order_by("code"), start=1):
        if hospital.address:
            continue
        hospital.address = f"Sjukhusvägen {number}\n{200 + number:03d} 0{number % 10} {_town(hospital.name)}"
        hospital.save(update_fields=["address"])
        changed += 1
    return changed


def _town(hospital_name: str) -> str:
    """'Ystads lasarett' -> 'Ystad', 'Hallands sjukhus Halmstad' -> 'Halmstad'."""
    words = hospital_name.split()
    if words[-1] not in {"sjukhus", "lasarett"}:
        return words[-1]
    first = words[0]
    return first[:-1] if first.endswith("s") else first
