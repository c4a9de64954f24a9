"""capacity 0003: offers published before it count as confirmed when and by whom they were published, and
the confirmation limit's one row is there."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("capacity", "0002_diagnosis_group_in_catalog")]
AFTER = [("capacity", "0003_offer_confirmation")]


@pytest.mark.django_db(transaction=True)
def test_existing_offers_count_as_confirmed_when_published():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    try:
        healthcare_region = old.get_model("organisations", "HealthcareRegion").objects.create(code="s", name="S")
        region = old.get_model("organisations", "Region").objects.create(
            code="skane", name="Region Skåne", healthcare_region=healthcare_region
        )
        hospital = old.get_model("organisations", "Hospital").objects.create(
            code="sus", name="SUS", region=region, latitude=55.7, longitude=13.2
        )
        unit = old.get_model("organisations", "Unit").objects.create(
            hospital=hospital, name="Ortopedi", code="sus-orto", specialty="orthopaedics"
        )
        group = old.get_model("catalog", "DiagnosisGroup").objects.create(
            code="artros", name="Artros", specialty="orthopaedics", sort_order=1
        )
        users = [old.get_model("accounts", "User").objects.create(username=name) for name in ("a", "b")]
        offer_model = old.get_model("capacity", "CapacityOffer")
        published = timezone.make_aware(datetime(2026, 10, 5, 9, 30))
        offers = []
        for n, user in enumerate(users):
            offer = offer_model.objects.create(
                unit=unit,
                diagnosis_group=group,
                week_start=datetime(2026, 11, 23).date() + timedelta(weeks=n),
                slots=2,
                max_asa=3,
                care_type="inpatient",
                created_by=user,
            )
            offer_model.objects.filter(pk=offer.pk).update(created_at=published + timedelta(days=n))
            offers.append(offer)

        MigrationExecutor(connection).migrate(AFTER)
        new = MigrationExecutor(connection).loader.project_state(AFTER).apps

        migrated = new.get_model("capacity", "CapacityOffer").objects.order_by("week_start")
        assert [(o.confirmed_at, o.confirmed_by_id) for o in migrated] == [
            (published, users[0].pk),
            (published + timedelta(days=1), users[1].pk),
        ]
        assert list(new.get_model("capacity", "ConfirmationLimit").objects.values_list("pk", "days")) == [(1, 14)]
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
