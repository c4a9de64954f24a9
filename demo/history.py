"""Demo request histories: what happens to a filed request on its way to its final state (submitted, taken
into review, proposed, perhaps declined first, accepted, completed; or withdrawn or closed on the way),
each step by the real lifecycle service. The order of the random draws is part of the demo data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import User
from capacity.models import CareType
from demo.cast import Cast
from demo.clock import Clock, after
from demo.referral_data import DEMO_PROPOSAL_REASON, FEATURED_RECEIVING_UNITS, OBSTACLES, SIDE_EXITS, STEPS
from organisations.models import Unit
from referrals import services
from referrals.models import CloseReason, DeclineReason, Referral, WithdrawReason

CARE_FORMS = (CareType.DAY_SURGERY, CareType.INPATIENT)


@dataclass
class Story:
    """One filed demo request on its way to `target`, and who acts on it."""

    rng: random.Random
    cast: Cast
    referral: Referral
    unit: Unit  # the sending unit
    sender: User
    sot_user: User  # the SOT representative of the sending unit's region
    clock: Clock
    target: str  # the final state


def play(story: Story, age: int) -> None:
    """Move the request up to its final state, or as far as a request `age` days old can have come."""
    if story.target == "draft":
        return
    if story.target == "withdrawn" and story.rng.random() < 0.2:
        _withdraw_filed_by_mistake(story)
        return
    story.target = _reachable_target(story.target, age)
    if not _submit_and_take(story):
        return
    if story.target == "closed":
        _close(story)
    if story.target in ("closed", "in_review"):
        return
    receiver = _propose(story)
    if receiver is not None:
        _accept_and_complete(story, story.cast.staff[receiver.code])


def _reachable_target(final: str, age: int) -> str:
    """Not every request can have come far in a few days: the final state, capped by age."""
    reachable = STEPS[: 2 + min(age // 4, 4)]
    return final if final in reachable or final in SIDE_EXITS else reachable[-1]


def _withdraw_filed_by_mistake(story: Story) -> None:
    # The step may lie ahead of today (None); the service then dates the withdrawal now.
    services.referral_withdraw(
        referral=story.referral, by=story.sender, reason=WithdrawReason.FILED_BY_MISTAKE, at=story.clock.step(3)
    )


def _submit_and_take(story: Story) -> bool:
    """Submitted, and taken into review unless it stops there; False if the request goes no further."""
    if (at := story.clock.step(1)) is None:
        return False
    services.referral_submit(referral=story.referral, by=story.sender, at=at)
    if story.target == "submitted" or (at := story.clock.step(3)) is None:
        return False
    services.referral_take(referral=story.referral, by=story.sot_user, at=at)
    return True


def _obstacle(rng: random.Random, share: float) -> tuple[str, str]:
    """An obstacle to cooperation (category, text) in about `share` of the cases; otherwise none."""
    return rng.choice(OBSTACLES) if rng.random() < share else ("", "")


def _close(story: Story) -> None:
    if (at := story.clock.step(10)) is None:
        return
    reason = story.rng.choice(CloseReason.values)
    category, text = _obstacle(story.rng, 0.5)
    services.referral_close(
        referral=story.referral,
        by=story.sot_user,
        reason=reason,
        note=_other_note(reason),
        at=at,
        obstacle_category=category,
        obstacle_text=text,
    )


def _propose(story: Story) -> Unit | None:
    """Proposed to a receiving unit (sometimes after a first unit declined); None if it goes no further."""
    candidates, same_hr = _candidates(story)
    if (
        story.rng.random() < 0.2  # a first proposal, declined
        and (at := story.clock.step(5)) is not None
        and not _declined_first(story, same_hr or candidates, at)
    ):
        return None
    receiver = _receiver(story, candidates, same_hr)
    if (at := story.clock.step(5)) is None:
        return None
    services.referral_propose(
        referral=story.referral, by=story.sot_user, unit=receiver, reason=DEMO_PROPOSAL_REASON, at=at
    )
    if story.target == "withdrawn":
        _withdraw(story)
        return None
    return None if story.target == "proposed" else receiver


def _candidates(story: Story) -> tuple[list[Unit], list[Unit]]:
    """Units of the same specialty in other regions, and those of them in the same healthcare region."""
    region = story.unit.hospital.region
    candidates = [
        u for u in story.cast.units if u.specialty == story.unit.specialty and u.hospital.region_id != region.pk
    ]
    same_hr = [u for u in candidates if u.hospital.region.healthcare_region_id == region.healthcare_region_id]
    return candidates, same_hr


def _withdraw(story: Story) -> None:
    if (at := story.clock.step(5)) is not None:
        reason = story.rng.choice(WithdrawReason.values)
        services.referral_withdraw(referral=story.referral, by=story.sender, reason=reason, at=at)


def _declined_first(story: Story, options: list[Unit], at: datetime) -> bool:
    """A first proposal that its unit declines; False if the decline lies ahead of today."""
    first = story.rng.choice(options)
    services.referral_propose(
        referral=story.referral, by=story.sot_user, unit=first, reason=DEMO_PROPOSAL_REASON, at=at
    )
    if (declined_at := story.clock.step(3)) is None:
        return False
    category, text = _obstacle(story.rng, 0.4)
    reason = story.rng.choice(DeclineReason.values)
    services.referral_decline(
        referral=story.referral,
        by=story.cast.staff[first.code],
        reason=reason,
        note=_other_note(reason),
        obstacle_category=category,
        obstacle_text=text,
        at=declined_at,
    )
    return True


def _receiver(story: Story, candidates: list[Unit], same_hr: list[Unit]) -> Unit:
    rng = story.rng
    featured = [u for u in candidates if u.code in FEATURED_RECEIVING_UNITS]
    # Requests left waiting for an answer go mostly to the demo receiving accounts' units, so that
    # their inbox has patients to accept or decline.
    if featured and rng.random() < (0.9 if story.target == "proposed" else 0.5):
        return rng.choice(featured)
    return rng.choice(same_hr if same_hr and rng.random() < 0.7 else candidates)


def _accept_and_complete(story: Story, receiver: User) -> None:
    rng, clock = story.rng, story.clock
    if (at := clock.step(4)) is None:
        return
    planned = clock.day + timedelta(days=rng.randrange(7, 35))
    if story.target != "completed" and planned < clock.today:  # accepted and still waiting: care lies ahead
        planned = clock.today + timedelta(days=rng.randrange(3, 30))
    services.referral_accept(
        referral=story.referral,
        by=receiver,
        planned_date=planned,
        at=at,
        care_form=CARE_FORMS[story.referral.pk % 3 > 0],
    )  # care form by pk, not by rng: the draws stay as they were
    if story.target == "completed" and planned < clock.today:
        services.referral_complete(
            referral=story.referral, by=receiver, care_given_date=planned, at=after(planned, clock.last_at, rng)
        )


def _other_note(reason: str) -> str:
    """ "Annat skäl" comes with a note saying what it is (the services require one)."""
    return "Demo: operationsplaneringen räcker inte denna period." if reason == "other" else ""
