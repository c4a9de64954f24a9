from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from idempotency.claims import claims_purge
from idempotency.models import Claim, expiry_cutoff

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Delete form-token and Idempotency-Key claims older than IDEMPOTENCY_TTL_HOURS (Celery beat does it hourly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            count = Claim.objects.filter(created_at__lt=expiry_cutoff()).count()
            self.stdout.write(f"{count} expired claims would be deleted.")
            return
        self.stdout.write(f"{claims_purge()} expired claims deleted.")
