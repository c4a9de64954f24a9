"""`manage.py verify_audit_chain`: is the access log, and is every request's history, as it was written?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from audit.verification import verify_all

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recompute the hash chains of the access log (one per patient) and of the request events (one per "
        "request) and compare them with the stored hashes and the chains' heads. Prints one line per problem "
        "(chain, patient or request id, row ids; never patient data) and exits 1 if there is any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", type=int, default=SHOWN, help="Print at most this many problems.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = verify_all()
        problems = [problem for _model, found, _rows, _chains in results for problem in found]
        for problem in problems[: options["show"]]:
            self.stdout.write(str(problem))
        if len(problems) > options["show"]:
            self.stdout.write(f"… and {len(problems) - options['show']} more.")
        counts = ", ".join(f"{model.CHAIN}: {rows} rows in {chains} chains" for model, _found, rows, chains in results)
        if problems:
            raise CommandError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found ({counts}).")
        self.stdout.write(f"Audit chains intact: {counts}.")
