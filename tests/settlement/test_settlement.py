"""Cost price: fixed at acceptance, kept, missing; the report's costs; settlement files and their scopes."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.models import Role
from capacity.models import CareType
from referrals import services
from referrals.models import ReferralStatus
from reports.exporters import to_csv, to_xlsx
from reports.figures import compute_figures
from reports.scopes import Scope
from settlement.models import PriceListEntry, ReferralPrice
from tests.factories import DiagnosisGroupFactory, ReferralFactory, UserFactory, member

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OCTOBER = date(2026, 10, 1)
DAY, INPATIENT = CareType.DAY_SURGERY, CareType.INPATIENT


def sv(msgid: str) -> str:
    """A label of the files as the Swedish interface writes it (tests compare with the msgid's translation)."""
    with translation.override("sv"):
        return gettext(msgid)


def stockholm(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[arg-type,misc]


def price(region, group, year, care_form, amount) -> PriceListEntry:
    return PriceListEntry.objects.create(
        receiving_region=region, diagnosis_group=group, year=year, care_form=care_form, price=Decimal(amount)
    )


def accept(world, at, *, group, care_form=INPATIENT, receiving=None, sending=None):
    receiving = receiving or world.neighbour_unit
    referral = ReferralFactory(
        sending_unit=sending or world.home_unit,
        status=ReferralStatus.PROPOSED,
        receiving_unit=receiving,
        diagnosis_group=group,
        submitted_at=at - timedelta(days=10),
    )
    receiver = UserFactory()
    member(receiver, Role.RECEIVING_STAFF, receiving)
    services.referral_accept(referral=referral, by=receiver, planned_date=at.date(), at=at, care_form=care_form)
    return referral


def fixed(referral) -> ReferralPrice:
    return ReferralPrice.objects.get(referral=referral)


# --- the price fixed at acceptance -----------------------------------------------------------------


def test_price_in_force_on_the_acceptance_date_across_the_year_boundary(world):
    group = DiagnosisGroupFactory()
    price(world.neighbour_region, group, 2025, INPATIENT, "80000.00")
    price(world.neighbour_region, group, 2026, INPATIENT, "83000.50")
    # 23:30 on 31 December in Stockholm is 22:30 UTC, still 2025; 00:10 on 1 January is 2026 (23:10 UTC 2025)
    late = accept(world, stockholm(2025, 12, 31, 23, 30), group=group)
    early = accept(world, stockholm(2026, 1, 1, 0, 10), group=group)
    assert (fixed(late).year, fixed(late).price) == (2025, Decimal("80000.00"))
    assert (fixed(early).year, fixed(early).price) == (2026, Decimal("83000.50"))
    assert fixed(early).care_form == INPATIENT and fixed(early).receiving_region == world.neighbour_region


def test_the_fixed_price_is_kept_when_the_list_changes(world):
    group = DiagnosisGroupFactory()
    entry = price(world.neighbour_region, group, 2026, DAY, "30000.00")
    referral = accept(world, stockholm(2026, 10, 5, 10), group=group, care_form=DAY)
    entry.price = Decimal("99999.00")
    entry.save()
    assert fixed(referral).price == Decimal("30000.00")
    entry.delete()  # even gone from the list, the copied amount stays
    assert (fixed(referral).price, fixed(referral).entry) == (Decimal("30000.00"), None)


def test_no_price_never_blocks_the_acceptance(world):
    group = DiagnosisGroupFactory()
    price(world.neighbour_region, group, 2026, DAY, "30000.00")  # another care form
    referral = accept(world, stockholm(2026, 10, 5, 10), group=group, care_form=INPATIENT)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert (fixed(referral).price, fixed(referral).care_form) == (None, INPATIENT)


def test_the_care_form_comes_from_the_offer_and_must_match_it(world):
    from django.core.exceptions import ValidationError

    from tests.factories import CapacityOfferFactory

    group = DiagnosisGroupFactory()
    price(world.neighbour_region, group, 2026, DAY, "31000.00")
    referral = ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.PROPOSED,
        receiving_unit=world.neighbour_unit,
        diagnosis_group=group,
    )
    monday = date.today() + timedelta(days=14 - date.today().weekday())
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=monday, care_type=DAY)
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(
            referral=referral, by=world.receiving_staff, planned_date=monday, offer=offer, care_form=INPATIENT
        )
    assert "care_form" in refused.value.message_dict
    assert not ReferralPrice.objects.filter(referral=referral).exists()
    services.referral_accept(referral=referral, by=world.receiving_staff, planned_date=monday, offer=offer)
    assert (fixed(referral).care_form, fixed(referral).price) == (DAY, Decimal("31000.00"))


