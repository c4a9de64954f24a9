"""Demo: the months before the six of the demo request history, so that the figures page has twelve months
of trend. About 130 requests created 6–12 months ago, fewer in the summer and at Christmas as in real
life, each moved through the real lifecycle service like the rest of the demo history and by now mostly
dealt with (completed, withdrawn or closed; a few still wait). Created once and left alone afterwards."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from demo.accounts import UNIT_STAFF_PREFIX
from demo.cast import load_cast
from demo.filing import weighted
from demo.referral_data import OLD_FINAL_STATES
from demo.referrals import HISTORY_DAYS, _seed_one, _sending_unit
from referrals.models import Referral

PAST_YEAR_DAYS = 365
# How busy each calendar month is, relative to an ordinary one: fewer requests in July and December.
SEASON = {1: 1.0, 2: 1.1, 3: 1.2, 4: 1.0, 5: 1.1, 6: 0.8, 7: 0.4, 8: 0.7, 9: 1.2, 10: 1.1, 11: 1.0, 12: 0.6}


def seed_demo_past_year(*, count: int = 130, today: date | None = None, seed: int = 2025) -> int:
    """About `count` requests created 6–12 months before `today`; none if they exist already."""
    today = today or timezone.localdate()
    oldest = today - timedelta(days=HISTORY_DAYS)
    if Referral.objects.filter(
        created_by__username__startswith=UNIT_STAFF_PREFIX, created_at__date__lt=oldest
    ).exists():
        return 0
    rng = random.Random(seed)
    cast = load_cast()
    created = 0
    while created < count:
        created_on = today - timedelta(days=rng.randrange(HISTORY_DAYS, PAST_YEAR_DAYS))
        if rng.random() > SEASON[created_on.month] / max(SEASON.values()):
            continue  # a quieter month: this draw files nothing
        unit = _sending_unit(rng, cast)
        with transaction.atomic():
            _seed_one(rng, cast, unit, created_on, today, weighted(rng, OLD_FINAL_STATES), (today - created_on).days)
        created += 1
    return created
