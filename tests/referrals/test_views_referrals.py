"""Intake views with personas: owner, another region (404), wrong role (403), anonymous (login), wrong method (405)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from catalog import icd10
from referrals.models import EventKind, Referral, ReferralStatus, WaitPause
from referrals.rules import ERROR_DECISION_IN_FUTURE, ERROR_TARGET_BEFORE_DECISION
from referrals.services import ERROR_PAUSE_BEFORE_DECISION, MISSING_FOR_SUBMISSION
from sot import personal_numbers
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory
from tests.i18n import shown, shown_html
from tests.pages import field_error, texts

S = ReferralStatus
LIST = reverse("referrals:list")
CREATE = reverse("referrals:create")
# The access log's hash chain (audit/chain.py): a savepoint, the heads, their advance and the release; on
# PostgreSQL the requests are locked FOR KEY SHARE first. A constant: it does not grow with the rows either.
CHAINED = 4  # as tests/referrals/test_views_workflow.py counts the access log's chain


@pytest.fixture
def reference_data(db):
    DiagnosisGroupFactory()
    MedicalPriorityFactory()
    return MedicalPriorityFactory(code="medel", name="Medel", max_wait_days=90, sort_order=3, is_main_focus=False)


def form_data(world, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "sending_unit": world.home_unit.pk,
        "personal_number": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
        "home_region": world.home_region.pk,
        "patient_phone": "070-123 45 67",
        "icd10_code": "m171",
        "procedure_code": "NGB49",
        "procedure_text": "Knäprotes",
        "priority": str(MedicalPriorityFactory().pk),
        "asa_class": "3",
        "complicating_diseases": "Hjärtsvikt NYHA III.",
        "decision_date": (today - timedelta(days=10)).isoformat(),
        "medical_target_date": "",
        "consent_referral": "on",
        "consent_disclosure": "on",
        "contact_name": "Sara Lindqvist",
        "contact_phone": "046-17 10 00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def login(client, user) -> Client:
    client.force_login(user)
    return client


# --- list -------------------------------------------------------------------------------------


def test_list_personas(client, world):
    ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    assert client.get(LIST).status_code == 302  # anonymous → login
    assert login(client, world.unit_staff).get(LIST).status_code == 200
    for persona in ("sot", "receiving_staff", "director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(LIST).status_code == 403, persona
    assert login(client, world.unit_staff).post(LIST).status_code == 405


def test_list_shows_only_the_units_requests_masked(client, world):
    mine = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    theirs = ReferralFactory(sending_unit=world.neighbour_unit, status=S.SUBMITTED)
    body = login(client, world.unit_staff).get(LIST).content.decode()
    assert mine.reference in body and theirs.reference not in body
    assert mine.patient.personal_number[:8] + "-****" in body
    assert mine.patient.personal_number not in body
    assert mine.patient_name not in body


def test_list_filters_by_status_and_searches_by_reference(client, world):
    draft = ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT, reference="SOT-2026-000777")
    submitted = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, reference="SOT-2026-000456")
    login(client, world.unit_staff)
    body = client.get(LIST, {"status": "draft"}).content.decode()
    assert draft.reference in body and submitted.reference not in body
    body = client.get(LIST, {"q": "sot-2026-000456"}).content.decode()
    assert submitted.reference in body and draft.reference not in body
    body = client.get(LIST, {"q": "777"}).content.decode()
    assert draft.reference in body and submitted.reference not in body
    assert (
        shown_html(gettext_lazy("No request matches the filter.")) in client.get(LIST, {"q": "999999"}).content.decode()
    )


def test_list_marks_overdue_in_red(client, world):
    overdue = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    Referral.objects.filter(pk=overdue.pk).update(care_guarantee_deadline=timezone.localdate() - timedelta(days=3))
    response = login(client, world.unit_staff).get(LIST)
    ((_referral, wait),) = response.context["rows"]
    assert wait.is_overdue and wait.days_to_deadline == -3  # what the list marks in red
    assert texts(response.content.decode(), "td", data_testid="days-left") == ["3 dagar för sent"]


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(client, world, django_assert_num_queries, rows):
    for _ in range(rows):
        referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
        assert referral.decision_date is not None
        WaitPause.objects.create(
            referral=referral, kind="pvv", start_date=referral.decision_date, end_date=referral.decision_date
        )
    login(client, world.unit_staff)
    assert client.get(LIST).status_code == 200  # the patients' chains begin (the factory wrote no entry)
    # session, user, memberships, count, page of requests, their pauses, one INSERT into the access
    # log for the whole page; the session is not written (sot.middleware.SessionIdleMiddleware: at most
    # once a minute).
    with django_assert_num_queries(7 + CHAINED):
        response = client.get(LIST)
    assert response.status_code == 200


def test_list_paginates(client, world):
    for _ in range(30):
        ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    login(client, world.unit_staff)
    assert "Sida 1 av 2" in client.get(LIST).content.decode()
    assert client.get(LIST, {"page": 2}).context["page"].number == 2


# --- create / edit / submit -------------------------------------------------------------------


def test_create_personas(client, world, reference_data):
    assert client.get(CREATE).status_code == 302
    assert login(client, world.unit_staff).get(CREATE).status_code == 200
    for persona in ("sot", "receiving_staff", "director", "nobody"):
        assert login(client, getattr(world, persona)).get(CREATE).status_code == 403, persona
    assert login(client, world.unit_staff).put(CREATE).status_code == 405


def test_submit_a_valid_request(client, world, reference_data):
    login(client, world.unit_staff)
    response = client.post(CREATE, {**form_data(world), "submit": "1"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.status == S.SUBMITTED
    assert referral.patient.personal_number == "191212121212"
    assert referral.diagnosis_group is not None and referral.decision_date is not None
    assert referral.icd10_code == "M17.1" and referral.diagnosis_group.code == "artros"
    assert referral.medical_target_date == referral.decision_date + timedelta(days=14)  # from Hög
    assert referral.care_guarantee_deadline == referral.decision_date + timedelta(days=90)
    assert list(referral.events.values_list("kind", flat=True)) == [EventKind.CREATED, EventKind.SUBMITTED]
    assert referral.patient.personal_number not in response["Location"]


def test_save_a_draft_with_missing_fields(client, world, reference_data):
    login(client, world.unit_staff)
    data = form_data(world, icd10_code="", priority="", asa_class="", decision_date="", consent_disclosure=None)
    response = client.post(CREATE, {**data, "save": "1"})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.status == S.DRAFT
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Innan utkastet kan skickas in" in detail
    assert shown_html(MISSING_FOR_SUBMISSION["priority"]) in detail


def test_submit_with_missing_fields_saves_nothing_and_keeps_values(client, world, reference_data):
    login(client, world.unit_staff)
    data = form_data(world, priority="", consent_disclosure=None)
    response = client.post(CREATE, {**data, "submit": "1"})
    assert response.status_code == 200
    assert not Referral.objects.exists()
    form = response.context["form"]
    assert form.errors["priority"] == [shown(MISSING_FOR_SUBMISSION["priority"])]
    assert "consent_disclosure" in form.errors
    body = response.content.decode()
    assert 'value="Tolvan Tolvansson"' in body and 'value="m171"' in body  # as typed


# The validation table: each bad value gets its message (ours, or Django's by its code) next to its
# field, and every other value the user typed comes back.
BAD_INPUT = [
    ("personal_number", "19121212-1213", "checksum", partial(shown, personal_numbers.ERROR_CHECKSUM)),  # check digit
    ("personal_number", "19120230-1234", "date", partial(shown, personal_numbers.ERROR_DATE)),  # 30 February
    ("personal_number", "1912121212123", "format", partial(shown, personal_numbers.ERROR_FORMAT)),  # wrong length
    ("personal_number", "19121212-12AB", "format", partial(shown, personal_numbers.ERROR_FORMAT)),  # letters
    ("personal_number", "191212-121", "format", partial(shown, personal_numbers.ERROR_FORMAT)),  # too short
    ("icd10_code", "M1", "format", partial(shown, icd10.ERROR_FORMAT)),
    ("icd10_code", "D99.1", "unknown", partial(shown, icd10.ERROR_UNKNOWN, category="D99")),
    ("asa_class", "7", "invalid_choice", None),  # Django's message
    ("decision_date", "2099-01-01", "future", partial(shown, ERROR_DECISION_IN_FUTURE)),
    ("decision_date", "2026-02-30", "invalid", None),  # Django's message
    ("medical_target_date", "2000-01-01", "order", partial(shown, ERROR_TARGET_BEFORE_DECISION)),
    ("priority", "99999", "invalid_choice", None),  # Django's message
]


@pytest.mark.parametrize(("field", "value", "code", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_its_field(client, world, reference_data, field, value, code, message):
    login(client, world.unit_staff)
    response = client.post(CREATE, {**form_data(world, **{field: value}), "submit": "1"})
    assert response.status_code == 200
    assert not Referral.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert [error.code for error in errors.as_data()[field]] == [code]
    if message is not None:
        assert errors[field] == [message()]
    body = response.content.decode()
    assert errors[field][0] in field_error(body, field)  # the field is marked invalid and described by it
    assert 'value="Sara Lindqvist"' in body and "Hjärtsvikt NYHA III." in body


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("19121212-1212", "191212121212"),
        ("191212121212", "191212121212"),
        ("121212-1212", "201212121212"),
        ("1212121212", "201212121212"),
        ("121212+1212", "191212121212"),  # a centenarian
        ("19121272-1219", "191212721219"),  # samordningsnummer
    ],
)
def test_personal_number_formats_are_accepted_and_normalised(client, world, reference_data, raw, stored):
    login(client, world.unit_staff)
    response = client.post(CREATE, {**form_data(world, personal_number=raw), "save": "1"})
    assert response.status_code == 302
    assert Referral.objects.get().patient.personal_number == stored


def test_interpreter_needs_a_language(client, world, reference_data):
    login(client, world.unit_staff)
    response = client.post(CREATE, {**form_data(world, needs_interpreter="on"), "submit": "1"})
    assert "interpreter_language" in response.context["form"].errors


def test_cannot_file_for_another_unit(client, world, reference_data):
    login(client, world.unit_staff)
    response = client.post(CREATE, {**form_data(world, sending_unit=world.neighbour_unit.pk), "save": "1"})
    assert response.status_code == 200
    assert "sending_unit" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_edit_a_draft_then_submit_from_detail(client, world, reference_data):
    login(client, world.unit_staff)
    client.post(CREATE, {**form_data(world, consent_disclosure=None), "save": "1"})
    referral = Referral.objects.get()
    edit = reverse("referrals:edit", args=[referral.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**form_data(world, icd10_code="K80.2"), "save": "1"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.icd10_code == "K80.2" and referral.diagnosis_group is None  # no group covers K80 here
    client.post(edit, {**form_data(world), "save": "1"})
    response = client.post(reverse("referrals:submit", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == S.SUBMITTED
    assert client.get(edit).status_code == 302  # a submitted request is not edited here


def test_edit_and_submit_personas(client, world, reference_data):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT)
    edit = reverse("referrals:edit", args=[referral.pk])
    submit = reverse("referrals:submit", args=[referral.pk])
    assert client.get(edit).status_code == 302
    assert login(client, world.other_region_staff).get(edit).status_code == 404
    assert login(client, world.other_region_staff).post(submit).status_code == 404
    assert login(client, world.director).get(edit).status_code == 404
    assert login(client, world.unit_staff).get(submit).status_code == 405


# --- detail -----------------------------------------------------------------------------------


def test_detail_personas(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    url = reverse("referrals:detail", args=[referral.pk])
    assert client.get(url).status_code == 302
    assert login(client, world.unit_staff).get(url).status_code == 200
    assert login(client, world.sot).get(url).status_code == 200  # the region's SOT representative
    for persona in ("other_region_staff", "other_sot", "receiving_staff", "director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(url).status_code == 404, persona
    assert login(client, world.unit_staff).post(url).status_code == 405


def test_detail_shows_clock_and_timeline(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    body = login(client, world.unit_staff).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f"{referral.care_guarantee_deadline:%Y-%m-%d}" in body
    assert "60 dagar kvar" in body  # decision 30 days ago + 90
    assert "Other primary gonarthrosis" in body
    assert "SOT:s huvudfokus" in body


# --- withdraw ---------------------------------------------------------------------------------


def test_withdraw_with_a_reason(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    url = reverse("referrals:withdraw", args=[referral.pk])
    login(client, world.unit_staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "treated_at_home", "note": "Opererad i egen region."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.WITHDRAWN
    event = referral.events.get(kind=EventKind.WITHDRAWN)
    assert (event.reason, event.note) == ("treated_at_home", "Opererad i egen region.")


def test_withdraw_only_in_open_states(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.COMPLETED, receiving_unit=world.far_unit)
    login(client, world.unit_staff)
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": "treated_at_home"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED


def test_withdraw_personas(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit)
    url = reverse("referrals:withdraw", args=[referral.pk])
    assert client.get(url).status_code == 302
    assert login(client, world.other_region_staff).get(url).status_code == 404
    assert login(client, world.receiving_staff).get(url).status_code == 403  # sees it, may not withdraw
    assert login(client, world.director).get(url).status_code == 404
    assert login(client, world.unit_staff).delete(url).status_code == 405


# --- paused waiting ---------------------------------------------------------------------------


def test_pause_moves_the_deadline(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    before = referral.care_guarantee_deadline
    assert before is not None and referral.decision_date is not None
    url = reverse("referrals:pause_add", args=[referral.pk])
    login(client, world.unit_staff)
    start = referral.decision_date + timedelta(days=2)
    response = client.post(
        url, {"kind": "pvv", "start_date": start.isoformat(), "end_date": (start + timedelta(days=6)).isoformat()}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.care_guarantee_deadline == before + timedelta(days=7)
    assert referral.events.filter(kind=EventKind.PAUSED).exists()


def test_pause_validation(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    url = reverse("referrals:pause_add", args=[referral.pk])
    login(client, world.unit_staff)
    assert referral.decision_date is not None
    early = referral.decision_date - timedelta(days=5)
    response = client.post(url, {"kind": "mov", "start_date": early.isoformat(), "end_date": early.isoformat()})
    assert response.context["form"].errors["start_date"] == [shown(ERROR_PAUSE_BEFORE_DECISION)]
    start = referral.decision_date + timedelta(days=5)
    response = client.post(
        url, {"kind": "mov", "start_date": start.isoformat(), "end_date": (start - timedelta(days=1)).isoformat()}
    )
    assert "end_date" in response.context["form"].errors
    assert not WaitPause.objects.exists()


def test_pause_personas(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    url = reverse("referrals:pause_add", args=[referral.pk])
    assert client.get(url).status_code == 302
    assert login(client, world.other_region_staff).get(url).status_code == 404
    assert login(client, world.sot).get(url).status_code == 403
    assert login(client, world.unit_staff).put(url).status_code == 405


# --- CSRF -------------------------------------------------------------------------------------


def test_forms_are_csrf_protected(world, reference_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.unit_staff)
    assert client.post(CREATE, {**form_data(world), "submit": "1"}).status_code == 403
    assert not Referral.objects.exists()


# --- ICD-10 lookup as you type ------------------------------------------------------------------


def test_icd10_lookup_shows_description_and_group(client, world, reference_data):
    url = reverse("referrals:icd10_lookup")
    assert client.get(url, {"icd10_code": "m171"}).status_code == 302
    assert login(client, world.director).get(url, {"icd10_code": "m171"}).status_code == 403
    login(client, world.unit_staff)
    body = client.get(url, {"icd10_code": "m171"}, HTTP_HX_REQUEST="true").content.decode()
    assert "M17.1" in body and "Other primary gonarthrosis" in body and "Höft- och knäledsartros" in body
    assert "Ingen diagnosgrupp" in client.get(url, {"icd10_code": "K80.2"}).content.decode()
    unknown = client.get(url, {"icd10_code": "D99"}).content.decode()
    assert texts(unknown, data_testid="icd10-error") == [shown(icd10.ERROR_UNKNOWN, category="D99")]
    assert client.get(url, {"icd10_code": ""}).content.decode().strip() == ""
    assert client.post(url).status_code == 405


def test_pages_have_no_inline_script_or_style(client, world, reference_data):
    """A Content-Security-Policy without unsafe-inline must be possible (issue 7)."""
    import re

    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    login(client, world.unit_staff)
    for url in ("/", LIST, CREATE, reverse("referrals:detail", args=[referral.pk])):
        body = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert ' style="' not in body and "<style" not in body, url
        assert body.count("htmx-2.min.js") == 1, url


def test_the_travel_limit_on_filing_and_edit(client, world, reference_data):
    """The patient's willingness to travel: a limit in km, or empty for anywhere in the country."""
    login(client, world.unit_staff)
    page = client.get(CREATE).content.decode()
    assert "längsta resväg (km)" in page.lower() and "var som helst i landet" in page
    client.post(CREATE, {**form_data(world, max_travel_km="150"), "save": "1"})
    referral = Referral.objects.get()
    assert referral.max_travel_km == 150
    edit = reverse("referrals:edit", args=[referral.pk])
    response = client.post(edit, {**form_data(world, max_travel_km="0"), "save": "1"})
    assert response.status_code == 200 and field_error(response.content.decode(), "max_travel_km")
    client.post(edit, {**form_data(world, max_travel_km=""), "save": "1"})
    referral.refresh_from_db()
    assert referral.max_travel_km is None and referral.travels_anywhere
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Kan resa var som helst i landet" in detail