@pytest.mark.django_db(transaction=True)
def test_one_price_per_key_in_the_database(world):
    group = DiagnosisGroupFactory()
    price(world.neighbour_region, group, 2026, DAY, "1.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        price(world.neighbour_region, group, 2026, DAY, "2.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        price(world.far_region, group, 2026, DAY, "-1.00")
    price(world.neighbour_region, group, 2026, INPATIENT, "2.00")  # another care form is another key


def test_the_accept_form_asks_for_the_care_form(client, world):
    group = DiagnosisGroupFactory()
    price(world.neighbour_region, group, date.today().year, DAY, "27500.00")
    referral = ReferralFactory(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit,
        diagnosis_group=group,
    )  # fmt: skip
    client.force_login(world.receiving_staff)
    data = {"planned_date": (date.today() + timedelta(days=3)).isoformat(), "confirm_late": "on"}
    url = reverse("referrals:accept", args=[referral.pk])
    bad = client.post(url, {**data, "care_form": "ambulance"})
    assert "care_form" in bad.context["form"].errors
    assert client.post(url, {**data, "care_form": "day_surgery"}).status_code == 302
    assert fixed(referral).price == Decimal("27500.00")


def test_the_api_accept_needs_a_care_form_without_an_offer(world):
    from rest_framework.test import APIClient

    referral = ReferralFactory(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit
    )
    api = APIClient()
    api.force_authenticate(world.receiving_staff)
    url = f"/api/v1/referrals/{referral.pk}/accept/"
    body = {"planned_date": (date.today() + timedelta(days=3)).isoformat(), "confirm_late": True}
    missing = api.post(url, body, format="json")
    assert missing.status_code == 400 and "care_form" in str(missing.json())
    assert api.post(url, {**body, "care_form": "inpatient"}, format="json").status_code == 200
    assert fixed(referral).care_form == INPATIENT


# --- the report's costs -----------------------------------------------------------------------------


@pytest.fixture
def october(world):
    """Skåne → Blekinge: 2 hips inpatient at 80 000,50 and 1 day surgery without price; Skåne → Kalmar:
    1 hip inpatient at 90 000; Blekinge → Kalmar: 1 knee at 50 000 (not Skåne's). Inside Skåne: not counted."""
    hip, knee = DiagnosisGroupFactory(name="Höft"), DiagnosisGroupFactory(name="Knä")
    price(world.neighbour_region, hip, 2026, INPATIENT, "80000.50")
    price(world.far_region, hip, 2026, INPATIENT, "90000.00")
    price(world.far_region, knee, 2026, DAY, "50000.00")
    price(world.home_region, hip, 2026, INPATIENT, "1.00")
    accept(world, stockholm(2026, 10, 2, 9), group=hip)
    accept(world, stockholm(2026, 10, 31, 23, 59), group=hip)
    accept(world, stockholm(2026, 10, 3, 9), group=hip, care_form=DAY)
    accept(world, stockholm(2026, 10, 4, 9), group=hip, receiving=world.far_unit)
    accept(world, stockholm(2026, 10, 5, 9), group=knee, care_form=DAY, receiving=world.far_unit,
           sending=world.neighbour_unit)  # fmt: skip
    accept(world, stockholm(2026, 11, 1, 0, 0), group=hip)  # November
    from tests.factories import UnitFactory

    other_skane = UnitFactory(hospital__region=world.home_region)
    accept(world, stockholm(2026, 10, 6, 9), group=hip, receiving=other_skane)  # inside the region
    return hip, knee


def test_report_costs_against_hand_computed_sums(world, october):
    figures = compute_figures(month=OCTOBER, scope=Scope("region", region=world.home_region))
    assert figures["costs"] == [
        {"sending_region": "Region Skåne", "receiving_region": "Region Blekinge", "group": "Höft",
         "patients": 3, "amount": "160001.00", "without_price": 1},
        {"sending_region": "Region Skåne", "receiving_region": "Region Kalmar län", "group": "Höft",
         "patients": 1, "amount": "90000.00", "without_price": 0},
    ]  # fmt: skip
    assert (figures["cost_total"], figures["cost_without_price"]) == ("250001.00", 1)
    everyone = compute_figures(month=OCTOBER, scope=Scope("all"))
    assert everyone["cost_total"] == "300001.00"

    rows = list(csv.reader(io.StringIO(to_csv(figures).decode("utf-8-sig")), delimiter=";"))
    assert ["Region Skåne", "Region Blekinge", "Höft", "3", "160001,00", "1"] in rows
    sheet = load_workbook(io.BytesIO(to_xlsx(figures)))[sv("Cost at cost price")]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [sv("Total"), None, None, 4, 250001, 1] in values
    assert isinstance(values[1][4], int | float) and values[1][4] == pytest.approx(160001.00)


# --- settlement files and who gets them --------------------------------------------------------------


def files_url(month="2026-10", sending="skane", receiving="blekinge", fmt="csv"):
    return reverse("settlement:download", args=[month, sending, receiving, fmt])


LIST = reverse("settlement:list")


def test_the_settlement_file_reads_back_csv_and_xlsx(client, world, october):
    client.force_login(world.director)
    response = client.get(files_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sot-avrakning-2026-10-skane-blekinge.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    missing = sv("price missing")
    assert ["Höft", sv("Inpatient"), "80000,50", "2", "160001,00"] in rows
    assert ["Höft", sv("Day surgery"), missing, "1", missing] in rows
    assert [sv("Total"), "", "", "3", "160001,00"] in rows
    assert [sv("Of which price missing"), "", "", "1", ""] in rows
    text = body.decode("utf-8-sig")
    assert "SOT-2026" not in text and "Patient" not in text  # no reference, no patient

    xlsx = client.get(files_url(fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    line = next(v for v in values if v[:2] == ["Höft", sv("Inpatient")])
    assert line[2:] == [pytest.approx(80000.50), 2, pytest.approx(160001.00)]
    assert all(not isinstance(v, str) for v in line[2:])


def test_scopes_of_the_settlement_files(client, world, october):
    south_director = UserFactory()
    member(south_director, Role.HEALTH_DIRECTOR, world.south)
    blekinge_director = UserFactory()
    member(blekinge_director, Role.HEALTH_DIRECTOR, world.neighbour_region)

    def pairs(user):
        client.force_login(user)
        response = client.get(LIST, {"month": "2026-10"})
        assert response.status_code == 200
        return {(p.sending.code, p.receiving.code) for p in response.context["pairs"]}

    assert pairs(world.director) == {("skane", "blekinge"), ("skane", "kalmar")}
    assert pairs(blekinge_director) == {("skane", "blekinge"), ("blekinge", "kalmar")}
    assert pairs(south_director) == {("skane", "blekinge")}  # both regions inside Södra
    assert pairs(world.administrator) == {("skane", "blekinge"), ("skane", "kalmar"), ("blekinge", "kalmar")}

    client.force_login(world.director)
    assert client.get(files_url(sending="blekinge", receiving="kalmar")).status_code == 404  # another's pair
    assert client.get(files_url(month="2026-13")).status_code == 404
    assert client.get(files_url(fmt="pdf")).status_code == 404
    client.force_login(south_director)
    assert client.get(files_url(sending="skane", receiving="kalmar")).status_code == 404
    assert client.get(files_url(fmt="xlsx")).status_code == 200


def test_personas_without_settlements(client, world, october):
    for persona in ("unit_staff", "sot", "receiving_staff", "nobody"):
        client.force_login(getattr(world, persona))
        assert client.get(LIST).status_code == 403, persona
        assert client.get(files_url()).status_code == 403, persona
    client.logout()
    for url in (LIST, files_url()):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_bad_month_is_told_next_to_the_field(client, world):
    client.force_login(world.director)
    response = client.get(LIST, {"month": "oktober"})
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert response.context["pairs"] == []
