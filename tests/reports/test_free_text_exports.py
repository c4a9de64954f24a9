"""Free text is data in every output format, never markup or a formula (issue 12 §2).

Obstacle texts, names and access-log fields reach the monthly report's PDF (ReportLab Paragraph markup),
its CSV and XLSX, and the admin's access-log CSV. Every file is parsed back here: the PDF's text holds the
texts literally with no link and no image; no CSV or XLSX cell starts a formula; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from accounts.models import Role
from audit.models import AccessAction, AccessLogEntry
from referrals import services
from referrals.models import ObstacleCategory, ReferralStatus
from reports.models import MonthlyReport, ReportStatus
from reports.scopes import Scope
from reports.services import last_month
from tests.factories import DiagnosisGroupFactory, ReferralFactory, UserFactory, member
from tests.reports.building import built

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OCTOBER = datetime(2026, 10, 1, tzinfo=STOCKHOLM)

MARKUP = [
    "a<b",
    "<br>",
    "<b>fet",
    "<a href='http://evil.example/x'>klicka</a>",
    "x &amp; y &lt;i&gt;",
    "1 < 2 > 0 & mer",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example/x","klicka")',
    "+46 70 123 45 67",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def record_obstacles(world, texts, month_start: datetime):
    for day, text in enumerate(texts, start=2):
        services.obstacle_record(
            by=world.sot,
            category=ObstacleCategory.OTHER,
            text=text,
            region=world.home_region,
            at=month_start.replace(day=day, hour=10),
        )


def accept(world, at: datetime, *, waited: timedelta, group=None):
    """A request from the home region accepted by the neighbour region at `at`, submitted `waited` before."""
    receiver = UserFactory()
    member(receiver, Role.RECEIVING_STAFF, world.neighbour_unit)
    referral = ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.PROPOSED,
        receiving_unit=world.neighbour_unit,
        diagnosis_group=group or DiagnosisGroupFactory(),
        submitted_at=at - waited,
    )
    services.referral_accept(referral=referral, by=receiver, planned_date=at.date(), at=at)
    return referral


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squeezed(text: str) -> str:
    """Without whitespace: a long text may wrap inside its table cell."""
    return "".join(text.split())


def assert_no_links_or_images(path):
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert "/URI" not in action, "a live link in the PDF"
        assert not page.images, "an image embedded in the PDF"
        xobjects = (cast(DictionaryObject, page["/Resources"]).get("/XObject") or {}).values()
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects)


# --- PDF -------------------------------------------------------------------------------------


def test_markup_in_obstacles_and_names_prints_literally_in_the_pdf(world, tmp_path):
    image = tmp_path / "server-file.png"
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(image)
    texts = [*MARKUP, f'<img src="{image}"/> bild']
    record_obstacles(world, texts, OCTOBER)
    group = DiagnosisGroupFactory(code="markup", name="<i>Grupp & co", ranges=[("S00", "S09")])
    accept(world, OCTOBER.replace(day=12, hour=10), waited=timedelta(days=10), group=group)

    report = built(month=OCTOBER.date(), scope=Scope("region", region=world.home_region))

    assert report.status == ReportStatus.READY
    text = squeezed(pdf_text(report.pdf_file.path))
    for literal in [*texts, "<i>Grupp & co"]:
        assert squeezed(literal) in text, literal
    assert_no_links_or_images(report.pdf_file.path)


def test_a_markup_obstacle_does_not_fail_the_celery_build(world):
    from reports.tasks import build_monthly_report

    record_obstacles(world, ["a<b", "<b>fet", "<br>"], OCTOBER)
    result = build_monthly_report.apply(args=[OCTOBER.date().isoformat(), "region:skane"], throw=False)
    report = MonthlyReport.objects.get(scope_key="region:skane")
    assert (report.status, report.error) == (ReportStatus.READY, "")
    assert result.successful() and result.result == ReportStatus.READY


def test_long_texts_and_control_characters_do_not_fail_the_build(world):
    """A page-long description, a word wider than its column, characters XML cannot hold: all print."""
    long_text = " ".join(f"ord{i}" for i in range(1500))  # taller than a page in its table cell
    unbroken = "x" * 600  # wider than the page
    record_obstacles(world, [long_text, unbroken, "Hinder\x0bmed\x01styrtecken"], OCTOBER)
    report = built(month=OCTOBER.date(), scope=Scope("region", region=world.home_region))
    assert report.status == ReportStatus.READY
    text = pdf_text(report.pdf_file.path)
    assert re.findall(r"ord\d+", text) == long_text.split()  # every word, in order, across pages
    assert unbroken in squeezed(text)
    values = {c.value for sheet in load_workbook(report.xlsx_file.path) for row in sheet.iter_rows() for c in row}
    assert long_text in values and "Hindermedstyrtecken" in values


def test_build_now_succeeds_for_every_scope_holding_a_markup_obstacle(
    client, world, django_capture_on_commit_callbacks
):
    month = last_month()
    record_obstacles(world, ["a<b", "<b>fet"], datetime(month.year, month.month, 1, tzinfo=STOCKHOLM))
    director = UserFactory(username="director-south")
    member(director, Role.HEALTH_DIRECTOR, world.south)  # the healthcare region and its regions
    client.force_login(director)
    for scope in ("region:skane", "healthcare-region:sodra"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:build"), {"month": month.isoformat(), "scope": scope})
        assert response.status_code == 302, scope
        report = MonthlyReport.objects.get(scope_key=scope)
        assert report.status == ReportStatus.READY, (scope, report.error)
        assert "a<b" in pdf_text(report.pdf_file.path)


# --- CSV and XLSX of the monthly report --------------------------------------------------------


def test_csv_and_xlsx_neutralise_formulas_and_keep_numbers(world):
    world.neighbour_region.name = "@Region Blekinge"
    world.neighbour_region.save()
    record_obstacles(world, FORMULAS, OCTOBER)
    group = DiagnosisGroupFactory(code="formel", name="=1+2 grupp", ranges=[("S00", "S09")])
    accept(world, OCTOBER.replace(day=20, hour=10), waited=timedelta(days=12, hours=12), group=group)

    report = built(month=OCTOBER.date(), scope=Scope("region", region=world.home_region))
    assert report.status == ReportStatus.READY and report.figures is not None
    assert report.figures["median_days_to_acceptance"] == 12.5

    # CSV: semicolons, the injected cells quote-prefixed, the median with a decimal comma.
    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for text in FORMULAS:
        assert "'" + text in cells, text
    assert ["'=1+2 grupp", "Region Skåne", "'@Region Blekinge", "1"] in rows
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert ["Median antal dagar från inskick till accepterad", "12,5"] in rows

    # XLSX: no formula anywhere, the texts as text with the same prefix, numbers as numbers.
    workbook = load_workbook(report.xlsx_file.path)
    every = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in every if c.data_type == "f"]
    assert not [c.value for c in every if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]
    descriptions = {c.value: c.data_type for c in every if isinstance(c.value, str) and c.value.startswith("'")}
    for text in FORMULAS:
        assert descriptions.get("'" + text) == "s", text
    coordinated = workbook["Samordnade patienter"]
    assert [c.value for c in coordinated[2]] == ["'=1+2 grupp", "Region Skåne", "'@Region Blekinge", 1]
    assert coordinated["D2"].data_type == "n"
    summary = {row[0].value: row[1] for row in workbook["Översikt"].iter_rows(min_row=2)}
    median = summary["Median antal dagar från inskick till accepterad"]
    assert (median.value, median.data_type) == (12.5, "n")
    assert (summary["Inskickade begäranden"].value, summary["Inskickade begäranden"].data_type) == (1, "n")


def test_leading_tab_and_carriage_return_are_neutralised(world):
    """The service strips texts; an older or imported text may still start with a tab or CR."""
    from referrals.models import Obstacle, ObstacleSource

    for day, text in ((3, "\t=1+1"), (4, "\r=1+1")):
        Obstacle.objects.create(
            category=ObstacleCategory.OTHER,
            text=text,
            region=world.home_region,
            source=ObstacleSource.STANDALONE,
            created_by=world.sot,
            created_at=OCTOBER.replace(day=day, hour=10),
        )
    report = built(month=OCTOBER.date(), scope=Scope("region", region=world.home_region))
    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'\t=1+1" in cells and "'\r=1+1" in cells
    workbook = load_workbook(report.xlsx_file.path)
    values = {c.value for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "'\t=1+1" in values
    assert "'\r=1+1" in values or "'\n=1+1" in values  # XML reads a CR back as a line feed


def test_the_shared_helper():
    from sot.tabular import csv_cell, neutralise

    for dangerous in ["=1+1", "+1", "-1", "@x", "\t=1", "\rx", "=", "-"]:
        assert neutralise(dangerous) == "'" + dangerous
    for safe in ["", "Kapacitet", "1-2", "'=quoted", "x=1", "12,5", "–", "2026-10-20"]:
        assert neutralise(safe) == safe
    for number in [0, -5, 12.5, -12.5, Decimal("-1.25"), None]:
        assert neutralise(number) == number  # only strings are neutralised; numbers stay numbers
    assert [csv_cell(v) for v in (12.5, -12.5, Decimal("3.10"), 7, -7, None, "=x")] == [
        "12,5",
        "-12,5",
        "3,10",
        "7",
        "-7",
        "",
        "'=x",
    ]


# --- the access log's CSV export ---------------------------------------------------------------


def test_access_log_export_neutralises_every_text_field(client, world):
    world.home_unit.name = "+Ortopedi Lund"
    world.home_unit.save()
    hostile = UserFactory(username='=HYPERLINK("http://evil.example/x","klicka")')
    member(hostile, Role.UNIT_STAFF, world.home_unit)
    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.SUBMITTED)
    client.force_login(hostile)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    AccessLogEntry.objects.create(
        user=UserFactory(username="@admin-ish"),
        role="-role",
        place="=1+1",
        patient=referral.patient,
        referral=referral,
        action=AccessAction.READ,
        what="@SUM(A1)",
    )

    client.force_login(world.administrator)
    entries = list(AccessLogEntry.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:audit_accesslogentry_changelist"),
        {"action": "export_csv", "_selected_action": entries, "q": ""},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    for text in [hostile.username, "@admin-ish", "-role", "=1+1", "@SUM(A1)"]:
        assert "'" + text in cells, text
    assert any(cell.startswith("'+Ortopedi Lund") for cell in cells)
    assert referral.patient.personal_number in cells  # digits stay as they are
