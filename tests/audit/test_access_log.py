"""The access log answers "who saw this patient": reads, creations and changes, append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.labels import WHAT_LABELS
from audit.models import AccessAction, AccessLogEntry
from capacity.weeks import first_open_week
from referrals import services
from referrals.models import ReferralStatus as S
from sot.personal_numbers import ERROR_CHECKSUM
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory
from tests.i18n import shown_html


def test_a_page_shown_is_logged_with_who_as_what_where(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    client.force_login(world.sot)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.patient, entry.referral, entry.action) == (
        world.sot,
        referral.patient,
        referral,
        AccessAction.READ,
    )
    assert (entry.role, entry.place, entry.what) == ("sot_representative", "Region Skåne", "referrals:detail")


def test_lists_log_every_request_shown(client, world):
    for _ in range(3):
        ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    client.force_login(world.unit_staff)
    client.get(reverse("referrals:list"))
    client.force_login(world.sot)
    client.get(reverse("work:queue"))
    assert AccessLogEntry.objects.filter(user=world.unit_staff, what="referrals:list").count() == 3
    assert AccessLogEntry.objects.filter(user=world.sot, what="work:queue").count() == 3


def test_outsiders_leave_no_entry_because_they_see_nothing(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    for persona in ("other_region_staff", "director", "receiving_staff"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_changes_are_logged_in_the_same_transaction(world):
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=1, reserved_slots=1
    )
    referral = ReferralFactory(
        sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit, diagnosis_group=group
    )
    with pytest.raises(services.NoFreeSlot):
        services.referral_accept(referral=referral, by=world.receiving_staff, planned_date=week, offer=offer)
    assert not AccessLogEntry.objects.exists()  # the failed acceptance left neither a change nor its entry
    services.referral_decline(referral=referral, by=world.receiving_staff, reason="no_capacity")
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.what, entry.role) == (AccessAction.CHANGE, "referrals:decline", "receiving_staff")


def test_the_log_is_append_only(world):
    referral = ReferralFactory(sending_unit=world.home_unit)
    from audit.services import access_record

    entry = access_record(user=world.unit_staff, referral=referral)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET what = 'x' WHERE id = %s", [entry.pk])


def test_administrators_find_who_saw_a_patient_and_export_it(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    other = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    client.force_login(world.unit_staff)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    client.get(reverse("referrals:detail", args=[other.pk]))
    client.force_login(world.sot)
    client.get(reverse("referrals:detail", args=[referral.pk]))

    client.force_login(world.administrator)
    changelist = reverse("admin:audit_accesslogentry_changelist")
    search = client.post(reverse(PATIENT_SEARCH), {"personal_number": referral.patient.personal_number})
    response = client.get(search["Location"])
    entries = list(response.context["cl"].result_list)
    assert {e.user for e in entries} == {world.unit_staff, world.sot}
    assert all(e.patient == referral.patient for e in entries)
    by_user = client.get(changelist, {"q": world.sot.username}).context["cl"].result_list
    assert {e.user for e in by_user} == {world.sot}

    response = client.post(changelist, {"action": "export_csv", "_selected_action": [e.pk for e in entries], "q": ""})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert referral.patient.personal_number in body and "sot" in body
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT, user=world.administrator).count() == 1


# The administrator's access-log search by patient: any accepted format, never in a URL or a log line.
TOLVAN = "191212121212"
FORMATS = ["19121212-1212", "121212-1212", "1212121212", "191212121212", " 19121212 - 1212 "]
CHANGELIST = "admin:audit_accesslogentry_changelist"
PATIENT_SEARCH = "admin:audit_accesslogentry_patient_search"


@pytest.fixture
def tolvan_read(world):
    """Tolvan's request read by unit staff and the SOT representative; another patient's read too."""
    from audit.services import access_record
    from tests.factories import PatientFactory

    referral = ReferralFactory(
        sending_unit=world.home_unit, status=S.SUBMITTED, patient=PatientFactory(personal_number=TOLVAN)
    )
    other = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    access_record(user=world.unit_staff, referral=referral, what="referrals:detail")
    access_record(user=world.sot, referral=referral, what="referrals:detail")
    access_record(user=world.unit_staff, referral=other, what="referrals:detail")
    return referral


def _digits_in(text: str) -> bool:
    return any(variant in text for variant in (TOLVAN, TOLVAN[2:], "19121212-1212", "121212-1212", "19121212"))


@pytest.mark.parametrize("typed", FORMATS)
def test_the_patient_search_finds_every_accepted_format(client, world, tolvan_read, typed, caplog):
    client.force_login(world.administrator)
    caplog.set_level("DEBUG")
    response = client.post(reverse(PATIENT_SEARCH), {"personal_number": typed})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse(CHANGELIST)) and not _digits_in(location)
    listing = client.get(location)
    entries = list(listing.context["cl"].result_list)
    assert {e.user for e in entries} == {world.unit_staff, world.sot}
    assert all(e.patient == tolvan_read.patient for e in entries)
    assert "19121212-****" in listing.content.decode()  # the active search is shown masked
    assert not any(_digits_in(record.getMessage()) for record in caplog.records)


def test_the_plain_search_box_refuses_a_personal_number(client, world, tolvan_read):
    client.force_login(world.administrator)
    for typed in ("191212121212", "19121212-1212", "1212121212", "Tolvan 121212-1212", "19121212-1213"):
        response = client.get(reverse(CHANGELIST), {"q": typed})
        assert response.status_code == 302, typed
        assert not _digits_in(response["Location"])
        shown = client.get(response["Location"])
        assert "personnummer" in shown.content.decode()  # the message points to the patient search
    # Usernames and references still work in the plain search box.
    by_user = client.get(reverse(CHANGELIST), {"q": world.sot.username}).context["cl"].result_list
    assert {e.user for e in by_user} == {world.sot}


def test_a_malformed_number_is_explained_and_an_expired_search_is_not_an_empty_result(client, world, tolvan_read):
    client.force_login(world.administrator)
    response = client.post(reverse(PATIENT_SEARCH), {"personal_number": "19121212-1213"}, follow=True)
    assert shown_html(ERROR_CHECKSUM) in response.content.decode()
    assert client.get(reverse(PATIENT_SEARCH)).status_code == 405
    # A search the session does not know (another browser, an expired session) is not "nobody read it".
    response = client.get(reverse(CHANGELIST), {"patient": "unknown-search"})
    assert response.status_code == 302 and "patient=" not in response["Location"]


def test_browsing_and_searching_the_log_are_logged_without_the_number(client, world, tolvan_read):
    admin_user = world.administrator
    client.force_login(admin_user)
    client.get(reverse(CHANGELIST))
    browsed = AccessLogEntry.objects.filter(user=admin_user, what="admin:accesslog")
    assert set(browsed.values_list("patient", flat=True)) == set(
        AccessLogEntry.objects.exclude(user=admin_user).values_list("patient", flat=True)
    )
    assert set(browsed.values_list("role", "action")) == {("administrator", AccessAction.READ)}
    location = client.post(reverse(PATIENT_SEARCH), {"personal_number": "121212-1212"})["Location"]
    client.get(location)
    searched = AccessLogEntry.objects.filter(user=admin_user, what="admin:accesslog:patient")
    assert list(searched.values_list("patient", flat=True)) == [tolvan_read.patient_id]
    entry = AccessLogEntry.objects.filter(user=world.sot).get()
    opened = client.get(reverse("admin:audit_accesslogentry_change", args=[entry.pk]))
    assert opened.status_code == 200 and shown_html(WHAT_LABELS["referrals:detail"]) in opened.content.decode()
    assert AccessLogEntry.objects.filter(user=admin_user, what="admin:accesslog:entry", patient=entry.patient).exists()
    assert not any(_digits_in(what) for what in AccessLogEntry.objects.values_list("what", flat=True))


def test_the_log_speaks_swedish_in_local_time(client, world, tolvan_read):
    from datetime import UTC, datetime

    from audit.services import access_record

    access_record(user=world.receiving_staff, referral=tolvan_read, what="work:inbox")
    AccessLogEntry.objects.create(
        user=world.sot,
        role="sot_representative,unit_staff",
        patient=tolvan_read.patient,
        referral=tolvan_read,
        action=AccessAction.READ,
        what="referrals:detail",
        at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
    )
    client.force_login(world.administrator)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "2026-07-01 12:00" in html  # Europe/Stockholm, summer time
    assert "SOT-ansvarig, Verksamhet" in html
    assert "Begärans sida" in html and "Inkorgen" in html
    assert "referrals:detail" not in html
    assert ">sot_representative" not in html and "unit_staff<" not in html  # codes only in filter addresses


def test_the_inbox_logs_exactly_the_requests_it_shows(client, world):
    """Completed patients are not shown in the inbox, so their reads are not logged either."""
    shown = [
        ReferralFactory(sending_unit=world.home_unit, status=status, receiving_unit=world.neighbour_unit)
        for status in (S.PROPOSED, S.PROPOSED, S.ACCEPTED, S.ACCEPTED)
    ]
    hidden = [
        ReferralFactory(sending_unit=world.home_unit, status=S.COMPLETED, receiving_unit=world.neighbour_unit)
        for _ in range(6)
    ]
    client.force_login(world.receiving_staff)
    body = client.get(reverse("work:inbox")).content.decode()
    assert all(r.reference in body for r in shown) and not any(r.reference in body for r in hidden)
    logged = AccessLogEntry.objects.filter(user=world.receiving_staff, what="work:inbox")
    assert sorted(logged.values_list("referral", flat=True)) == sorted(r.pk for r in shown)
