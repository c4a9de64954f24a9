"""Conflicting actions on one request from concurrent connections (issue 12 §5: capacity is never lost by a race).

Each pair of actions that can meet on one request runs in two threads, each on its own database connection:

- behind a barrier, ROUNDS times, on PostgreSQL and on SQLite (where writers queue at `BEGIN IMMEDIATE`);
- in lock order, on PostgreSQL only: a third connection holds the request's row lock while the first and then
  the second action queue behind it, then lets go. This makes the interleaving deterministic in which the second
  action read the request before the first one committed (a withdrawal queued behind an acceptance is the case
  that once lost a slot). SQLite takes its write lock before the first read, so that interleaving cannot occur
  there and these rounds would prove nothing.

After every round: one action won and the other was told it was too late (TransitionNotAllowed), or both applied
in an order the transition table allows; the history, the status and the obstacles agree with that order; and
the offer's reserved slots equal the accepted or completed requests holding one of them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from capacity.models import CapacityOffer
from capacity.weeks import first_open_week
from referrals import services
from referrals.lifecycle import TRANSITIONS, Action
from referrals.models import (
    CloseReason,
    DeclineReason,
    Obstacle,
    ObstacleCategory,
    Referral,
    ReferralEvent,
    ReferralStatus,
    WithdrawReason,
)
from tests.conftest import World
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory

S = ReferralStatus
ROUNDS = 15  # barrier rounds per pair
ORDERED_ROUNDS = 2  # lock-ordered rounds per pair and order
EVENT_ACTION = {transition.event: action for action, transition in TRANSITIONS.items()}


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    start: str

    def __str__(self) -> str:
        return f"{self.first}|{self.second}"


PAIRS = [
    Pair(Action.ACCEPT, Action.WITHDRAW, S.PROPOSED),
    Pair(Action.ACCEPT, Action.DECLINE, S.PROPOSED),
    Pair(Action.DECLINE, Action.WITHDRAW, S.PROPOSED),
    Pair(Action.COMPLETE, Action.WITHDRAW, S.ACCEPTED),
    Pair(Action.PROPOSE, Action.WITHDRAW, S.IN_REVIEW),
    Pair(Action.CLOSE, Action.WITHDRAW, S.IN_REVIEW),
]


@dataclass
class Stage:
    world: World
    offer: CapacityOffer
    week: date

    def referral(self, start: str) -> Referral:
        """A request in `start`; an accepted one holds a slot of the offer, as acceptance would have left it."""
        accepted = start == S.ACCEPTED
        referral = ReferralFactory(
            status=start,
            sending_unit=self.world.home_unit,
            receiving_unit=self.world.neighbour_unit if start in (S.PROPOSED, S.ACCEPTED) else None,
            diagnosis_group=self.offer.diagnosis_group,
            planned_date=self.week + timedelta(days=1) if accepted else None,
            reserved_offer=self.offer if accepted else None,
        )
        if accepted:
            CapacityOffer.objects.filter(pk=self.offer.pk).update(reserved_slots=F("reserved_slots") + 1)
        return referral

    def act(self, action: str, referral: Referral) -> None:
        w = self.world
        if action == Action.ACCEPT:
            planned = self.week + timedelta(days=1)
            services.referral_accept(referral=referral, by=w.receiving_staff, planned_date=planned, offer=self.offer)
        elif action == Action.DECLINE:
            services.referral_decline(
                referral=referral,
                by=w.receiving_staff,
                reason=DeclineReason.NO_CAPACITY,
                obstacle_category=ObstacleCategory.CAPACITY,
                obstacle_text="Ingen operationstid före årsskiftet.",
            )
        elif action == Action.COMPLETE:
            services.referral_complete(referral=referral, by=w.receiving_staff, care_given_date=timezone.localdate())
        elif action == Action.WITHDRAW:
            services.referral_withdraw(referral=referral, by=w.unit_staff, reason=WithdrawReason.PATIENT_DECLINED)
        elif action == Action.PROPOSE:
            services.referral_propose(
                referral=referral, by=w.sot, unit=w.neighbour_unit, reason="Plats enligt telefon."
            )
        elif action == Action.CLOSE:
            services.referral_close(
                referral=referral,
                by=w.sot,
                reason=CloseReason.LEGAL_OR_ECONOMIC,
                obstacle_category=ObstacleCategory.ECONOMIC,
                obstacle_text="Ersättningen är inte avtalad.",
            )
        else:  # pragma: no cover
            raise AssertionError(action)


@pytest.fixture
def stage(world) -> Stage:
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=100)
    return Stage(world=world, offer=offer, week=week)


class Racer(threading.Thread):
    """One action on its own connection: loads the request as a page would, waits for the start, acts."""

    def __init__(self, stage: Stage, action: str, pk: int, start) -> None:
        super().__init__(name=f"{action}-{pk}")
        self.stage, self.action, self.pk, self.start_signal = stage, action, pk, start
        self.ready = threading.Event()
        self.backend_pid: int | None = None
        self.outcome = "did not finish"

    def run(self) -> None:
        try:
            referral = Referral.objects.get(pk=self.pk)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.backend_pid = cursor.fetchone()[0]
            self.ready.set()
            self.start_signal()
            self.stage.act(self.action, referral)
            self.outcome = "applied"
        except services.TransitionNotAllowed:
            self.outcome = "too late"
        except Exception as exc:  # anything else breaks the guarantee; reported by the assertions
            self.outcome = f"error: {exc!r}"
        finally:
            self.ready.set()
            connections.close_all()


def _race_behind_barrier(stage: Stage, pair: Pair, pk: int) -> dict[str, str]:
    barrier = threading.Barrier(2)
    racers = [Racer(stage, action, pk, lambda: barrier.wait(timeout=30)) for action in (pair.first, pair.second)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    return {racer.action: racer.outcome for racer in racers}


def _blocked(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [pid])
        return cursor.fetchone()[0] > 0


def _race_in_lock_order(stage: Stage, order: tuple[str, str], pk: int) -> dict[str, str]:
    """Hold the row lock from this connection; let `order[0]` queue behind it, then `order[1]`; let go."""
    gates = {action: threading.Event() for action in order}
    racers = [Racer(stage, action, pk, lambda a=action: gates[a].wait(timeout=30)) for action in order]
    for racer in racers:
        racer.start()
        assert racer.ready.wait(timeout=30)
    with transaction.atomic():
        Referral.objects.select_for_update().filter(pk=pk).get()
        for racer in racers:
            gates[racer.action].set()
            deadline = time.monotonic() + 10
            assert racer.backend_pid is not None, racer.outcome  # None: it failed before it asked for the row
            while racer.is_alive() and not _blocked(racer.backend_pid):
                assert time.monotonic() < deadline, f"{racer.action} never queued behind the row lock"
                time.sleep(0.005)
    for racer in racers:
        racer.join(timeout=60)
    return {racer.action: racer.outcome for racer in racers}


def _assert_serial(stage: Stage, pair: Pair, pk: int, outcomes: dict[str, str]) -> None:
    """One won and the other was too late, or both applied in an order the table allows; nothing half-applied."""
    assert all(outcome in ("applied", "too late") for outcome in outcomes.values()), outcomes
    applied_by_threads = {action for action, outcome in outcomes.items() if outcome == "applied"}
    assert applied_by_threads, f"neither action applied: {outcomes}"

    referral = Referral.objects.get(pk=pk)
    events = list(ReferralEvent.objects.filter(referral_id=pk).order_by("id"))
    applied = [EVENT_ACTION[e.kind] for e in events if e.kind in EVENT_ACTION]
    assert set(applied) == applied_by_threads and len(applied) == len(applied_by_threads), (outcomes, applied)
    status = pair.start
    for action, event in zip(applied, (e for e in events if e.kind in EVENT_ACTION), strict=True):
        assert status in TRANSITIONS[action].sources, f"{action} applied to a {status} request: {outcomes}"
        assert event.from_status == status, (event.kind, event.from_status, status)
        target = TRANSITIONS[action].target
        assert target is not None, f"{action} is no step between states"
        status = target
    assert referral.status == status, (outcomes, applied, referral.status)
    assert [e.at for e in events] == sorted(e.at for e in events), "an event is dated before the one it follows"
    raised = sum(1 for action in applied if action in (Action.DECLINE, Action.CLOSE))
    assert Obstacle.objects.filter(referral_id=pk).count() == raised

    offer = CapacityOffer.objects.get(pk=stage.offer.pk)
    holders = Referral.objects.filter(reserved_offer=offer, status__in=[S.ACCEPTED, S.COMPLETED]).count()
    assert offer.reserved_slots == holders, (
        f"{pair} ({outcomes}): the offer counts {offer.reserved_slots} reserved slots, "
        f"{holders} accepted or completed requests hold one; request {referral.reference} is {referral.status} "
        f"with reserved offer {referral.reserved_offer_id}"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_pair_raced_behind_a_barrier(stage, pair):
    for _ in range(ROUNDS):  # which interleaving each round gets is up to the scheduler; each must be serial
        pk = stage.referral(pair.start).pk
        outcomes = _race_behind_barrier(stage, pair, pk)
        _assert_serial(stage, pair, pk, outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (CI): SQLite takes its write lock before the first read, so no read can go stale",
)
@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_pair_in_lock_order(stage, pair):
    for order in ((pair.first, pair.second), (pair.second, pair.first)):
        for _ in range(ORDERED_ROUNDS):
            pk = stage.referral(pair.start).pk
            outcomes = _race_in_lock_order(stage, order, pk)
            _assert_serial(stage, pair, pk, outcomes)
            # In lock order the first always applies; the second follows it if the table allows.
            assert outcomes[order[0]] == "applied", (order, outcomes)
            follows = TRANSITIONS[order[0]].target in TRANSITIONS[order[1]].sources
            assert outcomes[order[1]] == ("applied" if follows else "too late"), (order, outcomes)
