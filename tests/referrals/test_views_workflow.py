"""The SOT queue, the receiving inbox, each workflow step and obstacles, with personas."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from capacity.weeks import first_open_week
from referrals import services
from referrals.models import (
    EventKind,
    MedicalPriority,
    Obstacle,
    Referral,
    ReferralStatus,
)
from referrals.rules import ERROR_DESCRIBE_OBSTACLE
from referrals.services import (
    ERROR_CARE_FORM_MISSING,
    ERROR_CARE_GIVEN_IN_FUTURE,
    ERROR_PLANNED_DATE_OUTSIDE_WEEK,
    ERROR_PROPOSAL_NEEDS_REASON,
)
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, ReferralFactory
from tests.i18n import shown, shown_html

S = ReferralStatus
QUEUE = reverse("work:queue")
INBOX = reverse("work:inbox")
# The access log's hash chain (audit/chain.py): a savepoint, the heads, their advance and the release; on
# PostgreSQL the requests are locked FOR KEY SHARE first and the heads advance in the entries' INSERT. A
# constant: it does not grow with the rows either.
CHAINED = 4
# A patient's first entry creates the head of its chain: on PostgreSQL a statement of its own (the heads are
# otherwise locked without being written, audit.chain._locked_heads); on SQLite the same upsert as always.
NEW_HEADS = 1 if connection.vendor == "postgresql" else 0
OBSTACLES = reverse("work:obstacles")


def login(client, user):
    client.force_login(user)
    return client


# --- queue -------------------------------------------------------------------------------------


def test_queue_personas(client, world):
    assert client.get(QUEUE).status_code == 302
    for persona in ("unit_staff", "receiving_staff", "director", "administrator", "nobody"):
        assert login(client, getattr(world, persona)).get(QUEUE).status_code == 403, persona
    assert login(client, world.sot).get(QUEUE).status_code == 200
    assert client.post(QUEUE).status_code == 405


def test_queue_holds_the_regions_open_requests_most_urgent_first(client, world):
    today = timezone.localdate()
    high = MedicalPriority.objects.create(code="hog", name="Hög", max_wait_days=14, sort_order=1, is_main_focus=True)
    medium = MedicalPriority.objects.create(code="medel", name="Medel", max_wait_days=90, sort_order=3)

    def make(target_in: int, deadline_in: int, priority=high, asa=3, status=S.SUBMITTED):
        referral = ReferralFactory(sending_unit=world.home_unit, status=status, priority=priority, asa_class=asa)
        Referral.objects.filter(pk=referral.pk).update(
            decision_date=today - timedelta(days=100),
            medical_target_date=today + timedelta(days=target_in),
            care_guarantee_deadline=today + timedelta(days=deadline_in),
        )
        return referral.reference

    soon = make(2, 30)
    overdue = make(20, -1)
    later = make(10, 30)
    same_day_medium = make(2, 30, priority=medium)
    same_day_asa4 = make(2, 30, asa=4)
    ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT)  # not submitted: not in the queue
    ReferralFactory(sending_unit=world.home_unit, status=S.COMPLETED, receiving_unit=world.far_unit)  # closed
    ReferralFactory(sending_unit=world.neighbour_unit, status=S.SUBMITTED)  # another region
    response = login(client, world.sot).get(QUEUE)
    refs = [row.referral.reference for row in response.context["rows"]]
    assert refs == [overdue, same_day_asa4, soon, same_day_medium, later]
    assert response.context["counts"]["submitted"] == 5


def test_queue_filters(client, world):
    group = DiagnosisGroupFactory()
    other_group = DiagnosisGroupFactory(code="brack", name="Bråck", ranges=[("K40", "K46")])
    mine = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group)
    other = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=other_group, asa_class=2)
    Referral.objects.filter(pk=other.pk).update(care_guarantee_deadline=timezone.localdate() - timedelta(days=1))
    login(client, world.sot)

    def refs(**params):
        return {row.referral.reference for row in client.get(QUEUE, params).context["rows"]}

    assert refs(status="in_review") == {mine.reference}
    assert refs(diagnosis_group=other_group.pk) == {other.reference}
    assert refs(overdue="on") == {other.reference}
    assert refs(main_focus="on") == {mine.reference}  # ASA II is outside the main focus
    assert refs(hospital=world.home_unit.hospital_id) == {mine.reference, other.reference}
    assert refs(unit=world.home_unit.pk) == {mine.reference, other.reference}
    assert refs(q=mine.reference.lower()) == {mine.reference}
    assert "hospital" in client.get(QUEUE, {"hospital": world.neighbour_unit.hospital_id}).context["filter"].errors


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_query_count_does_not_grow(client, world, django_assert_num_queries, rows):
    for _ in range(rows):
        ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    login(client, world.sot)
    # The first view reads the wait limits and the filter's choice lists (groups, priorities, hospitals,
    # units, regions) and keeps them (sot.reference_cache); every view then reads: session, user,
    # memberships, the page's rows, one access-log INSERT for the page, the status counts (which also give
    # the page count of the whole queue). No session write (at most once a minute).
    with django_assert_num_queries(6 + 6 + CHAINED + NEW_HEADS):  # the factory's patients have no chain yet
        assert client.get(QUEUE).status_code == 200
    with django_assert_num_queries(6 + CHAINED):
        assert client.get(QUEUE).status_code == 200
    with django_assert_num_queries(7 + CHAINED):  # filtered: the page count is a query of its own
        assert client.get(QUEUE, {"status": S.SUBMITTED}).status_code == 200


# --- steps -------------------------------------------------------------------------------------

STEPS = {
    # action: (starting status, persona who may, a persona who sees it but may not)
    "take": (S.SUBMITTED, "sot", "unit_staff"),
    "propose": (S.IN_REVIEW, "sot", "unit_staff"),
    "accept": (S.PROPOSED, "receiving_staff", "sot"),
    "decline": (S.PROPOSED, "receiving_staff", "unit_staff"),
    "complete": (S.ACCEPTED, "receiving_staff", "sot"),
    "close": (S.IN_REVIEW, "sot", "unit_staff"),
    "contact": (S.PROPOSED, "sot", "receiving_staff"),
}


def _referral_in(world, status):
    receiving = world.neighbour_unit if status in (S.PROPOSED, S.ACCEPTED, S.COMPLETED) else None
    return ReferralFactory(sending_unit=world.home_unit, status=status, receiving_unit=receiving)


@pytest.mark.parametrize("action", list(STEPS))
def test_step_personas(client, world, action):
    status, owner, seer = STEPS[action]
    referral = _referral_in(world, status)
    url = reverse(f"referrals:{action}", args=[referral.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    assert login(client, getattr(world, owner)).get(url).status_code == 200
    assert login(client, getattr(world, seer)).get(url).status_code == 403
    for stranger in ("other_region_staff", "director", "administrator"):
        assert login(client, getattr(world, stranger)).get(url).status_code == 404, stranger
    assert login(client, getattr(world, owner)).put(url).status_code == 405


@pytest.mark.parametrize("action", ["take", "propose", "accept", "decline", "complete", "close"])
def test_step_in_the_wrong_state_says_so(client, world, action):
    _status, owner, _seer = STEPS[action]
    referral = _referral_in(world, S.WITHDRAWN)
    if owner == "receiving_staff":  # receiving staff only see what is proposed to them
        referral = _referral_in(world, S.COMPLETED if action != "complete" else S.PROPOSED)
    response = login(client, getattr(world, owner)).post(reverse(f"referrals:{action}", args=[referral.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])


def test_take_and_propose_through_the_pages(client, world):
    group = DiagnosisGroupFactory()
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=group)
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=group,
        week_start=first_open_week(timezone.localdate()) + timedelta(weeks=1),
    )
    login(client, world.sot)
    detail = reverse("referrals:detail", args=[referral.pk])
    # Before it is taken into review, the ranking says how to get to its "Föreslå" buttons.
    assert 'data-testid="take-to-propose"' in client.get(detail).content.decode()
    client.post(reverse("referrals:take", args=[referral.pk]), {"note": ""})
    assert 'data-testid="take-to-propose"' not in client.get(detail).content.decode()
    page = client.get(reverse("referrals:propose", args=[referral.pk]), {"unit": world.neighbour_unit.pk})
    assert page.context["form"]["unit"].value() == str(world.neighbour_unit.pk)
    confirmed = {"chosen": world.neighbour_unit.pk, "unit": world.neighbour_unit.pk}
    response = client.post(reverse("referrals:propose", args=[referral.pk]), confirmed)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.PROPOSED, world.neighbour_unit)


def test_propose_a_unit_without_capacity_needs_a_reason(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW)
    url = reverse("referrals:propose", args=[referral.pk])
    login(client, world.sot)
    chosen = {"chosen": world.far_unit.pk, "unit": world.far_unit.pk}
    response = client.post(url, chosen)
    assert response.context["form"].errors["reason"] == [shown(ERROR_PROPOSAL_NEEDS_REASON)]
    response = client.post(url, {**chosen, "reason": "Har plats enligt telefonsamtal."})
    assert response.status_code == 302
    response = client.post(url, {"chosen": world.neighbour_unit.pk, "unit": world.neighbour_unit.pk, "reason": "x"})
    assert response.status_code == 302  # no longer in review: the step is refused with a message


def test_accept_reserves_a_slot_and_withdrawal_releases_it(client, world):
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=1)
    referral = ReferralFactory(
        sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit, diagnosis_group=group
    )
    url = reverse("referrals:accept", args=[referral.pk])
    login(client, world.receiving_staff)
    response = client.post(url, {"offer": offer.pk, "planned_date": (week + timedelta(days=8)).isoformat()})
    assert response.context["form"].errors["planned_date"] == [shown(ERROR_PLANNED_DATE_OUTSIDE_WEEK)]
    # The factory's target date has passed: a late date is accepted once confirmed.
    planned = (week + timedelta(days=2)).isoformat()
    response = client.post(url, {"offer": offer.pk, "planned_date": planned, "confirm_late": "on"})
    assert response.status_code == 302
    offer.refresh_from_db()
    referral.refresh_from_db()
    assert (offer.reserved_slots, referral.status, referral.reserved_offer) == (1, S.ACCEPTED, offer)
    login(client, world.unit_staff).post(
        reverse("referrals:withdraw", args=[referral.pk]), {"reason": "treated_at_home"}
    )
    offer.refresh_from_db()
    referral.refresh_from_db()
    assert (offer.reserved_slots, referral.status, referral.reserved_offer) == (0, S.WITHDRAWN, None)


def test_accept_outside_published_capacity(client, world):
    referral = _referral_in(world, S.PROPOSED)
    planned = timezone.localdate() + timedelta(days=20)
    login(client, world.receiving_staff)
    data = {"planned_date": planned.isoformat(), "confirm_late": "on"}
    # outside published capacity the unit states the care form (the cost price depends on it)
    missing = client.post(reverse("referrals:accept", args=[referral.pk]), data)
    assert missing.context["form"].errors["care_form"] == [shown(ERROR_CARE_FORM_MISSING)]
    response = client.post(reverse("referrals:accept", args=[referral.pk]), {**data, "care_form": "inpatient"})
    # the factory's target date has passed: a late date is accepted once confirmed
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.planned_date, referral.reserved_offer) == (S.ACCEPTED, planned, None)


def test_the_care_form_starts_from_the_units_offers_when_they_agree(client, world):
    referral = _referral_in(world, S.PROPOSED)
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    url = reverse("referrals:accept", args=[referral.pk])
    login(client, world.receiving_staff)
    CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=referral.diagnosis_group, week_start=week, care_type="day_surgery"
    )
    assert client.get(url).context["form"]["care_form"].value() == "day_surgery"
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=referral.diagnosis_group,
        week_start=week + timedelta(weeks=1),
        care_type="inpatient",
    )
    assert not client.get(url).context["form"]["care_form"].value()  # two care forms: the unit chooses


def test_decline_with_an_obstacle(client, world):
    referral = _referral_in(world, S.PROPOSED)
    login(client, world.receiving_staff)
    url = reverse("referrals:decline", args=[referral.pk])
    response = client.post(url, {"reason": "no_capacity", "obstacle_category": "economic"})
    assert response.context["form"].errors["obstacle_text"] == [shown(ERROR_DESCRIBE_OBSTACLE)]
    response = client.post(
        url, {"reason": "no_capacity", "obstacle_category": "economic", "obstacle_text": "Ersättningsnivån är oklar."}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.IN_REVIEW, None)
    obstacle = Obstacle.objects.get()
    assert (obstacle.category, obstacle.region, obstacle.referral, obstacle.source) == (
        "economic",
        world.neighbour_region,
        referral,
        "decline",
    )
    kinds = list(referral.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.DECLINED, EventKind.OBSTACLE]


def test_close_with_an_obstacle_and_complete(client, world):
    referral = _referral_in(world, S.IN_REVIEW)
    login(client, world.sot)
    response = client.post(
        reverse("referrals:close", args=[referral.pk]),
        {
            "reason": "no_receiver",
            "obstacle_category": "capacity",
            "obstacle_text": "Ingen ledig kapacitet i regionen.",
        },
    )
    assert response.status_code == 302
    assert Obstacle.objects.get().region == world.home_region
    accepted = _referral_in(world, S.ACCEPTED)
    login(client, world.receiving_staff)
    url = reverse("referrals:complete", args=[accepted.pk])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    errors = client.post(url, {"care_given_date": future}).context["form"].errors
    assert errors["care_given_date"] == [shown(ERROR_CARE_GIVEN_IN_FUTURE)]
    today = {"care_given_date": timezone.localdate().isoformat()}
    if accepted.planned_date and accepted.planned_date > timezone.localdate():  # earlier than planned: confirmed
        today["confirm_early"] = "on"
    assert client.post(url, today).status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == S.COMPLETED


def test_contact_is_recorded(client, world):
    referral = _referral_in(world, S.PROPOSED)
    login(client, world.sot)
    now = timezone.localtime().replace(second=0, microsecond=0)
    when = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))  # today, as the request's submission
    response = client.post(
        reverse("referrals:contact", args=[referral.pk]),
        {"sending_person": "Dr Lind", "receiving_person": "Dr Ek", "contacted_at": when.strftime("%Y-%m-%d %H:%M")},
    )
    assert response.status_code == 302
    contact = referral.contacts.get()
    assert (contact.sending_person, contact.receiving_person, contact.contacted_at) == ("Dr Lind", "Dr Ek", when)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Dr Lind ↔ Dr Ek" in body and shown_html(EventKind.CONTACT.label) in body


def test_a_contact_sent_in_utc_just_after_local_midnight_is_that_days(world):
    """A time given in UTC (the API's) at 23:20 UTC is 00:20 the next day in Sweden: on the day the request
    was submitted, not before it (it was refused as "before the request was submitted")."""
    referral = _referral_in(world, S.PROPOSED)
    day = timezone.localdate() - timedelta(days=10)
    submitted = timezone.make_aware(datetime.combine(day, time(0, 10)))
    Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted)
    referral.refresh_from_db()
    in_utc = timezone.make_aware(datetime.combine(day, time(0, 20))).astimezone(UTC)
    assert in_utc.date() == day - timedelta(days=1)  # in UTC the day before
    contact = services.contact_record(
        referral=referral, by=world.sot, sending_person="Dr Lind", receiving_person="Dr Ek", contacted_at=in_utc
    )
    assert timezone.localtime(contact.contacted_at).date() == day


# --- inbox -------------------------------------------------------------------------------------


def test_inbox_personas_and_content(client, world):
    proposed = ReferralFactory(
        sending_unit=world.home_unit,
        status=S.PROPOSED,
        receiving_unit=world.neighbour_unit,
        complicating_diseases="KOL med hemsyrgas.",
        contact_name="Sara Lindqvist",
        needs_transport=True,
    )
    accepted = _referral_in(world, S.ACCEPTED)
    elsewhere = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.far_unit)
    assert client.get(INBOX).status_code == 302
    for persona in ("unit_staff", "sot", "director", "nobody"):
        assert login(client, getattr(world, persona)).get(INBOX).status_code == 403
    body = login(client, world.receiving_staff).get(INBOX).content.decode()
    assert proposed.reference in body and accepted.reference in body and elsewhere.reference not in body
    for needed in (
        "KOL med hemsyrgas.",
        "Sara Lindqvist",
        "Behöver transport",
        "ASA III",
        f"{accepted.planned_date:%Y-%m-%d}",
    ):
        assert needed in body, needed
    assert proposed.patient_name not in body  # the receiving clinician opens the request for identity
    assert client.post(INBOX).status_code == 405


# --- obstacles ---------------------------------------------------------------------------------


def test_obstacles_personas_list_and_create(client, world):
    assert client.get(OBSTACLES).status_code == 302
    for persona in ("unit_staff", "receiving_staff", "director", "nobody"):
        assert login(client, getattr(world, persona)).get(OBSTACLES).status_code == 403
        assert client.get(reverse("work:obstacle_create")).status_code == 403
    login(client, world.sot)
    response = client.post(
        reverse("work:obstacle_create"), {"region": world.home_region.pk, "category": "it", "text": ""}
    )
    assert "text" in response.context["form"].errors
    response = client.post(
        reverse("work:obstacle_create"),
        {"region": world.home_region.pk, "category": "it", "text": "Journalsystemen kan inte dela remisser."},
    )
    assert response.status_code == 302
    assert "Journalsystemen kan inte dela remisser." in client.get(OBSTACLES).content.decode()
    assert "Journalsystemen" not in login(client, world.other_sot).get(OBSTACLES).content.decode()
    forged = client.post(
        reverse("work:obstacle_create"), {"region": world.home_region.pk, "category": "it", "text": "x"}
    )
    assert "region" in forged.context["form"].errors  # another region's SOT cannot record for Skåne
