"""`manage.py create_app_role ROLE`: the application's PostgreSQL role, which may only read and write rows."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.db_roles import app_role_statements, create_app_role, current_role, role_exists

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = (
        "Create the role the application logs in as (DATABASE_URL), or bring an existing one back to exactly "
        "these rights: SELECT, INSERT, UPDATE, DELETE on every table and USAGE, SELECT on every sequence, now "
        "and for the tables the owner creates later; no TRUNCATE, no DDL, owner of nothing. Run it as the "
        "owner (the role that migrates), after migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The application's role, e.g. sot_app.")
        parser.add_argument(
            "--password-env", metavar="VARIABLE", help="Set the role's password from this environment variable."
        )
        parser.add_argument("--print", action="store_true", help="Print the statements; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's: set DATABASE_URL to the owner's PostgreSQL URL.")
        role, variable = options["role"], options["password_env"]
        password = os.environ.get(variable) if variable else None
        if variable and not password:
            raise CommandError(f"The environment variable {variable} is empty or not set.")
        if role == current_role(connection):
            raise CommandError("Connect as the owner, not as the application's role.")
        if options["print"]:
            statements = app_role_statements(
                connection, role=role, owner=current_role(connection), exists=role_exists(connection, role)
            )
            for statement in statements:
                self.stdout.write(f"{statement.sql};")
            if variable:
                self.stdout.write(f"-- and the password from {variable}")
            return
        with transaction.atomic():
            statements = create_app_role(connection, role=role, password=password)
        self.stdout.write(f"Role {role}: {len(statements)} statements run as {current_role(connection)}.")
