from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from reports.scopes import ALL, scope_from_key
from reports.services import last_month, report_build

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Build the monthly report for a month and scope now, and print the paths of its three files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument(
            "--scope", default=ALL, help="'all' (default), 'region:<code>' or 'healthcare-region:<code>'"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = last_month()
        if options["month"]:
            match = re.fullmatch(r"(\d{4})-(\d{2})", options["month"])
            if not match or not 1 <= int(match.group(2)) <= 12:
                raise CommandError("--month must be YYYY-MM, e.g. 2026-10.")
            month = date(int(match.group(1)), int(match.group(2)), 1)
        try:
            scope = scope_from_key(options["scope"])
        except Exception:
            raise CommandError(
                f"Unknown scope {options['scope']!r}: use all, region:<code> or healthcare-region:<code>."
            ) from None
        report = report_build(month=month, scope=scope)
        if report is None:
            raise CommandError("Another build of this report is running; try again in a moment.")
        for field in (report.csv_file, report.xlsx_file, report.pdf_file):
            self.stdout.write(field.path)
