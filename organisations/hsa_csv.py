"""Reading an HSA catalogue export (CSV) for `organisations.hsa_import`: the file, its columns and its rows.

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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.hsa import normalise_hsa_id, validate_hsa_id
from organisations.models import Region, Specialty
from organisations.reference_data import UNIT_NAMES

REQUIRED_COLUMNS = ("hsaidentity", "ou", "hsaresponsiblehealthcareprovider", "hospitalhsaidentity", "hospitalname")
ALIASES = {"hsahealthcareprovider": "hsaresponsiblehealthcareprovider"}


class HsaImportError(Exception):
    """The file cannot be read at all (not a CSV, a required column missing)."""


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
