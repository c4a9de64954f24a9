"""Whether a region takes part in SOT: the administrator's setting with the day it joined, its queryset and Q
for any lookup path, the database's rule that a region taking part has a day, the admin, and the migration
that lets the regions SOT had before take part."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import ERROR_JOINED_ON_MISSING, Region, Unit, taking_part_q
from tests.factories import HospitalFactory, RegionFactory, UnitFactory

DAY = date(2026, 11, 18)


@pytest.fixture
def regions(db):
    return {
        "joined": RegionFactory(takes_part=True, joined_on=DAY - timedelta(days=30)),
        "today": RegionFactory(takes_part=True, joined_on=DAY),
        "tomorrow": RegionFactory(takes_part=True, joined_on=DAY + timedelta(days=1)),
        "stopped": RegionFactory(takes_part=False, joined_on=DAY - timedelta(days=300)),
        "never": RegionFactory(takes_part=False, joined_on=None),
    }


def test_a_region_takes_part_from_the_day_it_joined_while_the_setting_is_on(regions):
    taking_part = set(Region.objects.taking_part(on=DAY))
    assert taking_part == {regions["joined"], regions["today"]}
    assert {name for name, region in regions.items() if region.takes_part_on(DAY)} == {"joined", "today"}


def test_the_q_follows_any_lookup_path(regions):
    units = {name: UnitFactory(hospital=HospitalFactory(region=region)) for name, region in regions.items()}
    found = set(Unit.objects.filter(taking_part_q("hospital__region__", on=DAY)))
    assert found == {units["joined"], units["today"]}


def test_taking_part_needs_a_day_in_the_form_and_in_the_database(db):
    region = RegionFactory.build(takes_part=True, joined_on=None, healthcare_region=RegionFactory().healthcare_region)
    with pytest.raises(ValidationError) as raised:
        region.full_clean()
    assert raised.value.message_dict["joined_on"] == [str(ERROR_JOINED_ON_MISSING)]
    with pytest.raises(IntegrityError), transaction.atomic():
        region.save()


def test_a_new_region_does_not_take_part(db):
    region = Region.objects.create(code="ny", name="Ny region", healthcare_region=RegionFactory().healthcare_region)
    region.refresh_from_db()
    assert (region.takes_part, region.joined_on) == (False, None)


def test_the_admin_form_sets_taking_part_in_swedish(client, world):
    client.force_login(world.administrator)
    body = client.get(reverse("admin:organisations_region_change", args=[world.far_region.pk])).content.decode()
    assert "Deltar i SOT" in body and "Deltar från" in body


def test_the_admin_actions_let_regions_take_part_from_today_and_stop(client, world):
    client.force_login(world.administrator)
    far = world.far_region
    far.takes_part, far.joined_on = False, None
    far.save()
    url = reverse("admin:organisations_region_changelist")
    chosen = [far.pk, world.home_region.pk]
    client.post(url, {"action": "take_part_from_today", "_selected_action": chosen})
    far.refresh_from_db()
    world.home_region.refresh_from_db()
    assert (far.takes_part, far.joined_on) == (True, timezone.localdate())
    assert world.home_region.joined_on == date(2020, 1, 1)  # one that took part already keeps its day

    client.post(url, {"action": "stop_taking_part", "_selected_action": [far.pk]})
    far.refresh_from_db()
    assert (far.takes_part, far.joined_on) == (False, timezone.localdate())  # the day is kept, as history
    assert LogEntry.objects.filter(object_id=str(far.pk)).count() == 2


def test_the_admin_actions_are_named_in_swedish():
    from django.contrib import admin

    model_admin = admin.site._registry[Region]
    with translation.override("sv"):
        actions = [model_admin.get_action(name) for name in ("take_part_from_today", "stop_taking_part")]
        names = {str(action[2]) for action in actions if action is not None}
    assert names == {
        "Låt de markerade regionerna delta i SOT från i dag",
        "Avsluta de markerade regionernas deltagande i SOT",
    }


BEFORE = [("organisations", "0003_hsa_ids")]
AFTER = [("organisations", "0004_participation")]


@pytest.mark.django_db(transaction=True)
def test_the_regions_sot_had_before_the_setting_take_part_after_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    try:
        south = old.get_model("organisations", "HealthcareRegion").objects.create(code="sodra", name="Södra")
        for code in ("skane", "blekinge"):
            old.get_model("organisations", "Region").objects.create(code=code, name=code, healthcare_region=south)

        MigrationExecutor(connection).migrate(AFTER)
        new = MigrationExecutor(connection).loader.project_state(AFTER).apps

        rows = (
            new.get_model("organisations", "Region")
            .objects.order_by("code")
            .values_list("code", "takes_part", "joined_on")
        )
        today = timezone.localdate()
        assert list(rows) == [("blekinge", True, today), ("skane", True, today)]
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
