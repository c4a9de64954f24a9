"""The directors' reports page with personas; files only for those allowed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports.models import MonthlyReport, ReportStatus
from reports.scopes import Scope
from reports.services import last_month
from tests.factories import UserFactory, member
from tests.i18n import shown_html
from tests.reports.building import built

LIST = reverse("reports:list")
BUILD = reverse("reports:build")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, user):
    client.force_login(user)
    return client


def test_list_personas(client, world):
    assert client.get(LIST).status_code == 302
    for persona in ("unit_staff", "sot", "receiving_staff", "nobody"):
        assert login(client, getattr(world, persona)).get(LIST).status_code == 403, persona
    assert login(client, world.director).get(LIST).status_code == 200
    assert login(client, world.administrator).get(LIST).status_code == 200
    assert login(client, world.director).delete(LIST).status_code == 405


def test_director_builds_now_and_sees_it_ready(client, world, django_capture_on_commit_callbacks):
    login(client, world.director)
    month = last_month()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BUILD, {"month": month.isoformat(), "scope": "region:skane"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.month, report.scope_key, report.status) == (month, "region:skane", ReportStatus.READY)
    body = client.get(LIST).content.decode()
    assert reverse("reports:download", args=[report.pk, "pdf"]) in body
    assert "hx-trigger" not in body  # nothing pending: the page stops polling


def test_director_cannot_build_another_regions_report_or_a_future_month(client, world):
    login(client, world.director)
    client.post(BUILD, {"month": last_month().isoformat(), "scope": "region:blekinge"})
    client.post(BUILD, {"month": timezone.localdate().replace(day=1).isoformat(), "scope": "region:skane"})
    assert not MonthlyReport.objects.exists()


def test_pending_reports_make_the_page_poll(client, world):
    MonthlyReport.objects.create(month=date(2026, 9, 1), scope_key="region:skane", scope_label="Region Skåne")
    login(client, world.director)
    body = client.get(LIST).content.decode()
    assert 'hx-trigger="every 2s"' in body
    fragment = client.get(LIST, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and shown_html(ReportStatus.QUEUED.label) in fragment


def test_downloads_only_for_those_who_may_see_them(client, world):
    report = built(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region))
    other = built(month=date(2026, 10, 1), scope=Scope("region", region=world.neighbour_region))
    url = reverse("reports:download", args=[report.pk, "pdf"])
    assert client.get(url).status_code == 302
    response = login(client, world.director).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "sot-manadsrapport-2026-10-region-skane.pdf" in response["Content-Disposition"]
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("reports:download", args=[report.pk, fmt])).status_code == 200
    assert client.get(reverse("reports:download", args=[report.pk, "exe"])).status_code == 404
    assert client.get(reverse("reports:download", args=[other.pk, "pdf"])).status_code == 404  # another region
    for persona in ("sot", "unit_staff"):
        assert login(client, getattr(world, persona)).get(url).status_code == 404


def test_healthcare_region_director_sees_its_regions(client, world):
    hr_director = UserFactory(username="hr-director")
    member(hr_director, Role.HEALTH_DIRECTOR, world.south)
    skane = built(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region))
    kalmar = built(month=date(2026, 10, 1), scope=Scope("region", region=world.far_region))
    south = built(month=date(2026, 10, 1), scope=Scope("healthcare_region", healthcare_region=world.south))
    reports = login(client, hr_director).get(LIST).context["reports"]
    assert {r.pk for r in reports} == {skane.pk, south.pk}
    assert kalmar.pk not in {r.pk for r in reports}


def test_a_director_sees_no_patient_page(client, world):
    from tests.factories import ReferralFactory

    referral = ReferralFactory(sending_unit=world.home_unit)
    login(client, world.director)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("referrals:withdraw", args=[referral.pk])).status_code == 404


def test_a_missing_file_is_404_not_500(client, world):
    import os

    report = built(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region))
    os.remove(report.pdf_file.path)
    assert login(client, world.director).get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
