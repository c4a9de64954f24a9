"""The whole country as reference data: every healthcare region and region, hospitals inside Sweden, the
codes and ids of what SOT had before kept, participation set only when a region is created, and a load that
refuses bad rows, naming them, and then changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from organisations import reference_data as geo
from organisations.models import HealthcareRegion, Hospital, Region, Unit
from organisations.reference_checks import geography_errors
from organisations.reference_data import SWEDEN_LATITUDE, SWEDEN_LONGITUDE

pytestmark = pytest.mark.django_db

GEOGRAPHY = (HealthcareRegion, Region, Hospital, Unit)
SOT_FROM_THE_START = {"skane", "blekinge", "kronoberg", "halland", "ostergotland", "jonkoping", "kalmar"}


def _load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def _rows() -> dict[str, list[tuple]]:
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in GEOGRAPHY}


def test_all_six_healthcare_regions_and_21_regions():
    _load()
    assert set(HealthcareRegion.objects.values_list("name", flat=True)) == {
        "Norra sjukvårdsregionen",
        "Uppsala–Örebro sjukvårdsregion",
        "Sjukvårdsregion Stockholm–Gotland",
        "Västra sjukvårdsregionen",
        "Sydöstra sjukvårdsregionen",
        "Södra sjukvårdsregionen",
    }
    assert Region.objects.count() == 21
    per_healthcare_region = {hr.code: hr.regions.count() for hr in HealthcareRegion.objects.all()}
    assert per_healthcare_region == {
        "norra": 4,
        "uppsala-orebro": 7,
        "stockholm-gotland": 2,
        "vastra": 1,
        "sydostra": 3,
        "sodra": 4,
    }


def test_every_region_has_hospitals_with_surgical_units_inside_sweden():
    _load()
    for region in Region.objects.all():
        assert Unit.objects.filter(hospital__region=region).exists(), region
    for hospital in Hospital.objects.all():
        assert SWEDEN_LATITUDE[0] <= hospital.latitude <= SWEDEN_LATITUDE[1], hospital
        assert SWEDEN_LONGITUDE[0] <= hospital.longitude <= SWEDEN_LONGITUDE[1], hospital
        assert hospital.town, hospital


def test_the_shipped_geography_has_no_bad_row():
    assert geography_errors(geo.HEALTHCARE_REGIONS, geo.REGIONS, geo.HOSPITALS) == []


def test_the_regions_sot_started_with_take_part_and_the_others_wait_for_the_administrator():
    _load()
    assert set(Region.objects.taking_part(on=timezone.localdate()).values_list("code", flat=True)) == (
        SOT_FROM_THE_START
    )


def test_what_sot_had_before_keeps_its_ids_and_codes(monkeypatch):
    # The geography as it was when SOT knew Södra and Sydöstra only: their rows come first in the lists.
    with monkeypatch.context() as before:
        before.setattr(geo, "HEALTHCARE_REGIONS", geo.HEALTHCARE_REGIONS[:2])
        before.setattr(geo, "REGIONS", geo.REGIONS[:7])
        before.setattr(geo, "HOSPITALS", geo.HOSPITALS[:25])
        _load()
    ids = {model._meta.label: dict(model.objects.values_list("code", "pk")) for model in GEOGRAPHY}
    assert len(ids["organisations.Unit"]) == 107
    _load()
    for model in GEOGRAPHY:
        now = dict(model.objects.values_list("code", "pk"))
        assert {code: now[code] for code in ids[model._meta.label]} == ids[model._meta.label], model


def test_the_load_never_changes_whether_a_region_takes_part():
    _load()
    Region.objects.filter(code="vastra-gotaland").update(takes_part=True, joined_on="2026-11-02")
    Region.objects.filter(code="skane").update(takes_part=False)
    rows = _rows()
    out = _load()
    assert _rows() == rows
    assert "nothing changed" in out


def _bad(monkeypatch, what: str, row) -> None:
    """The shipped data with one row added or replaced (`row` replaces the row of the same code)."""
    rows = list(getattr(geo, what))
    same = [i for i, r in enumerate(rows) if r[0] == row[0]]
    if same:
        rows[same[0]] = row
    else:
        rows.append(row)
    monkeypatch.setattr(geo, what, rows)


def _hospital(**changes):
    good = geo.ReferenceHospital("nytt", "Nya sjukhuset", "Nyby", "skane", "55.9", "13.5", ["orthopaedics"])
    return good._replace(**changes)


NEW_ROW = "Hospital row 74 (nytt, Nya sjukhuset): "


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_hospital(latitude="54.90000"), NEW_ROW + "the coordinates 54.90000, 13.5 lie outside Sweden"),
        (_hospital(longitude="24.5"), NEW_ROW + "the coordinates 55.9, 24.5 lie outside Sweden"),
        (_hospital(latitude="5x"), NEW_ROW + "the coordinates '5x', '13.5' are not numbers"),
        (_hospital(region=""), NEW_ROW + "it has no region."),
        (_hospital(region="atlantis"), NEW_ROW + "its region 'atlantis' is not in the list."),
        (_hospital(specialties=["orthopaedics", "astrology"]), NEW_ROW + "unknown specialties ['astrology']."),
        (_hospital(code="sus-lund", name="Lunds andra sjukhus"), None),  # replaces Lund's row: no error
    ],
)
def test_a_bad_hospital_row_is_named(monkeypatch, row, message):
    _bad(monkeypatch, "HOSPITALS", row)
    errors = geography_errors(geo.HEALTHCARE_REGIONS, geo.REGIONS, geo.HOSPITALS)
    if message is None:
        assert errors == []
    else:
        assert len(errors) == 1 and errors[0].startswith(message), errors


def test_a_duplicate_code_is_named_with_its_rows(monkeypatch):
    monkeypatch.setattr(geo, "HOSPITALS", [*geo.HOSPITALS, _hospital(code="ystad", name="Ystads nya lasarett")])
    monkeypatch.setattr(geo, "REGIONS", [*geo.REGIONS, geo.ReferenceRegion("skane", "Region Skåne 2", "sodra")])
    errors = geography_errors(geo.HEALTHCARE_REGIONS, geo.REGIONS, geo.HOSPITALS)
    assert errors == [
        "The region code 'skane' is given 2 times (rows 1, 22).",
        "The hospital code 'ystad' is given 2 times (rows 5, 74).",
    ]


def test_a_region_without_a_known_healthcare_region_is_named(monkeypatch):
    monkeypatch.setattr(geo, "REGIONS", [*geo.REGIONS, geo.ReferenceRegion("ny", "Region Ny", "mellersta")])
    assert geography_errors(geo.HEALTHCARE_REGIONS, geo.REGIONS, geo.HOSPITALS) == [
        "Region row 22 (ny, Region Ny): its healthcare region 'mellersta' is not in the list."
    ]


@pytest.mark.parametrize(
    "bad",
    [
        ("HOSPITALS", _hospital(latitude="70.2")),
        ("HOSPITALS", _hospital(code="ystad")),
        ("HOSPITALS", _hospital(region="")),
        ("HOSPITALS", _hospital(region="atlantis")),
        ("REGIONS", geo.ReferenceRegion("blekinge", "Region Skåne", "sodra")),  # a name given twice
    ],
)
def test_with_a_bad_row_the_load_changes_nothing_and_says_which_row(monkeypatch, bad):
    _load()
    before = _rows()
    what, row = bad
    monkeypatch.setattr(geo, "HEALTHCARE_REGIONS", [*geo.HEALTHCARE_REGIONS[:5], ("vastra", "Västra (renamed)")])
    if what == "HOSPITALS" and row.code == "ystad":
        monkeypatch.setattr(geo, "HOSPITALS", [*geo.HOSPITALS, row])
    else:
        _bad(monkeypatch, what, row)
    with pytest.raises(CommandError) as raised:
        _load()
    assert "nothing was changed" in str(raised.value)
    assert "row" in str(raised.value)
    assert _rows() == before  # the good change in the same load (a renamed healthcare region) is not made


def test_a_bad_row_on_an_empty_database_creates_nothing(monkeypatch):
    _bad(monkeypatch, "HOSPITALS", _hospital(longitude="9.0"))
    with pytest.raises(CommandError, match=r"Hospital row 74 \(nytt, Nya sjukhuset\): the coordinates"):
        _load()
    assert not any(model.objects.exists() for model in GEOGRAPHY)
