"""Months in reports as Swedish writes them: "oktober 2026"."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from reports.exporters import title
from reports.forms import BuildReportForm
from reports.months import month_label


def test_month_label_in_swedish_and_english():
    with translation.override("sv"):
        assert month_label(date(2026, 10, 1)) == "oktober 2026"
        assert month_label("2026-01") == "januari 2026"
    with translation.override("en"):
        assert month_label(date(2026, 10, 1)) == "October 2026"


def test_the_files_heading_names_the_month_in_words():
    with translation.override("sv"):
        assert (
            title({"month": "2026-10", "scope_label": "Region Skåne"})
            == "SOT månadsrapport oktober 2026 – Region Skåne"
        )


def test_the_build_form_lists_months_in_words():
    with translation.override("sv"):
        form = BuildReportForm(scopes=[])
        labels = [label for _value, label in form.fields["month"].choices]  # type: ignore[attr-defined]
    assert labels and all(label.split()[0].islower() and label.split()[1].isdigit() for label in labels)


def test_the_report_list_names_the_month_in_words(client, world):
    from datetime import date

    from django.urls import reverse

    from reports.models import MonthlyReport

    MonthlyReport.objects.create(month=date(2026, 9, 1), scope_key="region:skane", scope_label="Region Skåne")
    client.force_login(world.director)
    body = client.get(reverse("reports:list")).content.decode()
    assert "september 2026" in body
    assert ">2026-09<" not in body
