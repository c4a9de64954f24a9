"""The access log answers "who saw this patient": reads, creations and changes, append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessAction, AccessLogEntry
from capacity.weeks import first_open_week
from referrals import services
from referrals.models import ReferralStatus as S
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory


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
    response = client.get(changelist, {"q": referral.patient.personal_number})
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
