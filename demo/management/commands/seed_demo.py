from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from demo.action_plans import seed_demo_action_plans
from demo.capacity import seed_demo_capacity
from demo.contacts import seed_demo_contacts
from demo.group_plan import seed_demo_group_plan
from demo.hsa import seed_demo_hsa_ids
from demo.participation import seed_demo_participation
from demo.past_year import seed_demo_past_year
from demo.prices import seed_demo_prices
from demo.referrals import seed_demo_referrals
from demo.reports import seed_demo_reports

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = (
        "Load the reference data (what load_reference_data loads). With DEBUG on, also the demo accounts, "
        "about 200 demo requests over six months and 130 of the six months before, last month's reports and "
        "12 weeks of demo capacity, some of it in two regions outside Södra and Sydöstra that join SOT in the "
        "demo. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--referrals", type=int, default=200, help="How many demo requests (default 200).")

    def handle(self, *args: Any, **options: Any) -> None:
        load_reference_data()
        self.stdout.write("Reference data is in place.")
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts or demo requests were created.")
            return
        with transaction.atomic():
            if joined := seed_demo_participation():
                self.stdout.write(f"{joined} more regions take part in SOT in the demo.")
            seed_demo_accounts()
            seed_demo_contacts()
            seed_demo_hsa_ids()
            seed_demo_prices()
        created = seed_demo_referrals(count=options["referrals"])
        if created:
            self.stdout.write(f"Created {created} demo requests.")
        else:
            self.stdout.write("Demo requests exist already; nothing changed.")
        seed_demo_action_plans()
        if past := seed_demo_past_year(count=options["referrals"] * 13 // 20):  # 130 for the default 200
            self.stdout.write(f"Created {past} demo requests 6-12 months old, for the 12-month trends.")
        built = seed_demo_reports()
        if built:
            self.stdout.write(f"Built last month's report for {built} scopes.")
        offers = seed_demo_capacity()
        if offers:
            self.stdout.write(f"Published {offers} demo capacity offers.")
        if cohort := seed_demo_group_plan():
            self.stdout.write(f"Filed {cohort} waiting requests of one group in one region, for the group plan.")
        self.stdout.write(f"Demo accounts share the password {DEMO_PASSWORD!r}.")
