"""Moving the catalogue out of referrals (catalog 0001, capacity 0002, referrals 0007) keeps every row.

The models change app in Django's state only: their tables keep the names referrals gave them, the
requests and capacity offers keep pointing at the same rows, and the content types (so permissions and
admin history) follow the models.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from capacity.models import CapacityOffer
from catalog.models import DiagnosisCodeRange, DiagnosisGroup, MedicalPriority
from referrals.models import Referral

BEFORE = [("referrals", "0006_patient_identity_only"), ("capacity", "0001_initial"), ("catalog", None)]
AFTER = [("referrals", "0007_catalog_moved_out"), ("capacity", "0002_diagnosis_group_in_catalog")]
TABLES = {
    DiagnosisGroup: "referrals_diagnosisgroup",
    DiagnosisCodeRange: "referrals_diagnosiscoderange",
    MedicalPriority: "referrals_medicalpriority",
}


def test_the_tables_keep_their_names():
    for model, table in TABLES.items():
        assert model._meta.app_label == "catalog"
        assert model._meta.db_table == table
    assert Referral._meta.get_field("diagnosis_group").related_model is DiagnosisGroup
    assert Referral._meta.get_field("priority").related_model is MedicalPriority
    assert CapacityOffer._meta.get_field("diagnosis_group").related_model is DiagnosisGroup


@pytest.mark.django_db
def test_the_models_and_migrations_are_in_step():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())  # SystemExit(1) if not


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_catalogue_and_what_points_at_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state([(app, name) for app, name in BEFORE if name]).apps
    try:
        content_type = old.get_model("contenttypes", "ContentType")
        permission = old.get_model("auth", "Permission")
        group_type = content_type.objects.get_or_create(app_label="referrals", model="diagnosisgroup")[0]
        may_add = permission.objects.get_or_create(
            content_type=group_type, codename="add_diagnosisgroup", defaults={"name": "Can add diagnosis group"}
        )[0]

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
        group = old.get_model("referrals", "DiagnosisGroup").objects.create(
            code="artros", name="Artros", specialty="orthopaedics", sort_order=3
        )
        code_range = old.get_model("referrals", "DiagnosisCodeRange").objects.create(
            group=group, first="M16", last="M17"
        )
        priority = old.get_model("referrals", "MedicalPriority").objects.create(
            code="hog", name="Hög", max_wait_days=14, sort_order=1, is_main_focus=True
        )
        patient = old.get_model("referrals", "Patient").objects.create(personal_number="191212121212")
        referral = old.get_model("referrals", "Referral").objects.create(
            reference="SOT-2026-000001",
            patient=patient,
            patient_name="Tolvan",
            patient_home_region=region,
            sending_unit=unit,
            created_by=user,
            icd10_code="M17.1",
            diagnosis_group=group,
            priority=priority,
        )
        offer = old.get_model("capacity", "CapacityOffer").objects.create(
            unit=unit,
            diagnosis_group=group,
            week_start="2026-11-23",
            slots=2,
            max_asa=3,
            care_type="inpatient",
            created_by=user,
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = MigrationExecutor(connection).loader.project_state(AFTER).apps

        with pytest.raises(LookupError):
            new.get_model("referrals", "DiagnosisGroup")
        moved_group = new.get_model("catalog", "DiagnosisGroup").objects.get()
        assert (moved_group.pk, moved_group.code, moved_group.name, moved_group.sort_order) == (
            group.pk,
            "artros",
            "Artros",
            3,
        )
        moved_range = new.get_model("catalog", "DiagnosisCodeRange").objects.get()
        assert (moved_range.pk, moved_range.group_id, moved_range.first, moved_range.last) == (
            code_range.pk,
            group.pk,
            "M16",
            "M17",
        )
        moved_priority = new.get_model("catalog", "MedicalPriority").objects.get()
        assert (moved_priority.pk, moved_priority.max_wait_days, moved_priority.is_main_focus) == (
            priority.pk,
            14,
            True,
        )
        moved_referral = new.get_model("referrals", "Referral").objects.select_related("diagnosis_group", "priority")
        moved_referral = moved_referral.get(pk=referral.pk)
        assert moved_referral.diagnosis_group.code == "artros" and moved_referral.priority.code == "hog"
        moved_offer = new.get_model("capacity", "CapacityOffer").objects.select_related("diagnosis_group")
        assert moved_offer.get(pk=offer.pk).diagnosis_group.pk == group.pk

        # The tables are the ones referrals made; nothing was dropped or renamed.
        tables = set(connection.introspection.table_names())
        assert set(TABLES.values()) <= tables
        assert not {t for t in tables if t.startswith("catalog_")}
        # The database still refuses to delete a group that a request uses: the foreign key is intact
        # (checked at commit, as Django makes foreign keys deferred on both databases).
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM referrals_diagnosisgroup WHERE id = %s", [group.pk])

        # The content type (with its permissions) now belongs to catalog.
        group_type.refresh_from_db()
        assert (group_type.app_label, group_type.model) == ("catalog", "diagnosisgroup")
        assert permission.objects.get(pk=may_add.pk).content_type_id == group_type.pk
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
