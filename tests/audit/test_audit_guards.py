"""The access log's trigger is audit's own: installed by migration audit 0002 and after every migrate,
idempotent, and never a moment without it."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from audit.db_guards import ensure_access_log_trigger
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("audit.migrations.0002_access_log_guard")


def _entry(world):
    from audit.services import access_record

    return access_record(user=world.unit_staff, referral=ReferralFactory(sending_unit=world.home_unit))


def _update_is_refused(entry) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accesslogentry SET what = 'x' WHERE id = %s", [entry.pk])
    except Exception as exc:  # the database's own error class differs per vendor
        assert "append-only" in str(exc)
        return True
    return False


def _triggers() -> list[tuple[str, str]]:
    """(trigger, function or table) of every trigger on the access log."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = 'audit_accesslogentry'::regclass AND NOT t.tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["audit_accesslogentry"],
            )
        return sorted(cursor.fetchall())


def _install_by_migration():
    # The migration's function reads only the schema editor's connection; SQLite's real schema editor
    # cannot open inside a test's transaction.
    migration.install_guard(None, SimpleNamespace(connection=connection))


def test_the_access_log_has_audits_own_trigger(world):
    expected = "access_log_append_only" if connection.vendor == "postgresql" else "audit_accesslogentry"
    assert _triggers() == [("access_log_append_only", expected)]
    assert _update_is_refused(_entry(world))


def test_installing_again_changes_nothing(world):
    entry = _entry(world)
    before = _triggers()
    _install_by_migration()
    ensure_access_log_trigger()
    _install_by_migration()
    assert _triggers() == before
    assert _update_is_refused(entry)


def test_the_migration_puts_a_missing_guard_back(world):
    entry = _entry(world)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER access_log_append_only ON audit_accesslogentry")
            else:
                cursor.execute("DROP TRIGGER access_log_append_only")
        assert _triggers() == []
        _install_by_migration()
        assert len(_triggers()) == 1
        assert _update_is_refused(entry)
    finally:
        ensure_access_log_trigger()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses DELETE too; SQLite only UPDATE")
def test_postgresql_refuses_delete_with_the_access_logs_own_message(world):
    entry = _entry(world)
    refused = "the access log is append-only \\(DELETE refused\\)"
    with pytest.raises(Exception, match=refused), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])


def test_referral_events_keep_their_own_guard():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = 'referrals_referralevent'::regclass AND NOT t.tgisinternal"
            )
            assert cursor.fetchall() == [("referral_event_append_only",)]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'referrals_referralevent'"
            )
            assert cursor.fetchall() == [("referral_event_append_only",)]
