"""The application's database role may read and write rows, and nothing more (audit/db_roles.py): it is
refused TRUNCATE, disabling or dropping a trigger and any DDL on the access log and the request events,
and the triggers refuse its UPDATE and DELETE of their rows. PostgreSQL only: SQLite has no roles."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import errors, sql

from audit.services import access_record
from referrals.models import ReferralEvent
from tests.conftest import World
from tests.factories import ReferralFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # the role and the rows must be committed for another connection
]

LOG = "audit_accesslogentry"
EVENTS = "referrals_referralevent"
TRIGGERS = {LOG: "access_log_append_only", EVENTS: "referral_event_append_only"}


def _dsn(role: str, password: str) -> str:
    settings = connection.settings_dict
    return (
        f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} dbname={settings['NAME']} "
        f"user={role} password={password}"
    )


@pytest.fixture
def app_role(monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    """A role of this test's own, made by `create_app_role`, connected; dropped afterwards."""
    role, password = f"sot_app_test_{uuid.uuid4().hex[:10]}", secrets.token_urlsafe(16)
    monkeypatch.setenv("SOT_TEST_APP_PASSWORD", password)
    call_command("create_app_role", role, password_env="SOT_TEST_APP_PASSWORD", verbosity=0)
    try:
        with psycopg.connect(_dsn(role, password), autocommit=True) as db:
            yield db
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def _refused(
    db: psycopg.Connection, statement: str | sql.Composed, error: type[Exception], params: list[object] | None = None
) -> str:
    with pytest.raises(error) as refusal:
        db.execute(statement, params)
    return str(refusal.value)


def _rows(world: World) -> tuple[int, int]:
    referral = ReferralFactory(sending_unit=world.home_unit)

    event = ReferralEvent.objects.create(referral=referral, kind="created", to_status="draft", actor=world.unit_staff)
    return access_record(user=world.unit_staff, referral=referral).pk, event.pk


@pytest.mark.parametrize("table", [LOG, EVENTS])
def test_the_application_role_cannot_truncate_or_switch_off_the_guards(app_role, world, table):
    _rows(world)
    assert "permission denied" in _refused(app_role, f'TRUNCATE "{table}"', errors.InsufficientPrivilege)
    for statement in (
        f'ALTER TABLE "{table}" DISABLE TRIGGER USER',
        f'ALTER TABLE "{table}" DISABLE TRIGGER "{TRIGGERS[table]}"',
        f'DROP TRIGGER "{TRIGGERS[table]}" ON "{table}"',
        f'ALTER TABLE "{table}" ADD COLUMN x integer',
        f'DROP TABLE "{table}"',
    ):
        assert "must be owner" in _refused(app_role, statement, errors.InsufficientPrivilege), statement
    _refused(app_role, "SET session_replication_role = replica", errors.InsufficientPrivilege)
    _refused(app_role, "CREATE TABLE sot_app_test_table (x integer)", errors.InsufficientPrivilege)
    assert app_role.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone() == (1,)


def test_the_application_role_writes_rows_and_the_triggers_refuse_changing_them(app_role, world):
    entry, event = _rows(world)
    inserted = app_role.execute(
        "INSERT INTO audit_accesslogentry (at, user_id, role, place, patient_id, referral_id, action, what, "
        "chain_seq, chain_hash) SELECT now(), user_id, role, place, patient_id, referral_id, action, what, "
        "chain_seq + 1, chain_hash FROM audit_accesslogentry WHERE id = %s RETURNING id",
        [entry],
    ).fetchone()
    assert inserted is not None
    app_role.execute("UPDATE audit_chainhead SET length = length WHERE chain = 'access_log'")  # heads move
    for table, row in ((LOG, entry), (EVENTS, event)):
        name = sql.Identifier(table)
        update = sql.SQL("UPDATE {} SET chain_hash = %s WHERE id = %s").format(name)
        delete = sql.SQL("DELETE FROM {} WHERE id = %s").format(name)
        assert "append-only" in _refused(app_role, update, errors.RaiseException, ["0" * 64, row])
        assert "append-only" in _refused(app_role, delete, errors.RaiseException, [row])
