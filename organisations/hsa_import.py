"""Import units from an HSA catalogue export (CSV) into hospitals and units.

The file has a header line; the columns are named as the HSA catalogue names the attributes (any case, any
order; columns not listed are ignored):

    hsaIdentity                       the unit's HSA-id (required)
    ou                                the unit's name (required)
    hsaResponsibleHealthCareProvider  the care provider's (vårdgivare's) HSA-id: a region of SOT with that HSA-id
                                      (required; `hsaHealthCareProvider` is read as the same column)
    hospitalHsaIdentity               the HSA-id of the hospital (workplace) the unit belongs to (required)
    hospitalName                      the hospital's name (required)
    postalAddress                     the hospital's street address; lines separated by "$" as the catalogue
                                      writes them, or by a line break
    postalCode, l                     postcode and town (`l`, locality) of the hospital
    telephoneNumber                   the unit's function phone number
    mail                              the unit's function e-mail address
    specialty                         SOT's specialty: our code (`orthopaedics`), its Swedish or English name
                                      (`Ortopedi`, `Allmänkirurgi`, `Orthopaedics`) or the unit name SOT's
                                      reference data gives it (`Kirurgi`, `Kvinnosjukvård`);
                                      required for a new unit, kept as it is when empty
    latitude, longitude               the hospital's coordinates (decimal degrees); needed only when the
                                      hospital is not in SOT yet (the catalogue has none, and matching needs them)

A unit is found by its HSA-id, else (once, to link existing data) by its name at its hospital when it has no
HSA-id yet; a hospital likewise by its HSA-id, else by its name in the care provider's region. The import is
one transaction. Units of the care providers the file covers that are not in the file are marked inactive,
never deleted; units of other care providers are left alone. Each problem is reported with its line number:
the row is skipped, or with `strict` nothing at all is applied.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organisations.hsa import normalise_hsa_id, validate_hsa_id
from organisations.models import Hospital, Region, Specialty, Unit
from organisations.reference_data import UNIT_NAMES

REQUIRED_COLUMNS = ("hsaidentity", "ou", "hsaresponsiblehealthcareprovider", "hospitalhsaidentity", "hospitalname")
ALIASES = {"hsahealthcareprovider": "hsaresponsiblehealthcareprovider"}


class HsaImportError(Exception):
    """The file cannot be read at all (not a CSV, a required column missing)."""


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


@dataclass
class _Row:
    line: int
    hsa_id: str
    name: str
    provider: Region
    hospital_hsa_id: str
    hospital_name: str
    address: str
    phone: str
    email: str
    specialty: str
    latitude: Decimal | None
    longitude: Decimal | None


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark; else Windows-1252 (a file saved from Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _specialty(value: str) -> str | None:
    """Our code, the specialty's Swedish (or English) name or the demo's unit name for it ("Kirurgi"), in any
    case; None if unknown."""
    wanted = value.strip().casefold()
    for code, label in Specialty.choices:
        names = {code.casefold(), UNIT_NAMES[Specialty(code)].casefold()}
        for language in ("sv", "en"):
            with translation.override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return code
    return None


def _address(street: str, postcode: str, town: str) -> str:
    lines = [line.strip() for line in street.replace("$", "\n").splitlines() if line.strip()]
    place = " ".join(part for part in (postcode.strip(), town.strip()) if part)
    if place:
        lines.append(place)
    return "\n".join(lines)


def _one_line(address: str) -> str:
    return ", ".join(address.splitlines()) or "–"


def _read(text: str) -> list[tuple[int, dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise HsaImportError(_("The file is empty.")) from None
    except csv.Error as error:
        raise HsaImportError(_("The file is not a CSV file: %(error)s") % {"error": error}) from None
    columns = [ALIASES.get(name.strip().casefold(), name.strip().casefold()) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        labels = {name.casefold(): name for name in _COLUMN_LABELS}
        raise HsaImportError(
            _("Columns missing from the header line: %(columns)s.")
            % {"columns": ", ".join(labels[name] for name in missing)}
        )
    rows = []
    start = reader.line_num + 1
    try:
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((start, {name: value.strip() for name, value in zip(columns, values, strict=False)}))
            start = reader.line_num + 1
    except csv.Error as error:
        raise HsaImportError(_("Line %(line)d: not CSV: %(error)s") % {"line": start, "error": error}) from None
    return rows


_COLUMN_LABELS = (
    "hsaIdentity",
    "ou",
    "hsaResponsibleHealthCareProvider",
    "hospitalHsaIdentity",
    "hospitalName",
)


def _hsa_id(value: str) -> str | None:
    value = normalise_hsa_id(value)
    try:
        validate_hsa_id(value)
    except ValidationError:
        return None
    return value


def _coordinate(value: str, limit: int) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.00001"))


def _parse(
    line: int, values: dict[str, str], providers: dict[str, Region], problems: list[str]
) -> tuple[_Row | None, str | None]:
    """The row, or None and a problem; also the unit's HSA-id when it is well formed (kept active on a problem)."""

    def problem(message: str) -> None:
        problems.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": message})

    hsa_id = _hsa_id(values.get("hsaidentity", ""))
    if hsa_id is None:
        problem(_("the unit's HSA-id is malformed: %(value)s.") % {"value": values.get("hsaidentity", "")})
        return None, None
    name = values.get("ou", "")
    if not name:
        problem(_("the unit %(hsa_id)s has no name (ou).") % {"hsa_id": hsa_id})
        return None, hsa_id
    provider_id = _hsa_id(values.get("hsaresponsiblehealthcareprovider", ""))
    provider = providers.get(provider_id or "")
    if provider is None:
        problem(
            _("no region of SOT has the care provider's HSA-id %(value)s (a region's HSA-id is set in the admin).")
            % {"value": values.get("hsaresponsiblehealthcareprovider", "")}
        )
        return None, hsa_id
    hospital_hsa_id = _hsa_id(values.get("hospitalhsaidentity", ""))
    if hospital_hsa_id is None:
        problem(_("the hospital's HSA-id is malformed: %(value)s.") % {"value": values.get("hospitalhsaidentity", "")})
        return None, hsa_id
    hospital_name = values.get("hospitalname", "")
    if not hospital_name:
        problem(_("the hospital %(hsa_id)s has no name (hospitalName).") % {"hsa_id": hospital_hsa_id})
        return None, hsa_id
    specialty = ""
    if values.get("specialty"):
        specialty = _specialty(values["specialty"]) or ""
        if not specialty:
            problem(
                _("unknown specialty %(value)s (one of: %(known)s).")
                % {"value": values["specialty"], "known": ", ".join(str(label) for label in Specialty.labels)}
            )
            return None, hsa_id
    email = values.get("mail", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem(_("the e-mail address is malformed: %(value)s.") % {"value": email})
            return None, hsa_id
    latitude = longitude = None
    if values.get("latitude") or values.get("longitude"):
        latitude = _coordinate(values.get("latitude", ""), 90)
        longitude = _coordinate(values.get("longitude", ""), 180)
        if latitude is None or longitude is None:
            problem(
                _("not a latitude and a longitude: %(latitude)s, %(longitude)s.")
                % {"latitude": values.get("latitude", ""), "longitude": values.get("longitude", "")}
            )
            return None, hsa_id
    row = _Row(
        line=line,
        hsa_id=hsa_id,
        name=name[:160],
        provider=provider,
        hospital_hsa_id=hospital_hsa_id,
        hospital_name=hospital_name[:120],
        address=_address(values.get("postaladdress", ""), values.get("postalcode", ""), values.get("l", "")),
        phone=values.get("telephonenumber", "")[:40],
        email=email,
        specialty=specialty,
        latitude=latitude,
        longitude=longitude,
    )
    return row, hsa_id


class _Importer:
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
        if self._name_taken(hospital, row.name, None):
            self.problem(
                row,
                _("%(hospital)s already has another unit named %(name)s.")
                % {"hospital": hospital.name, "name": row.name},
            )
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
            if self._name_taken(hospital, row.name, unit):
                self.problem(
                    row,
                    _("%(hospital)s already has another unit named %(name)s.")
                    % {"hospital": hospital.name, "name": row.name},
                )
                return
            self.change(
                _("Moved %(unit)s: %(old)s → %(new)s")
                % {"unit": label, "old": unit.hospital.name, "new": hospital.name}
            )
            unit.hospital = hospital
            fields.append("hospital")
        if unit.name != row.name:
            if self._name_taken(hospital, row.name, unit):
                self.problem(
                    row,
                    _("%(hospital)s already has another unit named %(name)s.")
                    % {"hospital": hospital.name, "name": row.name},
                )
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
        importer = _Importer(result)
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
