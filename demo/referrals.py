"""Demo request history: about 200 requests over the last six months, each moved through the real
lifecycle service by the demo accounts, in every state. Created once and left alone afterwards.

The history is drawn from one seeded random generator, so it is the same every time: `filing` makes up
each request, `history` moves it along, and the tables in `referral_data` say how they end up.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from demo.accounts import UNIT_STAFF_PREFIX
from demo.cast import Cast, load_cast
from demo.filing import file_request, weighted
from demo.history import Story, play
from demo.referral_data import FINAL_STATES, OLD_AFTER_DAYS, OLD_FINAL_STATES
from organisations.models import Unit
from referrals.models import Referral

HISTORY_DAYS = 182  # requests are created over the last six months
FEATURED_SHARE = 0.3  # share of requests filed by the named demo accounts' units


def seed_demo_referrals(*, count: int = 200, today: date | None = None, seed: int = 2026) -> int:
    """About `count` requests over the last six months, each moved through the real lifecycle service."""
    if Referral.objects.filter(created_by__username__startswith=UNIT_STAFF_PREFIX).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    cast = load_cast()
    for _ in range(count):
        unit = _sending_unit(rng, cast)
        created_on = today - timedelta(days=rng.randrange(0, HISTORY_DAYS))
        age = (today - created_on).days
        # Most requests older than two months have been dealt with; a few still wait, overdue.
        final = weighted(rng, FINAL_STATES if age <= OLD_AFTER_DAYS else OLD_FINAL_STATES)
        with transaction.atomic():
            _seed_one(rng, cast, unit, created_on, today, final, age)
    return max(count, 0)  # none for a negative count


def _sending_unit(rng: random.Random, cast: Cast) -> Unit:
    # The named demo accounts' units get a good share, so that each demo login has real work to see.
    if cast.featured and rng.random() < FEATURED_SHARE:
        return rng.choice(cast.featured)
    return rng.choice(cast.sending_units)


def _seed_one(rng: random.Random, cast: Cast, unit: Unit, created_on: date, today: date, final: str, age: int) -> None:
    """One demo request, moved through the real lifecycle services up to its final state."""
    sender = cast.staff[unit.code]
    sot_user = cast.sot[unit.hospital.region.code]
    referral, clock = file_request(rng, cast, unit, created_on, today, final, sender)
    play(Story(rng, cast, referral, unit, sender, sot_user, clock, final), age)
