"""Units imported from an HSA catalogue export: created, updated, deactivated and reactivated, never deleted."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from organisations.hsa_import import import_hsa_units
from organisations.models import Hospital, Region, Specialty, Unit
from tests.factories import HospitalFactory, RegionFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "hsaIdentity;ou;hsaResponsibleHealthCareProvider;hospitalHsaIdentity;hospitalName;postalAddress;postalCode;l;"
    "telephoneNumber;mail;specialty;latitude;longitude"
)
KALMAR = "SE2321000000-KLM"
SKANE = "SE2321000001-SKN"
HOSPITAL = "SE2321000000-K100"


def line(
    hsa_id: str,
    name: str,
    *,
    provider: str = KALMAR,
    hospital: str = HOSPITAL,
    hospital_name: str = "Länssjukhuset i Kalmar",
    street: str = "Lasarettsvägen 1",
    phone: str = "010-100 10 01",
    mail: str = "enhet@example.se",
    specialty: str = "Ortopedi",
    latitude: str = "",
    longitude: str = "",
) -> str:
    town = ["392 44", "Kalmar"]
    return ";".join(
        [hsa_id, name, provider, hospital, hospital_name, street, *town, phone, mail, specialty, latitude, longitude]
    )


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode(encoding)


@pytest.fixture
def kalmar() -> Region:
    return RegionFactory(name="Region Kalmar län", hsa_id=KALMAR)


@pytest.fixture
def hospital(kalmar: Region) -> Hospital:
    return HospitalFactory(name="Länssjukhuset i Kalmar", region=kalmar, hsa_id=HOSPITAL, address="")


def run(data: bytes, tmp_path: Path, *args: str) -> tuple[str, str]:
    path = tmp_path / "hsa.csv"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    with translation.override("sv"):
        call_command("import_hsa_units", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple[Any, ...]]:
    units = Unit.objects.order_by("pk").values_list(
        "pk", "code", "name", "hospital_id", "specialty", "is_active", "hsa_id", "phone", "function_email"
    )
    hospitals = Hospital.objects.order_by("pk").values_list(
        "pk", "code", "name", "region_id", "latitude", "longitude", "address", "hsa_id"
    )
    return [*units, *hospitals]


def test_a_new_unit_is_created_with_a_code_from_its_hsa_id(hospital: Hospital, tmp_path: Path) -> None:
    out, err = run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path)
    unit = Unit.objects.get(hsa_id="SE2321000000-K101")
    assert (unit.code, unit.name, unit.hospital, unit.specialty) == (
        "se2321000000-k101",
        "Ortopedi",
        hospital,
        Specialty.ORTHOPAEDICS,
    )
    assert (unit.phone, unit.function_email, unit.is_active) == ("010-100 10 01", "enhet@example.se", True)
    hospital.refresh_from_db()
    assert hospital.address == "Lasarettsvägen 1\n392 44 Kalmar"
    assert "Ny enhet Ortopedi, Länssjukhuset i Kalmar (SE2321000000-K101)" in out
    assert "Enheter – nya: 1, ändrade: 0, inaktiverade: 0, återaktiverade: 0;" in out
    assert err == ""


def test_names_phone_and_email_are_updated_and_the_change_shown(hospital: Hospital, tmp_path: Path) -> None:
    unit = UnitFactory(hospital=hospital, name="Ortopedkliniken", hsa_id="SE2321000000-K101", phone="1", code="ort")
    out, _ = run(csv_bytes(line("SE2321000000-K101", "Ortopedi", mail="ny@example.se")), tmp_path)
    unit.refresh_from_db()
    assert (unit.name, unit.phone, unit.function_email, unit.code) == (
        "Ortopedi",
        "010-100 10 01",
        "ny@example.se",
        "ort",
    )
    assert "Ändrat namn SE2321000000-K101: Ortopedkliniken → Ortopedi" in out
    assert "Ändrat telefonnummer Ortopedi (SE2321000000-K101): 1 → 010-100 10 01" in out
    assert "nya: 0, ändrade: 1," in out


def test_a_second_run_changes_nothing(hospital: Hospital, tmp_path: Path) -> None:
    UnitFactory(hospital=hospital, name="Kirurgi", hsa_id="SE2321000000-K102", specialty=Specialty.GENERAL_SURGERY)
    UnitFactory(hospital=hospital, name="Gamla enheten", hsa_id="SE2321000000-K199")
    data = csv_bytes(
        line("SE2321000000-K101", "Ortopedi"),
        line("SE2321000000-K102", "Kirurgi", specialty="Allmänkirurgi"),
        line(
            "SE2321000000-K201",
            "Ortopedi",
            hospital="SE2321000000-K200",
            hospital_name="Nya sjukhuset",
            street="Storgatan 2",
            latitude="57,1",
            longitude="16.5",
        ),
    )
    first, _ = run(data, tmp_path)
    assert "Nytt sjukhus Nya sjukhuset (SE2321000000-K200) i Region Kalmar län" in first
    assert "Inaktiverad Gamla enheten" in first
    before = snapshot()
    second, err = run(data, tmp_path)
    assert snapshot() == before
    assert "Inga ändringar." in second
    assert "nya: 0, ändrade: 0, inaktiverade: 0, återaktiverade: 0; nya eller ändrade sjukhus: 0;" in second
    assert err == ""
    assert Hospital.objects.get(hsa_id="SE2321000000-K200").latitude == Decimal("57.10000")


def test_units_missing_from_the_file_are_deactivated_never_deleted(hospital: Hospital, tmp_path: Path) -> None:
    gone = UnitFactory(hospital=hospital, name="Urologi", hsa_id="SE2321000000-K103")
    no_hsa = UnitFactory(hospital=hospital, name="Handkirurgi", hsa_id=None)
    out, _ = run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path)
    gone.refresh_from_db()
    no_hsa.refresh_from_db()
    assert not gone.is_active and not no_hsa.is_active
    assert Unit.objects.count() == 3
    assert "Inaktiverad Urologi, Länssjukhuset i Kalmar (SE2321000000-K103)" in out


def test_a_care_provider_not_in_the_file_is_untouched(hospital: Hospital, tmp_path: Path) -> None:
    skane = RegionFactory(name="Region Skåne", hsa_id=SKANE)
    lund = UnitFactory(hospital=HospitalFactory(region=skane), name="Ortopedi", hsa_id="SE2321000001-L1")
    other = UnitFactory(hospital=HospitalFactory(), name="Kirurgi")  # a region without an HSA-id
    run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path)
    assert Unit.objects.get(pk=lund.pk).is_active
    assert Unit.objects.get(pk=other.pk).is_active


def test_an_inactive_unit_in_the_file_is_reactivated(hospital: Hospital, tmp_path: Path) -> None:
    unit = UnitFactory(
        hospital=hospital,
        name="Ortopedi",
        hsa_id="SE2321000000-K101",
        is_active=False,
        phone="010-100 10 01",
        function_email="enhet@example.se",
    )
    hospital.address = "Lasarettsvägen 1\n392 44 Kalmar"
    hospital.save()
    out, _ = run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path)
    unit.refresh_from_db()
    assert unit.is_active
    assert "Återaktiverad Ortopedi (SE2321000000-K101)" in out
    assert "nya: 0, ändrade: 0, inaktiverade: 0, återaktiverade: 1;" in out


def test_existing_data_without_hsa_ids_is_linked_by_name(kalmar: Region, tmp_path: Path) -> None:
    hospital = HospitalFactory(name="Länssjukhuset i Kalmar", region=kalmar, hsa_id=None)
    unit = UnitFactory(hospital=hospital, name="Ortopedi", hsa_id=None)
    out, _ = run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path)
    hospital.refresh_from_db()
    unit.refresh_from_db()
    assert (hospital.hsa_id, unit.hsa_id, unit.is_active) == (HOSPITAL, "SE2321000000-K101", True)
    assert Unit.objects.count() == 1
    assert "HSA-id SE2321000000-K101 har getts till enheten Ortopedi, Länssjukhuset i Kalmar" in out


def test_bad_rows_are_reported_with_their_line_and_skipped(hospital: Hospital, tmp_path: Path) -> None:
    keep = UnitFactory(hospital=hospital, name="Kirurgi", hsa_id="SE2321000000-K102")
    data = csv_bytes(
        line("SE2321000000-K101", "Ortopedi"),
        line("SE2321000000 K9", "Trasig"),
        line("SE2321000000-K102", "Kirurgi", specialty="Tandvård"),
        line("SE2321000000-K104", "Okänd", provider="SE9999999999-X"),
        line("SE2321000000-K105", "Ny", hospital="SE2321000000-K900", hospital_name="Okänt sjukhus"),
    )
    out, err = run(data, tmp_path)
    assert "Rad 3: enhetens HSA-id är felaktigt: SE2321000000 K9." in err
    assert "Rad 4: okänd specialitet Tandvård" in err
    assert "Rad 5: ingen region i SOT har vårdgivarens HSA-id SE9999999999-X" in err
    assert "Rad 6: sjukhuset Okänt sjukhus (SE2321000000-K900) finns inte i SOT" in err
    assert "överhoppade rader: 4." in out
    assert set(Unit.objects.values_list("hsa_id", flat=True)) == {"SE2321000000-K101", "SE2321000000-K102"}
    keep.refresh_from_db()
    assert keep.is_active  # its row was wrong, not missing: not deactivated
    assert keep.specialty == Specialty.ORTHOPAEDICS


def test_strict_applies_nothing_when_a_row_is_wrong(hospital: Hospital, tmp_path: Path) -> None:
    UnitFactory(hospital=hospital, name="Urologi", hsa_id="SE2321000000-K103")
    before = snapshot()
    data = csv_bytes(line("SE2321000000-K101", "Ortopedi"), line("SE2321000000-K102", "Kirurgi", specialty="?"))
    with pytest.raises(CommandError, match="ingenting har ändrats"):
        run(data, tmp_path, "--strict")
    assert snapshot() == before


def test_dry_run_shows_the_changes_and_saves_nothing(hospital: Hospital, tmp_path: Path) -> None:
    UnitFactory(hospital=hospital, name="Urologi", hsa_id="SE2321000000-K103")
    before = snapshot()
    out, _ = run(csv_bytes(line("SE2321000000-K101", "Ortopedi")), tmp_path, "--dry-run")
    assert "Ny enhet Ortopedi" in out and "Inaktiverad Urologi" in out
    assert "Provkörning: ingenting har sparats." in out
    assert snapshot() == before


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_either_delimiter_and_utf8_with_or_without_bom_or_windows_1252(
    hospital: Hospital, delimiter: str, encoding: str
) -> None:
    text = "\n".join([HEADER, line("SE2321000000-K105", "Öron-, näs- och halssjukvård", specialty="Öron-näsa-hals")])
    if delimiter == ",":
        text = "\n".join(",".join(f'"{cell}"' for cell in row.split(";")) for row in text.splitlines())
    result = import_hsa_units(text.encode(encoding))
    assert result.problems == []
    unit = Unit.objects.get(hsa_id="SE2321000000-K105")
    assert (unit.name, unit.specialty) == ("Öron-, näs- och halssjukvård", Specialty.ENT)


def test_a_missing_column_is_refused_before_anything(hospital: Hospital, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="hospitalHsaIdentity"):
        run(b"hsaIdentity;ou;hsaResponsibleHealthCareProvider;hospitalName\nSE2321000000-K1;A;X;B\n", tmp_path)


def test_the_example_file_runs(tmp_path: Path) -> None:
    kalmar = RegionFactory(name="Region Kalmar län", hsa_id=KALMAR)
    for name in ("Länssjukhuset i Kalmar", "Västerviks sjukhus", "Oskarshamns sjukhus"):
        HospitalFactory(name=name, region=kalmar)
    example = Path(__file__).resolve().parents[2] / "organisations" / "fixtures" / "hsa_units_example.csv"
    result = import_hsa_units(example.read_bytes())
    assert result.problems == []
    assert Unit.objects.filter(hospital__region=kalmar, is_active=True).count() == 11
