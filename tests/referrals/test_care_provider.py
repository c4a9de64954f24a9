"""Issue 12 §1: patient data belongs to the care provider that recorded it.

Each region is its own care provider. What one region records about a patient (name, phone, home
region) is never changed, nor shown, by a filing in another region: the details are the request's
own, as the sending unit recorded them. A change inside the region goes through one service that
writes an event and an access-log entry.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import token_create
from audit.models import AccessAction, AccessLogEntry
from referrals import services
from referrals.models import EventKind, Referral, ReferralStatus
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory
from tests.referrals.test_views_referrals import form_data

S = ReferralStatus


@pytest.fixture
def priority(db):
    """The reference data a filing needs: the diagnosis group of M17.1 and a medical priority."""
    DiagnosisGroupFactory()
    return MedicalPriorityFactory()


SKANE = {"patient_name": "Tolvan Tolvansson", "patient_phone": "070-123 45 67"}
BLEKINGE = {"patient_name": "Tolva Tolvdotter", "patient_phone": "0455-73 10 00"}


def _file(client, world, user, unit, region, *, submit=True, **details):
    client.force_login(user)
    data = form_data(world, sending_unit=unit.pk, home_region=region.pk, **details)
    if submit:
        data["submit"] = "1"
    response = client.post(reverse("referrals:create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Referral.objects.filter(sending_unit=unit).latest("id")


def _details_shown(client, user, referral) -> str:
    client.force_login(user)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _foreign_traces(referral, user) -> tuple[int, int]:
    events = referral.events.filter(actor=user).count()
    reads = AccessLogEntry.objects.filter(referral=referral, user=user).count()
    return events, reads


def test_filing_in_another_region_changes_nothing_of_the_first_regions_request(client, world, priority):
    skane = _file(client, world, world.unit_staff, world.home_unit, world.home_region, **SKANE)
    # The same personnummer, filed by another care provider with its own record of the patient.
    blekinge = _file(client, world, world.other_region_staff, world.neighbour_unit, world.neighbour_region, **BLEKINGE)
    for user in (world.unit_staff, world.sot):
        page = _details_shown(client, user, skane)
        assert "Tolvan Tolvansson" in page and "070-123 45 67" in page and "Region Skåne" in page, user
        assert "Tolva Tolvdotter" not in page and "0455-73 10 00" not in page, user
    skane.refresh_from_db()
    assert (skane.patient_name, skane.patient_phone, skane.patient_home_region) == (
        "Tolvan Tolvansson",
        "070-123 45 67",
        world.home_region,
    )
    assert _foreign_traces(skane, world.other_region_staff) == (0, 0)
    page = _details_shown(client, world.other_region_staff, blekinge)
    assert "Tolva Tolvdotter" in page and "Tolvan Tolvansson" not in page and "070-123 45 67" not in page


def test_a_draft_with_a_new_phone_in_one_region_does_not_show_in_another(client, world, priority):
    blekinge = _file(client, world, world.other_region_staff, world.neighbour_unit, world.neighbour_region, **BLEKINGE)
    draft = _file(client, world, world.unit_staff, world.home_unit, world.home_region, submit=False, **SKANE)
    client.force_login(world.unit_staff)
    data = form_data(world, patient_phone="070-999 99 99", **{"patient_name": SKANE["patient_name"]})
    assert client.post(reverse("referrals:edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.patient_phone == "070-999 99 99"
    page = _details_shown(client, world.other_region_staff, blekinge)
    assert "070-999 99 99" not in page and "0455-73 10 00" in page
    assert _foreign_traces(blekinge, world.unit_staff) == (0, 0)


def test_the_receiving_unit_sees_what_the_sending_region_disclosed(client, world, priority):
    skane = _file(client, world, world.unit_staff, world.home_unit, world.home_region, **SKANE)
    services.referral_take(referral=skane, by=world.sot)
    services.referral_propose(referral=skane, by=world.sot, unit=world.neighbour_unit, reason="Test")
    # The receiving unit's own region files its own request for the same person.
    _file(client, world, world.other_region_staff, world.neighbour_unit, world.neighbour_region, **BLEKINGE)
    page = _details_shown(client, world.receiving_staff, skane)
    assert "Tolvan Tolvansson" in page and "070-123 45 67" in page
    assert "Tolva Tolvdotter" not in page


def test_filing_through_the_api_changes_nothing_of_another_regions_request(client, world, priority):
    skane = _file(client, world, world.unit_staff, world.home_unit, world.home_region, **SKANE)
    api = APIClient()
    _token, raw = token_create(user=world.other_region_staff, name="journal", days=30)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(
        "/api/v1/referrals/",
        {
            "personal_number": "191212121212",
            "patient_name": BLEKINGE["patient_name"],
            "patient_phone": BLEKINGE["patient_phone"],
            "icd10_code": "M17.1",
            "priority": priority.pk,
            "asa_class": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["patient"]["name"] == BLEKINGE["patient_name"]
    own = APIClient()
    _token, raw = token_create(user=world.unit_staff, name="journal", days=30)
    own.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    shown = own.get(f"/api/v1/referrals/{skane.pk}/").json()["patient"]
    assert shown["name"] == SKANE["patient_name"] and shown["home_region"] == "Region Skåne"
    assert _foreign_traces(skane, world.other_region_staff) == (0, 0)


# --- a change inside the region: one service, an event and an access-log entry -----------------


def test_a_change_of_details_writes_an_event_and_an_access_log_entry(world, priority):
    from tests.factories import ReferralFactory

    referral = ReferralFactory(status=S.SUBMITTED, sending_unit=world.home_unit, patient_name="Tolvan Tolvansson")
    services.referral_change_patient_details(
        referral=referral,
        by=world.unit_staff,
        patient_name="Tolvan Tolvansson",
        patient_phone="070-555 55 55",
        patient_home_region=world.home_region,
    )
    referral.refresh_from_db()
    assert referral.patient_phone == "070-555 55 55"
    event = referral.events.get(kind=EventKind.PATIENT_DETAILS)
    assert event.actor == world.unit_staff and "070-555 55 55" not in event.note  # which fields, never values
    assert AccessLogEntry.objects.filter(
        referral=referral, user=world.unit_staff, action=AccessAction.CHANGE, what="referrals:patient_details"
    ).exists()
    # Nothing changed, nothing written.
    services.referral_change_patient_details(
        referral=referral,
        by=world.unit_staff,
        patient_name="Tolvan Tolvansson",
        patient_phone="070-555 55 55",
        patient_home_region=world.home_region,
    )
    assert referral.events.filter(kind=EventKind.PATIENT_DETAILS).count() == 1


def test_patient_details_page_personas(client, world, priority):
    from tests.factories import ReferralFactory

    referral = ReferralFactory(status=S.PROPOSED, sending_unit=world.home_unit, receiving_unit=world.neighbour_unit)
    url = reverse("referrals:patient_details", args=[referral.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for user, status in (
        (world.unit_staff, 200),
        (world.sot, 403),
        (world.receiving_staff, 403),
        (world.other_region_staff, 404),
        (world.director, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(world.unit_staff)
    response = client.post(url, {"patient_name": "", "home_region": world.home_region.pk, "patient_phone": ""})
    assert response.status_code == 200 and response.context["form"].errors["patient_name"]
    response = client.post(
        url, {"patient_name": "Tolvan Tolvansson", "home_region": world.home_region.pk, "patient_phone": "040-1"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.patient_phone == "040-1"
    assert client.put(url).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_requests_details_as_recorded():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("referrals", "0004_group_corrected"), ("organisations", "0001_initial")]
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes("referrals")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    try:
        region = old.get_model("organisations", "Region").objects.create(
            code="skane",
            name="Region Skåne",
            healthcare_region=old.get_model("organisations", "HealthcareRegion").objects.create(
                code="sodra", name="Södra"
            ),
        )
        hospital = old.get_model("organisations", "Hospital").objects.create(
            code="sus", name="SUS", region=region, latitude=55.7, longitude=13.2
        )
        unit = old.get_model("organisations", "Unit").objects.create(
            hospital=hospital, name="Ortopedi", code="sus-orto", specialty="orthopaedics"
        )
        user = old.get_model("accounts", "User").objects.create(username="u")
        patient = old.get_model("referrals", "Patient").objects.create(
            personal_number="191212121212", name="Tolvan", home_region=region, phone="070-1"
        )
        old.get_model("referrals", "Referral").objects.create(
            reference="SOT-2026-000001", patient=patient, sending_unit=unit, created_by=user
        )
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
        new = executor.loader.project_state(leaf).apps
        referral = new.get_model("referrals", "Referral").objects.get()
        assert (referral.patient_name, referral.patient_phone, referral.patient_home_region_id) == (
            "Tolvan",
            "070-1",
            region.pk,
        )
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
