"""The monthly PDF's 12-month trend chart: stored with the figures at build time, drawn in the PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from reports import exporters
from reports.figures import compute_figures
from reports.scopes import Scope
from reports.trends import coordinated_trend
from tests.reports.building import built
from tests.reports.test_reports import accepted, stockholm

OCTOBER = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_built_report_stores_the_trend_and_its_pdf_draws_it(world):
    accepted(world, stockholm(2026, 9, 30, 23, 59))
    accepted(world, stockholm(2026, 10, 1, 0, 0))
    accepted(world, stockholm(2026, 10, 31, 23, 59))
    accepted(world, stockholm(2026, 11, 1, 0, 0))  # after the report's month: not in its trend
    report = built(month=OCTOBER, scope=Scope("region", region=world.home_region))
    assert report.figures is not None
    trend = report.figures["trend"]
    assert trend["months"][0] == "2025-11" and trend["months"][-1] == "2026-10" and len(trend["months"]) == 12
    assert trend["coordinated"] == [0] * 10 + [1, 2]
    text = "".join(page.extract_text() for page in PdfReader(report.pdf_file.open("rb")).pages)
    assert "Samordnade patienter, de senaste 12 månaderna" in text
    assert "nov 25" in text and "sep 26" in text and "okt 26" in text


def test_a_report_stored_before_the_trend_still_prints(world):
    figures = compute_figures(month=OCTOBER, scope=Scope("all"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(exporters.to_pdf(figures))).pages)
    assert "de senaste 12 månaderna" not in text


def test_coordinated_trend_is_the_trend_pages_figure(world):
    from reports.trends import compute_trends

    accepted(world, stockholm(2026, 10, 15, 12))
    scope = Scope("all")
    assert (
        coordinated_trend(last=OCTOBER, scope=scope)["coordinated"]
        == compute_trends(last=OCTOBER, scope=scope)["coordinated"]
    )


def test_the_pdf_writes_amounts_and_decimals_as_swedish_numbers(world):
    """Seen failing first: the cost table printed 123456.50 (Python's form); a Swedish reader expects
    123 456,50, as the figures page writes it. Counts stay whole numbers, an empty cell stays empty."""
    figures = compute_figures(month=OCTOBER, scope=Scope("all"))
    figures["costs"] = [
        {
            "sending_region": "Region Skåne",
            "receiving_region": "Region Kalmar län",
            "group": "Katarakt",
            "patients": 3,
            "amount": "123456.50",
            "without_price": 1,
        }
    ]
    figures["cost_total"], figures["cost_without_price"] = "123456.50", 1
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(exporters.to_pdf(figures))).pages)
    assert "123 456,50" in text.replace("\xa0", " ")
    assert "123456.50" not in text
