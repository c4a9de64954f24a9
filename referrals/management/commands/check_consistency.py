"""`manage.py check_consistency`: report what the database cannot keep consistent by itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from referrals.consistency import checked_counts, find_problems


class Command(BaseCommand):
    help = (
        "Check invariants that span rows: reserved slots of each capacity offer against the requests holding "
        "them, reservations against their offer, and each request's history against its status. Prints one "
        "line per problem (references and offer ids, never patient data) and exits 1 if there is any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = find_problems()
        offers, referrals = checked_counts()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found "
                f"({offers} capacity offers and {referrals} requests checked)."
            )
        self.stdout.write(f"No problems: {offers} capacity offers and {referrals} requests checked.")
