"""The whole queue's SQL is compiled once per process (sot.compiled_queries); its rows are read every time."""

from __future__ import annotations

import random
from datetime import timedelta
from functools import partial

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, ReferralStatus
from referrals.selectors import QUEUE_STATUSES, queue_counts, sot_queue
from sot import compiled_queries
from tests.factories import ReferralFactory, UserFactory, member

S = ReferralStatus
QUEUE = reverse("work:queue")


def references(response) -> list[str]:
    return [row.referral.reference for row in response.context["rows"]]


def test_compiled_rows_are_the_orms_rows_read_anew_each_time(world):
    """Built once for a key, the rows converted as the ORM converts them (dates, aware times, annotations),
    and a row written after the compilation is read by the next call."""
    built = []

    def build():
        built.append(1)
        return (
            Referral.objects.filter(sending_unit=world.home_unit)
            .annotate(n=Count("events"), group=F("diagnosis_group__name"))
            .order_by("id")
            .values_list("id", "reference", "status_changed_at", "medical_target_date", "n", "group")
        )

    ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    first = compiled_queries.rows(("test", world.home_unit.pk), build)
    assert first == list(build()) and len(first) == 1
    ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW)
    second = compiled_queries.rows(("test", world.home_unit.pk), build)
    assert len(second) == 2 and second == list(build())
    assert len(built) == 3  # compiled by the first call only; the other two built for the comparisons
    assert compiled_queries.rows(("test", 0), lambda: Referral.objects.none().values_list("id")) == []


def test_the_whole_queue_equals_what_the_orm_reads(client, world):
    """Page by page, in order, and counted per status, as the queryset itself reads the queue, for the SOT
    representative and a colleague who handles some of the requests (their own "Mina ärenden")."""
    rng = random.Random(7)
    colleague = UserFactory(username="colleague")
    member(colleague, "sot_representative", world.home_region)
    today = timezone.localdate()
    for _ in range(45):
        status = rng.choice([S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.COMPLETED])
        referral = ReferralFactory(sending_unit=world.home_unit, status=status)
        Referral.objects.filter(pk=referral.pk).update(
            medical_target_date=today + timedelta(days=rng.randint(-20, 40)),
            care_guarantee_deadline=today + timedelta(days=rng.randint(-10, 60)),
            handler=rng.choice([None, world.sot, colleague]),
        )
    for user in (world.sot, colleague):
        client.force_login(user)
        expected = list(
            sot_queue(user, today=today).filter(status__in=QUEUE_STATUSES).values_list("reference", flat=True)
        )
        assert len(expected) > 25  # two pages
        shown = references(client.get(QUEUE)) + references(client.get(QUEUE, {"page": 2}))
        assert shown == expected
        response = client.get(QUEUE)
        assert response.context["counts"] == queue_counts(partial(sot_queue, user, today=today), user=user)
        mine = response.context["counts"]["mine"]
        assert mine == sum(1 for r in Referral.objects.filter(handler=user, status__in=QUEUE_STATUSES))


def test_a_request_filed_after_the_first_view_shows_on_the_next(client, world):
    client.force_login(world.sot)
    first = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    assert references(client.get(QUEUE)) == [first.reference]
    second = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    assert sorted(references(client.get(QUEUE))) == sorted([first.reference, second.reference])
    Referral.objects.filter(pk=first.pk).update(status=S.WITHDRAWN, closed_at=timezone.now())
    response = client.get(QUEUE)
    assert references(response) == [second.reference]
    assert response.context["counts"][S.WITHDRAWN] == 1


def test_a_new_membership_is_a_new_query(client, world):
    """The key holds the user's scopes: a region given to the user later is in their next queue."""
    client.force_login(world.sot)
    theirs = ReferralFactory(sending_unit=world.neighbour_unit, status=S.SUBMITTED)
    assert theirs.reference not in references(client.get(QUEUE))
    member(world.sot, "sot_representative", world.neighbour_region)
    assert theirs.reference in references(client.get(QUEUE))
