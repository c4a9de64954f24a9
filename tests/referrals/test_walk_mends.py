"""Mends from a walk through the coordinator's day in Chromium: the propose confirmation for a unit
outside the ranking, care given before the planned date, warnings that are warnings, date fields with
a format hint, and Swedish holidays that are not working days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from capacity.weeks import first_open_week
from referrals import services
from referrals.models import DeclineReason, Referral, ReferralStatus
from referrals.services.workflow import (
    ERROR_CARE_GIVEN_IN_FUTURE,
    ERROR_CONFIRM_EARLY,
    ERROR_PROPOSAL_DECLINED_BEFORE,
    ERROR_PROPOSAL_NEEDS_REASON,
    WARNING_BEFORE_PLANNED_DATE,
)
from referrals.working_days import first_day_within, is_working_day, next_working_day, working_days_between
from sot.forms import NOT_SAVED_YET, TICK_TO_CONFIRM
from tests.factories import DiagnosisGroupFactory, ReferralFactory
from tests.i18n import shown, shown_html
from tests.pages import elements, field_error, texts

S = ReferralStatus


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


def proposed(world, group, **extra) -> Referral:
    defaults = {
        "status": S.PROPOSED,
        "sending_unit": world.home_unit,
        "receiving_unit": world.neighbour_unit,
        "diagnosis_group": group,
        "asa_class": 3,
        "medical_target_date": today() + timedelta(days=60),
        "care_guarantee_deadline": today() + timedelta(days=80),
    }
    return ReferralFactory(**(defaults | extra))


def accepted(world, group, planned: date) -> Referral:
    return proposed(world, group, status=S.ACCEPTED, planned_date=planned)


# --- 1. a unit outside the ranking goes through the confirm page ------------------------------------------


def in_review(world, group) -> Referral:
    return proposed(world, group, status=S.IN_REVIEW, receiving_unit=None)


def test_another_unit_without_a_reason_goes_to_the_confirm_page(client, world, group):
    """Before: the chooser proposed a unit outside the ranking at once, without the page saying why it
    needs a reason. Now, without a reason, the unit is shown on the confirm page first."""
    referral = in_review(world, group)
    url = reverse("referrals:propose", args=[referral.pk])
    client.force_login(world.sot)
    chooser = client.get(url).content.decode()
    assert len(elements(chooser, "select", name="unit")) == 1
    forms = [e for e in elements(chooser, "form") if e.attrs.get("aria-labelledby") == "another-unit"]
    assert [f.attrs.get("method") for f in forms] == ["post"]
    response = client.post(url, {"unit": world.far_unit.pk, "reason": "  "})
    assert response.status_code == 302 and response["Location"] == f"{url}?unit={world.far_unit.pk}"
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.IN_REVIEW, None)


def test_another_unit_with_a_written_reason_is_proposed_at_once(client, world, group):
    referral = in_review(world, group)
    url = reverse("referrals:propose", args=[referral.pk])
    client.force_login(world.sot)
    response = client.post(url, {"unit": world.far_unit.pk, "reason": "Plats enligt samtal med enheten."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.PROPOSED, world.far_unit)
    event = referral.events.order_by("-pk").first()
    assert event is not None and "Plats enligt samtal" in event.note


def test_another_unit_that_is_unknown_is_said_next_to_the_field_on_post(client, world, group):
    referral = in_review(world, group)
    client.force_login(world.sot)
    response = client.post(
        reverse("referrals:propose", args=[referral.pk]), {"unit": world.home_unit.pk, "reason": "x"}
    )
    assert response.status_code == 200
    assert field_error(response.content.decode(), "unit")
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW


def test_the_confirm_page_says_the_unit_is_outside_the_ranking_and_asks_the_reason(client, world, group):
    world.far_unit.phone = "0480-81 000"
    world.far_unit.save()
    referral = in_review(world, group)
    url = reverse("referrals:propose", args=[referral.pk])
    client.force_login(world.sot)
    body = client.get(url, {"unit": world.far_unit.pk}).content.decode()
    (outside,) = texts(body, "div", data_testid="outside-ranking")
    assert outside == f"Utanför rangordningen {shown(ERROR_PROPOSAL_NEEDS_REASON)}"
    assert "0480-81 000" in body  # its contact paths
    (reason,) = elements(body, "input", name="reason")
    assert "required" in reason.attrs  # marked required before anything is sent
    assert elements(body, "input", name="chosen", value=str(world.far_unit.pk))
    refused = client.post(url, {"chosen": world.far_unit.pk, "unit": world.far_unit.pk, "reason": ""})
    assert shown_html(ERROR_PROPOSAL_NEEDS_REASON) in field_error(refused.content.decode(), "reason")
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW
    done = client.post(url, {"chosen": world.far_unit.pk, "unit": world.far_unit.pk, "reason": "Plats enligt samtal."})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.PROPOSED, world.far_unit)


def test_the_confirm_page_of_a_unit_that_declined_says_so(client, world, group):
    referral = in_review(world, group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Plats enligt samtal.")
    services.referral_decline(referral=referral, by=world.receiving_staff, reason=DeclineReason.NO_CAPACITY)
    client.force_login(world.sot)
    url = reverse("referrals:propose", args=[referral.pk])
    body = client.get(url, {"unit": world.neighbour_unit.pk}).content.decode()
    (outside,) = texts(body, "div", data_testid="outside-ranking")
    assert shown(ERROR_PROPOSAL_DECLINED_BEFORE, date=today()) in outside


def test_an_unknown_unit_in_the_chooser_is_said_next_to_the_field(client, world, group):
    referral = in_review(world, group)
    client.force_login(world.sot)
    response = client.get(reverse("referrals:propose", args=[referral.pk]), {"unit": world.home_unit.pk})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "unit")  # the own region's unit cannot be proposed


def test_propose_personas(client, world, group):
    referral = in_review(world, group)
    url = f"{reverse('referrals:propose', args=[referral.pk])}?unit={world.far_unit.pk}"
    assert "login" in client.get(url)["Location"]
    client.force_login(world.other_sot)
    assert client.get(url).status_code == 404
    client.force_login(world.unit_staff)
    assert client.get(url).status_code == 403
    client.force_login(world.sot)
    assert client.get(url).status_code == 200


# --- 3. a late planned date is a warning, not an error ----------------------------------------------------


def test_a_late_planned_date_is_an_amber_warning_without_the_error_summary(client, world, group):
    """Before: the red summary said "Inget sparades…" and "…måldatumet.: Planerat datum…"."""
    referral = proposed(world, group, medical_target_date=today() + timedelta(days=5))
    url = reverse("referrals:accept", args=[referral.pk])
    planned = next_working_day(today() + timedelta(days=10))
    client.force_login(world.receiving_staff)
    body = client.post(url, {"planned_date": planned.isoformat(), "care_form": "day_surgery"}).content.decode()
    assert not elements(body, "div", data_testid="form-errors")
    (box,) = elements(body, "div", data_testid="form-warnings")
    assert "alert-warning" in box.attrs["class"].split()
    (text,) = texts(body, "div", data_testid="form-warnings")
    target = (today() + timedelta(days=5)).isoformat()
    assert text == f"Inte sparat ännu Datumet ligger efter det medicinska måldatumet ({target}). " + shown(
        TICK_TO_CONFIRM
    )
    assert ".:" not in text and ".." not in text
    (checkbox,) = elements(body, "input", name="confirm_late", type="checkbox")
    assert checkbox.attrs.get("aria-invalid") != "true"  # not marked as an error
    labels = [" ".join(e.text.split()) for e in elements(body, "label") if e.attrs.get("for") == "id_confirm_late"]
    assert labels == ["Jag bekräftar att datumet ligger efter det medicinska måldatumet"]
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED  # not saved


# --- 2. care given before the planned date: warned and confirmed; in the future: refused -----------------


def test_care_given_before_the_planned_date_is_warned_and_needs_the_checkbox(client, world, group):
    """Before: it went through without a word."""
    planned = today() + timedelta(days=10)
    referral = accepted(world, group, planned)
    url = reverse("referrals:complete", args=[referral.pk])
    client.force_login(world.receiving_staff)
    first = client.post(url, {"care_given_date": today().isoformat()})
    assert first.status_code == 200
    body = first.content.decode()
    assert not elements(body, "div", data_testid="form-errors")
    (text,) = texts(body, "div", data_testid="form-warnings")
    assert f"Planerat datum var {planned.isoformat()}: stämmer datumet?" in text
    assert shown(NOT_SAVED_YET) in text
    assert elements(body, "input", name="confirm_early", type="checkbox")
    assert f'value="{today().isoformat()}"' in body  # the date is kept
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    done = client.post(url, {"care_given_date": today().isoformat(), "confirm_early": "on"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.care_given_date) == (S.COMPLETED, today())


def test_care_given_on_or_after_the_planned_date_needs_no_confirmation(client, world, group):
    referral = accepted(world, group, today() - timedelta(days=3))
    client.force_login(world.receiving_staff)
    response = client.post(reverse("referrals:complete", args=[referral.pk]), {"care_given_date": today().isoformat()})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED


def test_care_given_in_the_future_is_refused_next_to_the_field(client, world, group):
    referral = accepted(world, group, today() + timedelta(days=10))
    client.force_login(world.receiving_staff)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    body = client.post(
        reverse("referrals:complete", args=[referral.pk]), {"care_given_date": tomorrow, "confirm_early": "on"}
    ).content.decode()
    assert shown_html(ERROR_CARE_GIVEN_IN_FUTURE) in field_error(body, "care_given_date")
    assert not elements(body, "div", data_testid="form-warnings")
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED


def test_the_service_asks_for_the_confirmation_only_when_told_to(world, group):
    referral = accepted(world, group, today() + timedelta(days=10))
    with pytest.raises(ValidationError) as warned:
        services.referral_complete(
            referral=referral, by=world.receiving_staff, care_given_date=today(), confirm_early=False
        )
    planned = (today() + timedelta(days=10)).isoformat()
    with translation.override("sv"):
        expected = f"{WARNING_BEFORE_PLANNED_DATE % {'date': planned}} {ERROR_CONFIRM_EARLY}"
    with translation.override("sv"):
        assert warned.value.message_dict["confirm_early"] == [expected]
    done = services.referral_complete(referral=referral, by=world.receiving_staff, care_given_date=today())
    assert done.status == S.COMPLETED  # None asks nobody (history recorded as it happened)


def test_the_api_answers_care_before_the_planned_date_with_the_warning_until_confirmed(world, group):
    referral = accepted(world, group, today() + timedelta(days=10))
    api = APIClient()
    api.force_authenticate(world.receiving_staff)
    url = f"/api/v1/referrals/{referral.pk}/complete/"
    warned = api.post(url, {"care_given_date": today().isoformat()}, format="json")
    assert warned.status_code == 400
    assert shown(ERROR_CONFIRM_EARLY) in " ".join(warned.json()["errors"]["confirm_early"])
    tomorrow = (today() + timedelta(days=1)).isoformat()
    future = api.post(url, {"care_given_date": tomorrow, "confirm_early": True}, format="json")
    assert future.status_code == 400 and "care_given_date" in future.json()["errors"]
    done = api.post(url, {"care_given_date": today().isoformat(), "confirm_early": True}, format="json")
    assert done.status_code == 200
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED


def test_complete_personas(client, world, group):
    referral = accepted(world, group, today())
    url = reverse("referrals:complete", args=[referral.pk])
    assert "login" in client.get(url)["Location"]
    assert client.force_login(world.other_region_staff) or client.get(url).status_code == 404
    assert client.force_login(world.unit_staff) or client.get(url).status_code == 403
    assert client.force_login(world.receiving_staff) or client.get(url).status_code == 200


# --- 5. working days: Swedish public holidays and the three eves ----------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-24",  # julafton (Thursday)
        "2026-12-25",  # juldagen (Friday)
        "2026-12-31",  # nyårsafton (Thursday)
        "2027-01-01",  # nyårsdagen (Friday)
        "2026-06-19",  # midsommarafton (Friday)
        "2026-04-03",  # långfredagen
        "2026-04-06",  # annandag påsk
        "2026-05-14",  # Kristi himmelsfärds dag (Thursday)
        "2026-01-06",  # trettondedag jul (Tuesday)
        "2026-05-01",  # första maj (Friday)
    ],
)
def test_swedish_holidays_and_eves_are_not_working_days(day):
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-23",  # the day before julafton
        "2026-12-28",  # the Monday after annandag jul
        "2026-12-30",
        "2026-06-18",  # the day before midsommarafton
        "2026-04-02",  # skärtorsdagen is a working day
        "2026-04-07",
        "2027-01-04",
    ],
)
def test_ordinary_weekdays_around_them_are_working_days(day):
    assert is_working_day(date.fromisoformat(day))


def test_weekends_stay_non_working_whatever_the_calendar_says_of_sundays():
    assert not is_working_day(date(2026, 12, 26))  # annandag jul, a Saturday
    assert not is_working_day(date(2026, 12, 27))  # a Sunday
    assert not is_working_day(date(2026, 6, 20))  # midsommardagen, a Saturday


def test_counts_skip_the_holidays():
    # Wednesday 23 December to Monday 28 December: julafton, juldagen and the weekend are not counted.
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1
    # Over New Year: 30 Dec -> 4 Jan 2027 counts only Monday 4 January.
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 4)) == 1
    # Easter 2026: Thursday 2 April to Tuesday 7 April, only the Tuesday.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    # Midsommar: Thursday 18 June to Monday 22 June, only the Monday.
    assert working_days_between(date(2026, 6, 18), date(2026, 6, 22)) == 1
    # An ordinary fortnight still counts ten.
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 11)) == 10


def test_next_working_day_and_first_day_within_skip_the_holidays():
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert next_working_day(date(2026, 6, 19)) == date(2026, 6, 22)
    # On Monday 28 December, a limit of one working day: entered on Wednesday 23rd it has waited one
    # (the 28th) and is within; entered on the 22nd it has waited two.
    assert first_day_within(1, today=date(2026, 12, 28)) == date(2026, 12, 23)


def test_the_first_open_capacity_week_ends_with_its_last_working_day():
    assert first_open_week(date(2026, 12, 23)) == date(2026, 12, 21)
    assert first_open_week(date(2026, 12, 24)) == date(2026, 12, 28)  # julafton, juldagen: the week is over
    assert first_open_week(date(2026, 4, 3)) == date(2026, 4, 6)  # långfredagen
    assert first_open_week(date(2026, 11, 27)) == date(2026, 11, 23)  # an ordinary Friday
    assert first_open_week(date(2026, 11, 28)) == date(2026, 11, 30)


# --- 4. every date field shows its format and takes 2026-12-24 or 20261224 --------------------------------


@pytest.mark.parametrize(("language", "hint"), [("sv", "ÅÅÅÅ-MM-DD"), ("en", "YYYY-MM-DD")])
def test_every_date_field_carries_the_format_hint(client, world, group, language, hint):
    """Before: the hint was hard-coded in Swedish on some fields and the English page had it too."""
    from django.conf import settings

    client.force_login(world.receiving_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    accept = proposed(world, group)
    complete = accepted(world, group, today())
    pages = [reverse("referrals:accept", args=[accept.pk]), reverse("referrals:complete", args=[complete.pk])]
    for url in pages:
        body = client.get(url).content.decode()
        (date_input,) = [
            e for e in elements(body, "input") if e.attrs.get("name") in ("planned_date", "care_given_date")
        ]
        assert date_input.attrs["placeholder"] == hint
    client.force_login(world.unit_staff)
    body = client.get(reverse("referrals:create")).content.decode()
    for name in ("decision_date", "medical_target_date"):
        (field,) = elements(body, "input", name=name)
        assert field.attrs["placeholder"] == hint


@pytest.mark.parametrize("typed", ["2026-12-24", "20261224", " 2026-12-24 "])
def test_unambiguous_swedish_dates_are_read(typed):
    from referrals.forms.workflow import CompleteForm

    with translation.override("sv"):
        field = CompleteForm(referral=Referral()).fields["care_given_date"]
        assert field.clean(typed) == date(2026, 12, 24)


@pytest.mark.parametrize("typed", ["12/24/2026", "24/12/2026", "24.12.2026", "2026-24-12"])
def test_ambiguous_or_foreign_dates_are_refused_with_a_message(typed):
    from referrals.forms.workflow import CompleteForm

    with translation.override("sv"):
        form = CompleteForm({"care_given_date": typed}, referral=Referral())
        assert not form.is_valid()
        assert form.errors["care_given_date"]
