"""`seed_demo` creates the real geography and demo data, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from demo.accounts import DEMO_ACCOUNTS
from organisations.models import HealthcareRegion, Hospital, Region, Unit
from referrals.models import Referral, ReferralEvent, ReferralStatus

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("organisations", "catalog", "accounts", "referrals")


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every project table, as values, in primary-key order."""
    snapshot = {}
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return snapshot


@override_settings(DEBUG=True)
def test_seed_twice_changes_nothing():
    call_command("seed_demo", "--referrals", "40", stdout=StringIO())
    first = _snapshot()
    out = StringIO()
    call_command("seed_demo", "--referrals", "40", stdout=out)
    assert _snapshot() == first
    assert "nothing changed" in out.getvalue()


@override_settings(DEBUG=True)
def test_seed_creates_the_real_geography_and_demo_data():
    call_command("seed_demo", "--referrals", "60", stdout=StringIO())
    assert HealthcareRegion.objects.count() == 6
    assert Region.objects.count() == 21
    assert Hospital.objects.count() == 73
    assert Hospital.objects.get(code="linkoping").region.name == "Region Östergötland"
    assert Unit.objects.filter(specialty="hand_surgery").exists()
    for account in DEMO_ACCOUNTS:
        assert User.objects.get(username=account.username).check_password("sot-demo-2026")
    # and 13/20 as many 6-12 months old, for the 12-month trends, and the group plan's waiting group
    assert Referral.objects.count() == 60 + 39 + 12
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED} <= statuses
    # History was made by the lifecycle service: every request starts with its creation event.
    assert ReferralEvent.objects.filter(kind="created").count() == 111
    # twelve months of history, each event in the past and in order
    months = {f"{timezone.localtime(at):%Y-%m}" for at in ReferralEvent.objects.values_list("at", flat=True)}
    assert len(months) >= 12
    assert not ReferralEvent.objects.filter(at__gt=timezone.now()).exists()
    for referral in Referral.objects.filter(submitted_at__isnull=False):
        ats = list(referral.events.order_by("id").values_list("at", flat=True))
        assert ats == sorted(ats)
    # Every proposal went to another region.
    for referral in Referral.objects.filter(receiving_unit__isnull=False).select_related(
        "sending_unit__hospital", "receiving_unit__hospital"
    ):
        assert referral.receiving_unit is not None
        assert referral.receiving_unit.hospital.region_id != referral.sending_unit.hospital.region_id


@override_settings(DEBUG=False)
def test_without_debug_no_demo_accounts_or_requests():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Region.objects.count() == 21
    assert not User.objects.exists()
    assert not Referral.objects.exists()
    assert "DEBUG is off" in out.getvalue()


@override_settings(DEBUG=True)
def test_demo_history_runs_forwards():
    """No event is earlier than the event it follows, and none lies in the future."""
    from django.utils import timezone

    call_command("seed_demo", stdout=StringIO())
    backwards = []
    previous: dict[int, tuple] = {}
    for event in ReferralEvent.objects.order_by("referral_id", "id").values("referral_id", "kind", "at"):
        before = previous.get(event["referral_id"])
        if before is not None and event["at"] < before[1]:
            backwards.append(f"request {event['referral_id']}: {event['kind']} before {before[0]}")
        previous[event["referral_id"]] = (event["kind"], event["at"])
    assert not backwards, f"{len(backwards)} events earlier than the one before: " + "; ".join(backwards[:10])
    assert not ReferralEvent.objects.filter(at__gt=timezone.now()).exists()
