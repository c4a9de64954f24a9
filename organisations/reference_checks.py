"""The checks the reference geography must pass before anything of it is written: every row is checked, and
one bad row stops the whole load (`catalog.reference_data.load_reference_data`), naming the row and what is
wrong with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from organisations.models import Specialty
from organisations.reference_data import SWEDEN_LATITUDE, SWEDEN_LONGITUDE, ReferenceHospital, ReferenceRegion


class ReferenceDataError(Exception):
    """The reference data has bad rows; nothing was written. `errors` names each one."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def geography_errors(
    healthcare_regions: Sequence[tuple[str, str]],
    regions: Sequence[ReferenceRegion],
    hospitals: Sequence[ReferenceHospital],
) -> list[str]:
    """Every problem of the geography's rows, in the order of the rows; empty when all is well."""
    errors = _duplicates("healthcare region", [(code, name) for code, name in healthcare_regions])
    errors += _duplicates("region", [(r.code, r.name) for r in regions])
    healthcare_region_codes = {code for code, _name in healthcare_regions}
    for number, region in enumerate(regions, start=1):
        where = f"Region row {number} ({region.code}, {region.name})"
        if not region.healthcare_region:
            errors.append(f"{where}: it has no healthcare region.")
        elif region.healthcare_region not in healthcare_region_codes:
            errors.append(f"{where}: its healthcare region {region.healthcare_region!r} is not in the list.")
    errors += _duplicates("hospital", [(h.code, f"{h.name} ({h.region})") for h in hospitals])
    region_codes = {r.code for r in regions}
    for number, hospital in enumerate(hospitals, start=1):
        errors += [
            f"Hospital row {number} ({hospital.code}, {hospital.name}): {e}" for e in _hospital(hospital, region_codes)
        ]
    return errors


def _hospital(hospital: ReferenceHospital, region_codes: set[str]) -> Iterable[str]:
    if not hospital.region:
        yield "it has no region."
    elif hospital.region not in region_codes:
        yield f"its region {hospital.region!r} is not in the list."
    latitude, longitude = _decimal(hospital.latitude), _decimal(hospital.longitude)
    if latitude is None or longitude is None:
        yield f"the coordinates {hospital.latitude!r}, {hospital.longitude!r} are not numbers."
    elif not (_within(latitude, SWEDEN_LATITUDE) and _within(longitude, SWEDEN_LONGITUDE)):
        yield (
            f"the coordinates {latitude}, {longitude} lie outside Sweden (latitude {SWEDEN_LATITUDE[0]}–"
            f"{SWEDEN_LATITUDE[1]}, longitude {SWEDEN_LONGITUDE[0]}–{SWEDEN_LONGITUDE[1]})."
        )
    unknown = [s for s in hospital.specialties if s not in Specialty.values]
    if unknown:
        yield f"unknown specialties {unknown}."
    if len(set(hospital.specialties)) != len(hospital.specialties):
        yield "a specialty is listed twice."


def _duplicates(what: str, rows: list[tuple[str, str]]) -> list[str]:
    """Codes and names that more than one row has, each named once (a hospital's name is unique in its region)."""
    errors = []
    for label, position in (("code", 0), ("name", 1)):
        counts = Counter(row[position] for row in rows)
        for value, n in counts.items():
            if n > 1:
                numbers = [str(i) for i, row in enumerate(rows, start=1) if row[position] == value]
                errors.append(f"The {what} {label} {value!r} is given {n} times (rows {', '.join(numbers)}).")
    return errors


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return None
    return number if number.is_finite() else None


def _within(value: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    return bounds[0] <= value <= bounds[1]
