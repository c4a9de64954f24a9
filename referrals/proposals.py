"""What the SOT representative sees while choosing a receiving unit: the matching's ranking, with the
units that declined this request before set apart (they are not proposed again in one click)."""

from __future__ import annotations

from django.utils import timezone

from capacity.matching import EarlierDecline, MatchResult, rank_receiving_units
from referrals.models import EventKind, Referral


def declines_of(referral: Referral) -> list[EarlierDecline]:
    """Each unit that declined the request, with its latest decline. A decline ends the proposal before it
    (the decline's own event names no unit: the request has none after it), so the unit is the proposal's."""
    events = (
        referral.events.filter(kind__in=(EventKind.PROPOSED, EventKind.DECLINED))
        .select_related("receiving_unit__hospital__region")
        .order_by("at", "id")
    )
    proposed = None
    latest: dict[int, EarlierDecline] = {}
    for event in events:
        if event.kind == EventKind.PROPOSED:
            proposed = event.receiving_unit
        elif proposed is not None:
            latest[proposed.pk] = EarlierDecline(
                unit_id=proposed.pk,
                unit_name=proposed.name,
                hospital_name=proposed.hospital.name,
                region_name=proposed.hospital.region.name,
                on=timezone.localdate(event.at),
                reason=event.reason_display,
            )
            proposed = None
    return list(latest.values())


def ranking_for(referral: Referral, *, unit_id: int | None = None) -> MatchResult:
    """The ranked receiving units for a request (the best `TOP_N`), its earlier declines set apart; with
    `unit_id`, that unit's proposal too wherever it ranks (the unit a representative chose)."""
    units = () if unit_id is None else (unit_id,)
    return rank_receiving_units(referral, declined=declines_of(referral), units=units)
