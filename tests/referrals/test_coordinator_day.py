"""Issue 15, the coordinator's day: no dead ends and no silent mistakes in the workflow steps, and the
contact paths between the units. Views with personas: owner, other region (404), wrong role (403),
anonymous (login), wrong method (405)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.verification import verify_all
from capacity.weeks import first_open_week
from referrals import services
from referrals.lifecycle import Action, actions_offered
from referrals.models import DeclineReason, EventKind, Referral, ReferralStatus
from referrals.proposals import declines_of, ranking_for
from referrals.services import MISSING_FOR_SUBMISSION
from referrals.services.acceptance import (
    ERROR_CONFIRM_LATE,
    ERROR_PHONE_GIVER_MISSING,
    ERROR_PLANNED_DATE_BEFORE_SUBMISSION,
    ERROR_PLANNED_DATE_IN_PAST,
    WARNING_AFTER_TARGET_DATE,
)
from referrals.services.workflow import ERROR_PROPOSAL_DECLINED_BEFORE
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory
from tests.i18n import shown_html
from tests.pages import elements, field_error, texts

S = ReferralStatus
INBOX = reverse("work:inbox")
CREATE = reverse("referrals:create")


def login(client, user):
    client.force_login(user)
    return client


def today():
    return timezone.localdate()


def weekday_ahead(days: int):
    day = today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


def in_review(world, group, **extra) -> Referral:
    defaults = {
        "status": S.IN_REVIEW,
        "sending_unit": world.home_unit,
        "diagnosis_group": group,
        "asa_class": 3,
        "medical_target_date": today() + timedelta(days=60),
        "care_guarantee_deadline": today() + timedelta(days=80),
    }
    return ReferralFactory(**(defaults | extra))


def proposed(world, group, **extra) -> Referral:
    return in_review(world, group, **({"status": S.PROPOSED, "receiving_unit": world.neighbour_unit} | extra))


def offer(unit, group, weeks_ahead: int = 2, slots: int = 3):
    week = first_open_week(today()) + timedelta(weeks=weeks_ahead)
    return CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week, slots=slots)


def decline(referral, world):
    services.referral_decline(referral=referral, by=world.receiving_staff, reason=DeclineReason.NO_CAPACITY)


# --- 1. the intake form says every error at once --------------------------------------------------


def test_intake_submission_shows_every_error_in_one_round_consents_included(client, world, group):
    """Before: a missing name was said first, the consents only once everything else was right."""
    MedicalPriorityFactory()
    data = {
        "sending_unit": world.home_unit.pk,
        "personal_number": "19121212-1212",
        "patient_name": "",
        "home_region": world.home_region.pk,
        "icd10_code": "M17.1",
        "asa_class": "3",
        "decision_date": (today() - timedelta(days=10)).isoformat(),
        "submit": "1",
    }
    response = login(client, world.unit_staff).post(CREATE, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert field_error(body, "patient_name")
    assert shown_html(MISSING_FOR_SUBMISSION["consent_referral"]) in field_error(body, "consent_referral")
    assert shown_html(MISSING_FOR_SUBMISSION["consent_disclosure"]) in field_error(body, "consent_disclosure")
    assert shown_html(MISSING_FOR_SUBMISSION["priority"]) in field_error(body, "priority")
    assert not Referral.objects.exists()


def test_error_summary_lists_every_error_as_a_link_to_its_field(client, world, group):
    referral = proposed(world, group)
    url = reverse("referrals:accept", args=[referral.pk])
    body = login(client, world.receiving_staff).post(url, {"planned_date": "not a date"}).content.decode()
    (summary,) = elements(body, id="form-errors")
    assert summary.attrs["role"] == "alert" and summary.attrs["tabindex"] == "-1"
    (control,) = elements(body, "input", name="planned_date")
    assert elements(body, "a", href=f"#{control.attrs['id']}")
    assert elements(body, "script", src="/static/sot/forms.js") or "sot/forms.js" in body


# --- 1. decline: back to the inbox, with the confirmation ------------------------------------------


def test_decline_lands_on_the_inbox_with_a_confirmation(client, world, group):
    """Before: the unit was sent to the request, which it no longer sees: 'Page not found'."""
    referral = proposed(world, group)
    login(client, world.receiving_staff)
    response = client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": DeclineReason.NO_CAPACITY})
    assert response.status_code == 302 and response["Location"] == INBOX
    page = client.get(INBOX)
    assert page.status_code == 200
    assert referral.reference in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW


# --- 1. a unit that declined is not ranked, and proposing it again needs a reason -----------------------


def test_a_unit_that_declined_is_set_apart_from_the_ranking(world, group):
    offer(world.neighbour_unit, group)
    offer(world.far_unit, group)
    referral = in_review(world, group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    decline(referral, world)
    (declined,) = declines_of(referral)
    assert (declined.unit_id, declined.on) == (world.neighbour_unit.pk, today())
    ranking = ranking_for(referral)
    assert [p.unit_id for p in ranking.proposals] == [world.far_unit.pk]
    assert [d.unit_id for d in ranking.declined] == [world.neighbour_unit.pk]
    assert ranking.declined[0].proposal is not None  # it still has capacity: its reasons are kept


def test_proposing_a_unit_that_declined_needs_a_written_reason(world, group):
    offer(world.neighbour_unit, group)
    referral = in_review(world, group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    decline(referral, world)
    with pytest.raises(ValidationError) as refused:
        services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    assert refused.value.message_dict["reason"] == [str(ERROR_PROPOSAL_DECLINED_BEFORE % {"date": today()})]
    services.referral_propose(
        referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Plats finns nu, bekräftat per telefon."
    )
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.PROPOSED, world.neighbour_unit)


def test_request_page_shows_the_decline_by_the_unit(client, world, group):
    offer(world.neighbour_unit, group)
    referral = in_review(world, group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    decline(referral, world)
    body = login(client, world.sot).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    (item,) = elements(body, "li", data_unit=str(world.neighbour_unit.pk))
    assert f"Avböjde {today().isoformat()}" in " ".join(item.text.split())
    assert not elements(body, "ol", data_testid="proposals")  # not in the ranking


def test_the_api_refuses_a_declined_unit_without_a_reason(world, group):
    from rest_framework.test import APIClient

    offer(world.neighbour_unit, group)
    referral = in_review(world, group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit)
    decline(referral, world)
    api = APIClient()
    api.force_authenticate(world.sot)
    url = f"/api/v1/referrals/{referral.pk}/propose/"
    refused = api.post(url, {"unit": world.neighbour_unit.pk}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert (
        api.post(url, {"unit": world.neighbour_unit.pk, "reason": "Plats finns nu."}, format="json").status_code == 200
    )


# --- 1. propose: a chooser, then a short confirmation ------------------------------------------------


def test_propose_chooser_and_confirmation_page(client, world, group):
    world.neighbour_unit.phone = "0455-73 10 00"
    world.neighbour_unit.function_email = "ortopedi.karlskrona@example.se"
    world.neighbour_unit.save()
    offer(world.neighbour_unit, group)
    referral = in_review(world, group)
    url = reverse("referrals:propose", args=[referral.pk])
    login(client, world.sot)
    chooser = client.get(url).content.decode()
    assert elements(chooser, "a", href=f"{url}?unit={world.neighbour_unit.pk}")
    assert elements(chooser, "select", name="unit")
    confirm = client.get(url, {"unit": world.neighbour_unit.pk}).content.decode()
    assert elements(confirm, "input", name="unit", type="hidden", value=str(world.neighbour_unit.pk))
    assert "0455-73 10 00" in confirm and "ortopedi.karlskrona@example.se" in confirm
    assert not elements(confirm, "ol", data_testid="proposals")  # the chosen unit only, not all proposals again
    response = client.post(url, {"chosen": world.neighbour_unit.pk, "unit": world.neighbour_unit.pk, "reason": ""})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.receiving_unit == world.neighbour_unit


def test_propose_confirmation_of_an_unranked_unit_asks_for_the_reason(client, world, group):
    referral = in_review(world, group)
    url = reverse("referrals:propose", args=[referral.pk])
    login(client, world.sot)
    response = client.post(url, {"chosen": world.far_unit.pk, "unit": world.far_unit.pk, "reason": ""})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "reason")
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW


# --- 1. accept: no date in the past, late dates confirmed ----------------------------------------------


def test_accept_refuses_a_planned_date_in_the_past(client, world, group):
    """Before: yesterday was accepted."""
    referral = proposed(world, group)
    url = reverse("referrals:accept", args=[referral.pk])
    yesterday = today() - timedelta(days=1)
    response = login(client, world.receiving_staff).post(url, {"planned_date": yesterday.isoformat()})
    assert response.status_code == 200
    assert shown_html(ERROR_PLANNED_DATE_IN_PAST) in field_error(response.content.decode(), "planned_date")
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED
    with pytest.raises(ValidationError):
        services.referral_accept(referral=referral, by=world.receiving_staff, planned_date=yesterday)


def test_accept_refuses_a_planned_date_before_the_submission(world, group):
    referral = proposed(world, group, submitted_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(referral=referral, by=world.receiving_staff, planned_date=today() + timedelta(days=1))
    submitted = timezone.localdate(referral.submitted_at)
    assert refused.value.message_dict["planned_date"] == [
        str(ERROR_PLANNED_DATE_BEFORE_SUBMISSION % {"date": submitted})
    ]


def test_a_date_after_the_target_date_is_accepted_once_confirmed(client, world, group):
    referral = proposed(world, group, medical_target_date=today() + timedelta(days=5))
    url = reverse("referrals:accept", args=[referral.pk])
    planned = weekday_ahead(10).isoformat()
    login(client, world.receiving_staff)
    first = client.post(url, {"planned_date": planned, "care_form": "day_surgery", "note": "Narkosbedömning först."})
    body = first.content.decode()
    assert first.status_code == 200
    assert elements(body, "input", name="confirm_late", type="checkbox")  # shown with the warning
    warning = shown_html(WARNING_AFTER_TARGET_DATE, date=referral.medical_target_date)
    (warned,) = elements(body, "div", data_testid="form-warnings")  # a warning, amber, not an error
    assert "alert-warning" in warned.attrs["class"]
    assert warning in texts(body, "div", data_testid="form-warnings")[0]
    assert not elements(body, "div", data_testid="form-errors")
    assert f'value="{planned}"' in body and "Narkosbedömning först." in body  # everything kept
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED
    assert (
        client.post(url, {"planned_date": planned, "care_form": "day_surgery", "confirm_late": "on"}).status_code == 302
    )
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED


def test_the_api_answers_a_late_date_with_the_warning_until_confirmed(world, group):
    from rest_framework.test import APIClient

    referral = proposed(world, group, medical_target_date=today() + timedelta(days=5))
    api = APIClient()
    api.force_authenticate(world.receiving_staff)
    url = f"/api/v1/referrals/{referral.pk}/accept/"
    planned = weekday_ahead(10).isoformat()
    warned = api.post(url, {"planned_date": planned, "care_form": "day_surgery"}, format="json")
    assert warned.status_code == 400
    assert str(ERROR_CONFIRM_LATE) in " ".join(warned.json()["errors"]["confirm_late"])
    assert (
        api.post(
            url, {"planned_date": planned, "care_form": "day_surgery", "confirm_late": True}, format="json"
        ).status_code
        == 200
    )


def test_accept_form_weeks_carry_their_monday(client, world, group):
    capacity = offer(world.neighbour_unit, group)
    referral = proposed(world, group)
    body = login(client, world.receiving_staff).get(reverse("referrals:accept", args=[referral.pk])).content.decode()
    assert elements(body, "option", value=str(capacity.pk), data_week_start=capacity.week_start.isoformat())


def test_care_given_defaults_to_today(client, world, group):
    referral = proposed(world, group, status=S.ACCEPTED, planned_date=today() + timedelta(days=10))
    page = login(client, world.receiving_staff).get(reverse("referrals:complete", args=[referral.pk]))
    assert page.context["form"]["care_given_date"].value() == today()


# --- 3. contact paths --------------------------------------------------------------------------------


def test_the_receiving_units_contact_paths_are_shown_once_proposed(client, world, group):
    world.neighbour_unit.phone = "0455-73 10 00"
    world.neighbour_unit.function_email = "ortopedi.karlskrona@example.se"
    world.neighbour_unit.save()
    referral = proposed(world, group, contact_name="Sara Lindqvist", contact_phone="046-17 10 00")
    url = reverse("referrals:detail", args=[referral.pk])
    for persona in ("sot", "unit_staff"):
        body = login(client, getattr(world, persona)).get(url).content.decode()
        assert "0455-73 10 00" in body and "ortopedi.karlskrona@example.se" in body, persona
    body = login(client, world.receiving_staff).get(url).content.decode()
    assert "Sara Lindqvist, 046-17 10 00" in " ".join(texts(body, data_testid="sending-contact"))


# --- 3. an acceptance given by phone -------------------------------------------------------------------


def test_accept_by_phone_personas(client, world, group):
    referral = proposed(world, group)
    url = reverse("referrals:accept_by_phone", args=[referral.pk])
    assert client.get(url).status_code == 302 and "login" in client.get(url)["Location"]
    assert login(client, world.other_region_staff).get(url).status_code == 404
    assert login(client, world.unit_staff).get(url).status_code == 403
    assert login(client, world.receiving_staff).get(url).status_code == 403
    assert login(client, world.sot).get(url).status_code == 200
    assert login(client, world.sot).put(url).status_code == 405


def test_an_acceptance_given_by_phone_is_recorded_and_attributed(client, world, group):
    capacity = offer(world.neighbour_unit, group)
    referral = proposed(world, group)
    assert Action.ACCEPT_BY_PHONE in actions_offered(status=S.PROPOSED, roles={Role.SOT_REPRESENTATIVE})
    url = reverse("referrals:accept_by_phone", args=[referral.pk])
    login(client, world.sot)
    missing = client.post(url, {"offer": capacity.pk, "planned_date": capacity.week_start.isoformat()})
    assert shown_html(ERROR_PHONE_GIVER_MISSING) in missing.content.decode() or field_error(
        missing.content.decode(), "given_by"
    )
    response = client.post(
        url,
        {"given_by": "Karin Ek", "offer": capacity.pk, "planned_date": max(capacity.week_start, today()).isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    capacity.refresh_from_db()
    assert (referral.status, capacity.reserved_slots, referral.reserved_offer) == (S.ACCEPTED, 1, capacity)
    event = referral.events.get(kind=EventKind.ACCEPTED)
    assert (event.actor, event.given_by_phone, event.receiving_unit) == (world.sot, "Karin Ek", world.neighbour_unit)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    (shown_event,) = texts(body, data_testid="accepted-by-phone")
    assert "Karin Ek" in shown_event and str(world.neighbour_unit) in shown_event
    assert all(not problems for _model, problems, _rows, _chains in verify_all())  # the chain still verifies
