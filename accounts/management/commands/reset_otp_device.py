"""Remove an administrator's second-factor device (a lost or new phone): `manage.py reset_otp_device USERNAME`.

The next sign-in with the account's password leads to setting up a new device (README, "Local accounts").
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.local_login import reset_devices

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Remove every second-factor (TOTP) device of one account, so that its next sign-in sets up a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("No account has that username.")
        removed = reset_devices(user)
        logger.info("second factor reset", extra={"user_id": user.pk, "devices": removed})
        self.stdout.write(f"Removed {removed} device(s). The next sign-in sets up a new authenticator app.")
