"""The regions that join SOT in the demo, beside those SOT started with: Västra Götalandsregionen and Region
Stockholm took part from two weeks ago. The demo history (the requests of the past year) stays between the
regions of Södra and Sydöstra sjukvårdsregionen; the regions that joined bring capacity (`demo/capacity.py`),
so a coordinator in Skåne finds a unit in Västra Götaland or Stockholm when the own healthcare region is full.

A region is made to take part only if nobody ever set it (no day it joined): the administrator's choice in the
admin stays, also when `seed_demo` runs again."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from organisations.models import Region

JOINING = ("vastra-gotaland", "stockholm")
JOINED_DAYS_AGO = 14
# The healthcare regions whose units make the demo history, as before SOT took in the whole country.
HISTORY_HEALTHCARE_REGIONS = ("sodra", "sydostra")


def seed_demo_participation(*, today: date | None = None) -> int:
    """Let the demo's joining regions take part; how many were changed."""
    joined_on = (today or timezone.localdate()) - timedelta(days=JOINED_DAYS_AGO)
    return Region.objects.filter(code__in=JOINING, takes_part=False, joined_on__isnull=True).update(
        takes_part=True, joined_on=joined_on
    )
