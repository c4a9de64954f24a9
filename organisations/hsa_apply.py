"""What one row of an HSA catalogue export changes: its hospital and its unit (`organisations.hsa_import`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _

from organisations.hsa_csv import _one_line, _Row
from organisations.models import Hospital, Specialty, Unit

if TYPE_CHECKING:
    from organisations.hsa_import import HsaImportResult


class Importer:
    def __init__(self, result: HsaImportResult) -> None:
        self.result = result
        self.hospitals: dict[str, Hospital] = {}  # by HSA-id, as the file's rows settle them
        self.hospital_lines: dict[str, int] = {}

    def problem(self, row: _Row, message: str) -> None:
        self.result.problems.append(_("Line %(line)d: %(problem)s") % {"line": row.line, "problem": message})
        self.result.skipped += 1

    def change(self, message: str) -> None:
        self.result.changes.append(message)

    def hospital(self, row: _Row) -> Hospital | None:
        known = self.hospitals.get(row.hospital_hsa_id)
        if known is not None:
            if known.region_id != row.provider.pk:
                self.problem(row, self._wrong_region(known, row))
                return None
            if (row.hospital_name, row.address) != (known.name, known.address):
                self.problem(
                    row,
                    _("the hospital %(hsa_id)s has another name or address than on line %(first)d.")
                    % {"hsa_id": row.hospital_hsa_id, "first": self.hospital_lines[row.hospital_hsa_id]},
                )
                return None
            return known
        hospital = Hospital.objects.select_for_update().filter(hsa_id=row.hospital_hsa_id).first()
        linked = False
        if hospital is None:
            hospital = (
                Hospital.objects.select_for_update()
                .filter(region=row.provider, name=row.hospital_name, hsa_id__isnull=True)
                .first()
            )
            linked = hospital is not None
        if hospital is None:
            if row.latitude is None or row.longitude is None:
                self.problem(
                    row,
                    _("the hospital %(name)s (%(hsa_id)s) is not in SOT; give its latitude and longitude to create it.")
                    % {"name": row.hospital_name, "hsa_id": row.hospital_hsa_id},
                )
                return None
            if Hospital.objects.filter(code=slugify(row.hospital_hsa_id)).exists():
                self.problem(
                    row, _("another hospital already has the code %(code)s.") % {"code": slugify(row.hospital_hsa_id)}
                )
                return None
            if Hospital.objects.filter(region=row.provider, name=row.hospital_name).exists():
                self.problem(
                    row,
                    _("%(region)s already has another hospital named %(name)s.")
                    % {"region": row.provider.name, "name": row.hospital_name},
                )
                return None
            hospital = Hospital.objects.create(
                code=slugify(row.hospital_hsa_id),
                name=row.hospital_name,
                region=row.provider,
                latitude=row.latitude,
                longitude=row.longitude,
                address=row.address,
                hsa_id=row.hospital_hsa_id,
            )
            self.change(
                _("New hospital %(name)s (%(hsa_id)s) in %(region)s")
                % {"name": hospital.name, "hsa_id": hospital.hsa_id, "region": row.provider.name}
            )
            self.result.hospitals += 1
        else:
            if hospital.region_id != row.provider.pk:
                self.problem(row, self._wrong_region(hospital, row))
                return None
            fields = []
            if linked:
                hospital.hsa_id = row.hospital_hsa_id
                fields.append("hsa_id")
                self.change(
                    _("HSA-id %(hsa_id)s given to the hospital %(name)s")
                    % {"hsa_id": row.hospital_hsa_id, "name": hospital.name}
                )
            if hospital.name != row.hospital_name:
                if (
                    Hospital.objects.filter(region=row.provider, name=row.hospital_name)
                    .exclude(pk=hospital.pk)
                    .exists()
                ):
                    self.problem(
                        row,
                        _("%(region)s already has another hospital named %(name)s.")
                        % {"region": row.provider.name, "name": row.hospital_name},
                    )
                    return None
                self.change(
                    _("Changed name of the hospital %(hsa_id)s: %(old)s → %(new)s")
                    % {"hsa_id": row.hospital_hsa_id, "old": hospital.name, "new": row.hospital_name}
                )
                hospital.name = row.hospital_name
                fields.append("name")
            if hospital.address != row.address:
                self.change(
                    _("Changed address of %(name)s: %(old)s → %(new)s")
                    % {"name": hospital.name, "old": _one_line(hospital.address), "new": _one_line(row.address)}
                )
                hospital.address = row.address
                fields.append("address")
            if fields:
                hospital.save(update_fields=fields)
                self.result.hospitals += 1
        self.hospitals[row.hospital_hsa_id] = hospital
        self.hospital_lines[row.hospital_hsa_id] = row.line
        return hospital

    @staticmethod
    def _wrong_region(hospital: Hospital, row: _Row) -> str:
        return _("the hospital %(name)s belongs to %(region)s in SOT, not to the care provider %(provider)s.") % {
            "name": hospital.name,
            "region": hospital.region.name,
            "provider": row.provider.name,
        }

    def unit(self, row: _Row, hospital: Hospital) -> None:
        unit = Unit.objects.select_for_update().filter(hsa_id=row.hsa_id).select_related("hospital").first()
        if unit is None:
            unit = (
                Unit.objects.select_for_update()
                .filter(hospital=hospital, name=row.name, hsa_id__isnull=True)
                .select_related("hospital")
                .first()
            )
            if unit is not None:
                unit.hsa_id = row.hsa_id
                unit.save(update_fields=["hsa_id"])
                self.change(_("HSA-id %(hsa_id)s given to the unit %(unit)s") % {"hsa_id": row.hsa_id, "unit": unit})
                self.result.updated += 1
                self._update(row, hospital, unit, counted=True)
                return
            self._create(row, hospital)
            return
        if unit.hospital.region_id != row.provider.pk:
            self.problem(
                row,
                _("the unit %(hsa_id)s belongs to %(region)s in SOT, not to the care provider %(provider)s.")
                % {"hsa_id": row.hsa_id, "region": unit.hospital.region.name, "provider": row.provider.name},
            )
            return
        self._update(row, hospital, unit, counted=False)

    def _name_free(self, row: _Row, hospital: Hospital, unit: Unit | None) -> bool:
        """Whether the row's unit name is free at the hospital; a problem reported when it is not."""
        if not self._name_taken(hospital, row.name, unit):
            return True
        self.problem(
            row,
            _("%(hospital)s already has another unit named %(name)s.") % {"hospital": hospital.name, "name": row.name},
        )
        return False

    def _name_taken(self, hospital: Hospital, name: str, unit: Unit | None) -> bool:
        others = Unit.objects.filter(hospital=hospital, name=name)
        if unit is not None:
            others = others.exclude(pk=unit.pk)
        return others.exists()

    def _create(self, row: _Row, hospital: Hospital) -> None:
        if not row.specialty:
            self.problem(row, _("the new unit %(hsa_id)s needs a specialty.") % {"hsa_id": row.hsa_id})
            return
        code = slugify(row.hsa_id)
        if Unit.objects.filter(code=code).exists():
            self.problem(row, _("another unit already has the code %(code)s.") % {"code": code})
            return
        if not self._name_free(row, hospital, None):
            return
        unit = Unit.objects.create(
            code=code,
            name=row.name,
            hospital=hospital,
            specialty=row.specialty,
            hsa_id=row.hsa_id,
            phone=row.phone,
            function_email=row.email,
        )
        self.change(_("New unit %(unit)s (%(hsa_id)s)") % {"unit": unit, "hsa_id": row.hsa_id})
        self.result.created += 1

    def _update(self, row: _Row, hospital: Hospital, unit: Unit, *, counted: bool) -> None:
        fields: list[str] = []
        label = f"{unit.name} ({row.hsa_id})"
        if unit.hospital_id != hospital.pk:
            if not self._name_free(row, hospital, unit):
                return
            self.change(
                _("Moved %(unit)s: %(old)s → %(new)s")
                % {"unit": label, "old": unit.hospital.name, "new": hospital.name}
            )
            unit.hospital = hospital
            fields.append("hospital")
        if unit.name != row.name:
            if not self._name_free(row, hospital, unit):
                return
            self.change(
                _("Changed name %(hsa_id)s: %(old)s → %(new)s")
                % {"hsa_id": row.hsa_id, "old": unit.name, "new": row.name}
            )
            unit.name = row.name
            fields.append("name")
            label = f"{unit.name} ({row.hsa_id})"
        if row.specialty and unit.specialty != row.specialty:
            self.change(
                _("Changed specialty %(unit)s: %(old)s → %(new)s")
                % {"unit": label, "old": unit.get_specialty_display(), "new": Specialty(row.specialty).label}
            )
            unit.specialty = row.specialty
            fields.append("specialty")
        if unit.phone != row.phone:
            self.change(
                _("Changed phone %(unit)s: %(old)s → %(new)s")
                % {"unit": label, "old": unit.phone or "–", "new": row.phone or "–"}
            )
            unit.phone = row.phone
            fields.append("phone")
        if unit.function_email != row.email:
            self.change(
                _("Changed function e-mail address %(unit)s: %(old)s → %(new)s")
                % {"unit": label, "old": unit.function_email or "–", "new": row.email or "–"}
            )
            unit.function_email = row.email
            fields.append("function_email")
        if not unit.is_active:
            self.change(_("Reactivated %(unit)s") % {"unit": label})
            unit.is_active = True
            fields.append("is_active")
            self.result.reactivated += 1
        if fields:
            unit.save(update_fields=fields)
            if not counted and fields != ["is_active"]:
                self.result.updated += 1
