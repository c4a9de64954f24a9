from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from reports.figure_store import figures_backfill, figures_mark_all_stale, figures_refresh

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = (
        "Keep the figures page's months (those that have ended) for every scope: compute the ones not kept or "
        "touched by a change since. Running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=12, help="How many months up to last month (default 12).")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Compute every kept month again (after reference data moved, e.g. a unit to another region).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["months"] <= 120:
            raise CommandError("--months must be between 1 and 120.")
        started = time.perf_counter()
        if options["rebuild"]:
            figures_mark_all_stale()
        stored = figures_refresh() + figures_backfill(months=options["months"])
        self.stdout.write(f"{stored} months stored in {time.perf_counter() - started:.1f} s")
