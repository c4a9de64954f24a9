"""The two database roles on PostgreSQL: the owner, who migrates, and the application, which may only read
and write rows.

The owner (the role that ran `migrate`, owner of every table, trigger and function) is used by the release
step alone. The application's role logs in with `DATABASE_URL` and gets SELECT, INSERT, UPDATE and DELETE
on the tables, USAGE and SELECT on the sequences, and the same on every table and sequence the owner
creates later (default privileges). It owns nothing and has no TRUNCATE, no REFERENCES or TRIGGER
privilege, no CREATE in the schema, and is no superuser: so it cannot TRUNCATE the logs, nor disable or
drop their append-only triggers (only an owner may), nor set `session_replication_role` (superusers
only), and the triggers refuse its UPDATE and DELETE of log rows. `manage.py create_app_role` runs these
statements as the owner; `--print` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple[str, ...] = ()


def app_role_statements(
    connection: BaseDatabaseWrapper, *, role: str, owner: str, exists: bool, password: str | None = None
) -> list[Statement]:
    """The statements that create (or bring back in line) the application's role, to run as `owner`."""
    q = connection.ops.quote_name
    database = q(connection.settings_dict["NAME"])
    app = q(role)
    later = f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public"
    login = [Statement(f"{'ALTER' if exists else 'CREATE'} ROLE {app} {ROLE_ATTRIBUTES}")]
    if password is not None:
        login.append(Statement(f"ALTER ROLE {app} PASSWORD %s", (password,)))
    return [
        *login,
        Statement("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        Statement(f"REVOKE ALL ON SCHEMA public FROM {app}"),
        Statement(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {app}"),
        Statement(f"GRANT USAGE ON SCHEMA public TO {app}"),
        Statement(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app}"),
        Statement(f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {app}"),
        Statement(f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA public TO {app}"),
        Statement(f"{later} GRANT {ROW_PRIVILEGES} ON TABLES TO {app}"),
        Statement(f"{later} GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCES TO {app}"),
    ]


def role_exists(connection: BaseDatabaseWrapper, role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def current_role(connection: BaseDatabaseWrapper) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return str(cursor.fetchone()[0])


def create_app_role(connection: BaseDatabaseWrapper, *, role: str, password: str | None = None) -> list[Statement]:
    """Create the application's role, or bring an existing one back to exactly these rights; as the owner."""
    statements = app_role_statements(
        connection, role=role, owner=current_role(connection), exists=role_exists(connection, role), password=password
    )
    with connection.cursor() as cursor:
        for statement in statements:
            # Composed here: a utility statement (ALTER ROLE … PASSWORD) takes no server-side parameter.
            params = list(statement.params)
            ops: Any = connection.ops  # PostgreSQL's, which has compose_sql
            cursor.execute(ops.compose_sql(statement.sql, params) if params else statement.sql)
    return statements
