from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.icd10_import import CREATED, KEPT, SKIPPED, UNCHANGED, UPDATED, import_icd10_se


class Command(BaseCommand):
    help = (
        "Import Socialstyrelsen's ICD-10-SE code-text file (code<TAB>Swedish title per line) into the Swedish "
        "ICD-10 titles. Titles edited in the admin are kept. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The ICD-10-SE text file from Socialstyrelsen.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        counts = import_icd10_se(path, dry_run=options["dry_run"])
        summary = ", ".join(f"{counts[key]} {key}" for key in (CREATED, UPDATED, UNCHANGED, KEPT, SKIPPED))
        self.stdout.write(("Dry run: " if options["dry_run"] else "") + f"ICD-10-SE titles: {summary}.")
