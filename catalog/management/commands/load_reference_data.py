from typing import Any

from django.core.management.base import BaseCommand, CommandError

from catalog.reference_data import CREATED, UNCHANGED, UPDATED, load_reference_data
from organisations.reference_checks import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load the reference data: healthcare regions, regions, hospitals, units, medical priorities, diagnosis "
        "groups and their ICD-10 ranges. Idempotent, checked row by row before anything is written (one bad row "
        "and nothing changes), and never creates users or requests: the release step runs it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = load_reference_data()
        except ReferenceDataError as bad:
            lines = "\n".join(f"- {error}" for error in bad.errors)
            raise CommandError(f"The reference data has bad rows; nothing was changed.\n{lines}") from bad
        models = list(dict.fromkeys(model for model, _outcome in counts))
        for model in models:
            self.stdout.write(
                f"{model._meta.label}: {counts[model, CREATED]} created, "
                f"{counts[model, UPDATED]} updated, {counts[model, UNCHANGED]} unchanged"
            )
        changed = sum(n for (_model, outcome), n in counts.items() if outcome != UNCHANGED)
        self.stdout.write("Reference data is in place." if changed else "Reference data is in place; nothing changed.")
