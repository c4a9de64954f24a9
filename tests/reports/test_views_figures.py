"""The figures page (Siffror och trender) with personas, scopes, bad input and the CSP."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from reports.services import last_month
from tests.reports.test_reports import accepted, stockholm

FIGURES = reverse("reports:figures")


def login(client, user):
    client.force_login(user)
    return client


def test_personas(client, world):
    assert client.get(FIGURES).status_code == 302
    assert client.get(FIGURES)["Location"].startswith(resolve_url(settings.LOGIN_URL))
    for persona in ("unit_staff", "receiving_staff", "nobody"):
        assert login(client, getattr(world, persona)).get(FIGURES).status_code == 403, persona
    for persona in ("director", "sot", "administrator"):
        assert login(client, getattr(world, persona)).get(FIGURES).status_code == 200, persona
    assert login(client, world.director).post(FIGURES).status_code == 405


def test_a_scope_not_theirs_is_404(client, world):
    login(client, world.director)  # Region Skåne
    assert client.get(FIGURES, {"scope": "region:skane"}).status_code == 200
    assert client.get(FIGURES, {"scope": "region:blekinge"}).status_code == 404
    assert client.get(FIGURES, {"scope": "healthcare-region:sodra"}).status_code == 404
    assert client.get(FIGURES, {"scope": "all"}).status_code == 404
    assert client.get(FIGURES, {"scope": "nonsense"}).status_code == 404
    login(client, world.sot)  # the SOT representative of Region Skåne
    assert client.get(FIGURES, {"scope": "region:skane"}).status_code == 200
    assert client.get(FIGURES, {"scope": "region:blekinge"}).status_code == 404


def test_the_page_shows_the_month_and_its_trend(client, world):
    accepted(world, stockholm(2026, 10, 31, 23, 59))
    accepted(world, stockholm(2026, 11, 1, 0, 0))
    body = login(client, world.director).get(FIGURES, {"month": "2026-10"}).content.decode()
    assert "Siffror och trender" in body and "Läget oktober 2026" in body
    assert re.search(r'data-figure="coordinated">1<', body)  # October only: the 1 November one is not counted
    assert body.count('class="sot-chart" role="img"') == 11 and body.count("<title>") >= 11
    table = body[body.index('data-testid="figures-table-coordinated"') :]
    table = table[: table.index("</table>")]
    assert '<abbr title="november 2025">nov 25</abbr>' in table and '<abbr title="oktober 2026">okt 26</abbr>' in table
    assert table.index("nov 25") < table.index("okt 26")
    body = client.get(FIGURES, {"month": "2026-11"}).content.decode()
    assert re.search(r'data-figure="coordinated">1<', body)


def test_default_month_is_last_month(client, world):
    body = login(client, world.sot).get(FIGURES).content.decode()
    from reports.months import month_label

    assert f"Läget {month_label(last_month())}" in body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13", "Ange år och månad, till exempel 2026-10."),
        ("oktober", "Ange år och månad, till exempel 2026-10."),
        ("2999-01", "Välj en månad som har tagit slut."),
        ("1999-12", "Välj en månad från år 2000 och framåt."),
    ],
)
def test_bad_month_gets_a_swedish_message_by_the_field(client, world, value, message):
    response = login(client, world.director).get(FIGURES, {"month": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<div class="invalid-feedback" id="month-error">{message}</div>' in body
    assert 'aria-invalid="true"' in body


def test_csp_and_no_inline_style_or_script(client, world):
    accepted(world, stockholm(2026, 10, 15, 12))
    response = login(client, world.director).get(FIGURES, {"month": "2026-10"})
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    body = response.content.decode()
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # scripts only from files


def test_no_patient_on_the_page(client, world):
    referral = accepted(world, stockholm(2026, 10, 15, 12))
    body = login(client, world.director).get(FIGURES, {"month": "2026-10"}).content.decode()
    assert referral.patient_name not in body and referral.reference not in body
    assert referral.patient.personal_number not in body


def test_navigation_link_for_directors_and_sot(client, world):
    for persona, shown in (("director", True), ("sot", True), ("unit_staff", False)):
        body = login(client, getattr(world, persona)).get("/").content.decode()
        assert (f'href="{FIGURES}"' in body) is shown, persona


def test_the_figures_are_fresh_and_say_when_they_were_computed(client, world):
    login(client, world.director)
    assert "Beräknade nu, kl." in client.get(FIGURES, {"month": "2026-10"}).content.decode()
    accepted(world, stockholm(2026, 10, 15, 12))
    body = client.get(FIGURES, {"month": "2026-10"}).content.decode()
    assert re.search(r'data-figure="coordinated">1<', body)  # never kept from an earlier view
