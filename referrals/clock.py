"""The care-guarantee clock, computed in one place.

Vårdgaranti: treatment within N calendar days of the decision to treat (90 nationally; a
region may use fewer). Periods of patient-chosen (PvV) or medically caused (MoV) waiting
stop the clock, so each paused day moves the deadline one day later. Overlapping pauses
count each calendar day once. The clock starts at the decision: the decision day is day 0, so
only paused days after it count; a pause wholly or partly before it counts for its later part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def paused_days(periods: Iterable[Period], *, since: date | None = None, until: date | None = None) -> int:
    """Number of distinct calendar days covered by the periods after `since` and up to `until` (inclusive)."""
    first = since + timedelta(days=1) if since else None
    spans = sorted((max(p.start, first) if first else p.start, min(p.end, until) if until else p.end) for p in periods)
    spans = [(start, end) for start, end in spans if start <= end]
    total = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in spans:
        if current_end is not None and start <= current_end + timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def care_guarantee_deadline(decision_date: date, limit_days: int, periods: Iterable[Period] = ()) -> date:
    return decision_date + timedelta(days=limit_days + paused_days(periods, since=decision_date))


def default_target_date(decision_date: date, max_wait_days: int) -> date:
    """The medical target date suggested by the priority's maximum wait."""
    return decision_date + timedelta(days=max_wait_days)


@dataclass(frozen=True)
class WaitStatus:
    days_waited: int
    days_to_deadline: int | None
    days_to_target: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_to_deadline is not None and self.days_to_deadline < 0

    @property
    def is_past_target(self) -> bool:
        return self.days_to_target is not None and self.days_to_target < 0


def wait_status(
    *,
    today: date,
    decision_date: date | None,
    deadline: date | None,
    target_date: date | None,
    periods: Iterable[Period] = (),
) -> WaitStatus:
    """Days waited (paused days do not count) and days left to the deadline and target date."""
    periods = list(periods)
    waited = 0
    if decision_date is not None and today > decision_date:
        waited = (today - decision_date).days - paused_days(periods, since=decision_date, until=today)
    return WaitStatus(
        days_waited=max(waited, 0),
        days_to_deadline=(deadline - today).days if deadline else None,
        days_to_target=(target_date - today).days if target_date else None,
    )
