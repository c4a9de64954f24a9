"""No double booking: 20 acceptances from separate connections race for the last free slot."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from capacity.weeks import first_open_week
from referrals import services
from referrals.models import Referral, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory

RACERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_acceptances_for_one_free_slot(world):
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=3, reserved_slots=2
    )
    referrals = [
        ReferralFactory(
            status=ReferralStatus.PROPOSED,
            sending_unit=world.home_unit,
            receiving_unit=world.neighbour_unit,
            diagnosis_group=group,
        )
        for _ in range(RACERS)
    ]
    barrier = threading.Barrier(RACERS)
    outcomes: dict[int, str] = {}

    def accept(referral: Referral) -> None:
        try:
            barrier.wait(timeout=30)  # start together, each thread on its own database connection
            services.referral_accept(
                referral=referral, by=world.receiving_staff, planned_date=week + timedelta(days=1), offer=offer
            )
            outcomes[referral.pk] = "accepted"
        except services.NoFreeSlot as exc:
            outcomes[referral.pk] = exc.message
        except Exception as exc:  # anything else is a failure of the guarantee, reported below
            outcomes[referral.pk] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    winners = [pk for pk, outcome in outcomes.items() if outcome == "accepted"]
    losers = [outcome for outcome in outcomes.values() if outcome != "accepted"]
    assert len(outcomes) == RACERS
    assert len(winners) == 1, outcomes
    assert len(losers) == RACERS - 1
    assert all("sista lediga platsen" in m or "last free slot" in m for m in losers), set(losers)
    offer.refresh_from_db()
    assert offer.reserved_slots == offer.slots == 3
    assert Referral.objects.filter(status=ReferralStatus.ACCEPTED).count() == 1
    assert Referral.objects.get(pk=winners[0]).reserved_offer_id == offer.pk
    # The losers were not half-accepted: still proposed, nothing reserved, no acceptance event.
    assert Referral.objects.filter(status=ReferralStatus.PROPOSED, reserved_offer__isnull=True).count() == RACERS - 1
