from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from organisations.hsa_import import HsaImportError, import_hsa_units


class Command(BaseCommand):
    help = (
        "Import units from an HSA catalogue export (CSV): create new units, update names, addresses, phone and "
        "e-mail, mark the care providers' units missing from the file inactive. Never deletes. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV export from the HSA catalogue.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")
        parser.add_argument(
            "--strict", action="store_true", help="Apply nothing if any row has a problem (default: skip the row)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            result = import_hsa_units(path.read_bytes(), dry_run=options["dry_run"], strict=options["strict"])
        except HsaImportError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stderr.write(problem)
        for change in result.changes:
            self.stdout.write(change)
        if options["strict"] and result.problems:
            raise CommandError(
                _("Rows with problems: %(count)d; nothing was changed (--strict).") % {"count": len(result.problems)}
            )
        if not result.changed:
            self.stdout.write(_("No changes."))
        self.stdout.write(result.summary())
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
