"""Time in the demo history: working-hours events that never run backwards nor lie in the future."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def working_time(day: date, rng: random.Random) -> datetime:
    """A random time during working hours on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour=rng.randrange(8, 16), minute=rng.randrange(0, 60))))


def after(day: date, previous: datetime | None, rng: random.Random) -> datetime:
    """A working-hours time on `day`, but later than the previous event: several steps can happen on one
    day, and history never runs backwards. Never later than now."""
    at = working_time(day, rng)
    if previous is not None and at <= previous:
        at = previous + timedelta(minutes=rng.randrange(5, 60))
    return min(at, timezone.now())


class Clock:
    """A demo request's clock: each event some days after the last, never dated before it nor after today."""

    def __init__(self, rng: random.Random, day: date, today: date) -> None:
        self.rng, self.day, self.today = rng, day, today
        self.last_at = after(day, None, rng)  # the creation

    def step(self, max_days: int) -> datetime | None:
        """The time of the next event (None: it lies ahead of today)."""
        self.day = self.day + timedelta(days=self.rng.randrange(0, max_days + 1))
        if self.day >= self.today:
            return None
        self.last_at = after(self.day, self.last_at, self.rng)
        return self.last_at
