"""Import units from an HSA catalogue export (CSV) into hospitals and units: the columns and how a row is
read are in `organisations.hsa_csv`; here, what a row changes.

A unit is found by its HSA-id, else (once, to link existing data) by its name at its hospital when it has no
HSA-id yet; a hospital likewise by its HSA-id, else by its name in the care provider's region. The import is
one transaction. Units of the care providers the file covers that are not in the file are marked inactive,
never deleted; units of other care providers are left alone. Each problem is reported with its line number:
the row is skipped, or with `strict` nothing at all is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from organisations.hsa_apply import Importer
from organisations.hsa_csv import HsaImportError, _parse, _read, _Row, decode
from organisations.models import Region, Unit

__all__ = ["HsaImportError", "HsaImportResult", "import_hsa_units"]


@dataclass
class HsaImportResult:
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    reactivated: int = 0
    hospitals: int = 0  # created or changed
    skipped: int = 0
    applied: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary(self) -> str:
        return _(
            "Units – new: %(created)d, changed: %(updated)d, deactivated: %(deactivated)d, "
            "reactivated: %(reactivated)d; hospitals new or changed: %(hospitals)d; rows skipped: %(skipped)d."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "reactivated": self.reactivated,
            "hospitals": self.hospitals,
            "skipped": self.skipped,
        }


def import_hsa_units(data: bytes, *, dry_run: bool = False, strict: bool = False) -> HsaImportResult:
    """Apply the export to hospitals and units in one transaction; what changed and what was skipped.

    With `dry_run` everything is worked out and rolled back; with `strict` a single problem rolls back all.
    """
    rows = _read(decode(data))
    result = HsaImportResult()
    providers = {region.hsa_id: region for region in Region.objects.exclude(hsa_id__isnull=True) if region.hsa_id}
    parsed: list[_Row] = []
    in_file: set[str] = set()
    lines: dict[str, int] = {}
    covered: set[int] = set()
    for line, values in rows:
        row, hsa_id = _parse(line, values, providers, result.problems)
        if hsa_id is not None and hsa_id in lines:
            result.problems.append(
                _("Line %(line)d: %(problem)s")
                % {
                    "line": line,
                    "problem": _("the unit %(hsa_id)s is already on line %(first)d.")
                    % {"hsa_id": hsa_id, "first": lines[hsa_id]},
                }
            )
            result.skipped += 1
            continue
        if hsa_id is not None:
            in_file.add(hsa_id)
            lines[hsa_id] = line
        if row is None:
            result.skipped += 1
            continue
        covered.add(row.provider.pk)
        parsed.append(row)
    with transaction.atomic():
        importer = Importer(result)
        for row in parsed:
            hospital = importer.hospital(row)
            if hospital is not None:
                importer.unit(row, hospital)
        missing = (
            Unit.objects.select_for_update()
            .filter(hospital__region__in=covered, is_active=True)
            .exclude(hsa_id__in=in_file)
            .select_related("hospital")
            .order_by("hospital__name", "name")
        )
        for unit in missing:
            unit.is_active = False
            unit.save(update_fields=["is_active"])
            importer.change(_("Deactivated %(unit)s (%(hsa_id)s)") % {"unit": unit, "hsa_id": unit.hsa_id or "–"})
            result.deactivated += 1
        result.applied = not dry_run and not (strict and result.problems)
        if not result.applied:
            transaction.set_rollback(True)
    return result
