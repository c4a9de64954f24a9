"""The SOT queue: who handles a request ("Ta ärendet", "Släpp ärendet", "Mina ärenden"), the time in its
status and the wait limits, sortable columns and the history of finished requests."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import EventKind, HandlerChange, Referral, ReferralEvent, ReferralStatus, StateWaitLimit
from referrals.selectors import waited_too_long_condition
from referrals.services.handling import ERROR_NOT_YOUR_REQUEST, referral_handler_release, referral_handler_take
from referrals.working_days import first_day_within, is_working_day, start_of, working_days_between
from tests.factories import ReferralFactory, UnitFactory, UserFactory, member
from tests.pages import elements, texts

S = ReferralStatus
QUEUE = reverse("work:queue")


def take_url(referral: Referral) -> str:
    return reverse("work:handler_take", args=[referral.pk])


def release_url(referral: Referral) -> str:
    return reverse("work:handler_release", args=[referral.pk])


def options(response, name: str) -> dict[str, str]:
    """The options of the filter's select `name`: value → label."""
    body = response.content.decode()
    assert len(elements(body, "select", name=name)) == 1
    start = body.index(f'<select name="{name}"')
    select = body[start : body.index("</select>", start)]
    return {o.attrs["value"]: " ".join(o.text.split()) for o in elements(select, "option")}


def rows(response) -> list[str]:
    return [row.referral.reference for row in response.context["rows"]]


# --- taking a request on and releasing it -------------------------------------------------------


@pytest.mark.parametrize("url", [take_url, release_url])
def test_handler_personas(client, world, url):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    target = url(referral)
    assert client.post(target)["Location"].startswith(reverse("login"))  # anonymous
    client.force_login(world.other_sot)
    assert client.post(target).status_code == 404  # another region's SOT representative
    client.force_login(world.unit_staff)
    assert client.post(target).status_code == 403  # sees the request, is not its SOT representative
    client.force_login(world.sot)
    assert client.get(target).status_code == 405
    assert client.post(target).status_code == 302  # the owner


def test_take_and_release_through_the_queue(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    client.force_login(world.sot)
    back = f"{QUEUE}?status=submitted"
    response = client.post(take_url(referral), {"next": back})
    assert response["Location"] == back
    referral.refresh_from_db()
    assert referral.handler == world.sot
    assert rows(client.get(QUEUE, {"mine": "on"})) == [referral.reference]
    event = ReferralEvent.objects.filter(referral=referral).latest("id")
    assert (event.kind, event.reason, event.actor) == (EventKind.HANDLER_CHANGED, HandlerChange.TAKEN, world.sot)

    assert client.post(release_url(referral), {"next": "https://elsewhere.example/"})["Location"] == QUEUE
    referral.refresh_from_db()
    assert referral.handler is None
    assert rows(client.get(QUEUE, {"mine": "on"})) == []
    event = ReferralEvent.objects.filter(referral=referral).latest("id")
    assert (event.kind, event.reason) == (EventKind.HANDLER_CHANGED, HandlerChange.RELEASED)


def test_a_colleague_takes_over_but_cannot_release_anothers_request(world):
    colleague = UserFactory(username="colleague")
    member(colleague, "sot_representative", world.home_region)
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, handler=world.sot)
    events = ReferralEvent.objects.filter(referral=referral)
    with pytest.raises(services.TransitionNotAllowed) as refused:
        referral_handler_release(referral=referral, by=colleague)
    assert refused.value.message == str(ERROR_NOT_YOUR_REQUEST)
    assert events.count() == 0
    assert referral_handler_take(referral=referral, by=colleague).handler == colleague
    assert referral_handler_take(referral=referral, by=colleague).handler == colleague  # again: nothing written
    assert events.count() == 1


def test_a_finished_request_has_no_handler_to_change(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.CLOSED, handler=world.sot)
    client.force_login(world.sot)
    response = client.post(release_url(referral))
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.handler == world.sot


def test_taking_into_review_makes_the_taker_the_handler_and_restarts_the_clock(world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    Referral.objects.filter(pk=referral.pk).update(status_changed_at=timezone.now() - timedelta(days=5))
    taken = services.referral_take(referral=referral, by=world.sot)
    assert taken.handler == world.sot
    assert timezone.now() - taken.status_changed_at < timedelta(minutes=1)
    event = ReferralEvent.objects.filter(referral=referral).latest("id")
    assert taken.status_changed_at == event.at  # the same moment as its history says
    # An edit does not move the status, so it does not restart the clock either.
    referral_handler_release(referral=taken, by=world.sot)
    assert taken.diagnosis_group is not None
    services.referral_correct_group(referral=taken, by=world.sot, diagnosis_group=taken.diagnosis_group)
    taken.refresh_from_db()
    assert taken.status_changed_at == event.at


# --- filters -----------------------------------------------------------------------------------


def test_the_filter_lists_the_regions_hospitals_and_units_and_filters_by_them(client, world):
    """Seen failing first: the hospital and unit lists were empty (their querysets were set after the form
    had been made from the filters), so a coordinator could not filter by either."""
    second = UnitFactory(hospital=world.home_unit.hospital, name="Kirurgi Lund")
    mine = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    other = ReferralFactory(sending_unit=second, status=S.SUBMITTED)
    client.force_login(world.sot)
    response = client.get(QUEUE)
    assert set(options(response, "hospital")) == {"", str(world.home_unit.hospital_id)}  # the own region's only
    assert set(options(response, "unit")) == {"", str(world.home_unit.pk), str(second.pk)}
    assert rows(client.get(QUEUE, {"unit": second.pk})) == [other.reference]
    assert set(rows(client.get(QUEUE, {"hospital": world.home_unit.hospital_id}))) == {mine.reference, other.reference}
    response = client.get(QUEUE, {"unit": world.far_unit.pk})  # another region's unit is not a choice
    assert response.status_code == 200 and response.context["filter"].form.errors["unit"]


def test_the_filter_lists_follow_a_change_to_the_reference_data(client, world, django_capture_on_commit_callbacks):
    """The lists are kept between requests (sot.reference_cache) until a hospital, unit, group or priority
    changes: a unit renamed or added shows at once."""
    client.force_login(world.sot)
    client.get(QUEUE)
    with django_capture_on_commit_callbacks(execute=True):
        added = UnitFactory(hospital=world.home_unit.hospital, name="Handkirurgi Lund")
        world.home_unit.name = "Ortopedi Lund (ny)"
        world.home_unit.save()
    labels = options(client.get(QUEUE), "unit").values()
    assert f"Handkirurgi Lund, {added.hospital.name}" in labels
    assert f"Ortopedi Lund (ny), {world.home_unit.hospital.name}" in labels


def test_the_whole_queue_is_counted_from_its_status_counts(client, world):
    """Unfiltered, the page count comes from the status counts (no count query of its own): the total and
    the pages are those of the open requests, finished ones not among them."""
    for _ in range(27):
        ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW)
    ReferralFactory(sending_unit=world.home_unit, status=S.COMPLETED)
    client.force_login(world.sot)
    first = client.get(QUEUE)
    assert first.context["page"].paginator.count == 28
    assert len(rows(first)) == 25 and len(rows(client.get(QUEUE, {"page": 2}))) == 3
    assert client.get(QUEUE, {"status": S.IN_REVIEW}).context["page"].paginator.count == 1


# --- time in status and wait limits -------------------------------------------------------------


def test_working_days_are_monday_to_friday():
    friday, saturday, monday = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)
    assert working_days_between(friday, saturday) == 0
    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday + timedelta(weeks=2)) == 10
    thursday = date(2026, 12, 3)
    # Proposed on Monday: on Thursday it has waited three working days, more than two.
    assert first_day_within(2, today=thursday) == date(2026, 12, 1)
    assert first_day_within(2, today=monday) == date(2026, 11, 26)  # Thursday: Friday and Monday


def test_working_days_are_counted_as_walking_the_calendar_would():
    """The count without a walk gives what walking the days through `is_working_day` gives, for every
    start in three years (Easter, midsommar, Christmas and the turn of the year among them) and spans
    from none to over a year."""
    first = date(2025, 1, 1)
    for start in (first + timedelta(days=n) for n in range(0, 3 * 365, 3)):
        walked, day = 0, start
        for span in (0, 1, 2, 3, 5, 6, 7, 8, 13, 30, 61, 200, 400):
            while day < start + timedelta(days=span):
                day += timedelta(days=1)
                walked += is_working_day(day)
            assert working_days_between(start, start + timedelta(days=span)) == walked, (start, span)
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1  # julafton, juldagen, annandag jul
    assert working_days_between(date(2026, 5, 1), date(2026, 4, 1)) == 0  # backwards: none


def test_a_request_that_waited_too_long_is_marked_and_filtered(client, world, django_capture_on_commit_callbacks):
    now = timezone.now()
    late = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.far_unit)
    fresh = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.far_unit)
    accepted = ReferralFactory(sending_unit=world.home_unit, status=S.ACCEPTED, receiving_unit=world.far_unit)
    Referral.objects.filter(pk__in=[late.pk, accepted.pk]).update(status_changed_at=now - timedelta(days=14))
    client.force_login(world.sot)
    response = client.get(QUEUE)
    marked = {row.referral.reference for row in response.context["rows"] if row.waited_too_long}
    assert marked == {late.reference}  # an accepted request has no limit by default
    body = response.content.decode()
    (late_row,) = elements(body, "tr", data_reference=late.reference)
    assert "waited-too-long" in late_row.attrs["class"]
    assert len(texts(body, "span", data_testid="waited-too-long")) == 1  # a text badge, not colour alone
    assert rows(client.get(QUEUE, {"waited": "on"})) == [late.reference]

    # The administrator changes the limits (in the admin, which saves each): accepted gets one, proposed a
    # long one. The limits are kept between requests until one is saved and committed (sot.reference_cache).
    with django_capture_on_commit_callbacks(execute=True):
        StateWaitLimit.objects.create(status=S.ACCEPTED, working_days=3)
        proposed = StateWaitLimit.objects.get(status=S.PROPOSED)
        proposed.working_days = 20
        proposed.save()
    assert set(rows(client.get(QUEUE, {"waited": "on"}))) == {accepted.reference}
    assert fresh.reference not in rows(client.get(QUEUE, {"waited": "on"}))


def test_the_filter_and_the_mark_agree_at_every_age(world):
    """The database condition and the row's mark are two spellings of one rule: compare them day by day."""
    today = timezone.localdate()
    limits: dict[str, int] = {S.PROPOSED.value: 2}
    referrals = []
    for days in range(0, 12):
        referral = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.far_unit)
        entered = start_of(today - timedelta(days=days)) + timedelta(hours=12)
        Referral.objects.filter(pk=referral.pk).update(status_changed_at=entered)
        referrals.append(referral.pk)
    from referrals.selectors import waited_too_long

    filtered = set(Referral.objects.filter(waited_too_long_condition(limits, today=today)).values_list("pk", flat=True))
    marked = {r.pk for r in Referral.objects.filter(pk__in=referrals) if waited_too_long(r, limits, today=today)}
    assert filtered == marked
    assert 0 < len(marked) < len(referrals)


def test_the_queue_shows_the_handler_and_the_time_in_status(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, handler=world.other_sot)
    client.force_login(world.sot)
    body = client.get(QUEUE).content.decode()
    (handler,) = texts(body, "td", data_testid="handler")
    assert world.other_sot.get_full_name() in handler
    (since,) = texts(body, "td", data_testid="since")
    assert since.startswith(timezone.localtime(referral.status_changed_at).strftime("%Y-%m-%d"))


def test_the_migration_backfills_the_time_in_status_from_the_history(world):
    referral = services.referral_take(
        referral=ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED), by=world.sot
    )
    taken_at = ReferralEvent.objects.get(referral=referral, kind=EventKind.TAKEN).at
    assert referral.diagnosis_group is not None
    services.referral_correct_group(referral=referral, by=world.sot, diagnosis_group=referral.diagnosis_group)
    untouched = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)  # no history at all
    Referral.objects.update(status_changed_at=timezone.now() + timedelta(days=1))
    migration = importlib.import_module("referrals.migrations.0012_queue_handler_time_in_state_wait_limits")
    migration.backfill_status_changed_at(apps, None)
    referral.refresh_from_db()
    untouched.refresh_from_db()
    assert referral.status_changed_at == taken_at  # not the later edit, which did not move the status
    assert untouched.status_changed_at == untouched.created_at


# --- sorting and history ------------------------------------------------------------------------


def test_columns_sort_both_ways_and_keep_the_filters(client, world):
    refs = []
    for days in (3, 1, 2):
        referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
        Referral.objects.filter(pk=referral.pk).update(status_changed_at=timezone.now() - timedelta(days=days))
        refs.append(referral.reference)
    ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW)  # filtered out below
    client.force_login(world.sot)
    oldest_first = [refs[0], refs[2], refs[1]]
    response = client.get(QUEUE, {"status": "submitted", "sort": "since"})
    assert rows(response) == oldest_first
    assert rows(client.get(QUEUE, {"status": "submitted", "sort": "-since"})) == oldest_first[::-1]
    body = response.content.decode()
    (sorted_header,) = [th for th in elements(body, "th") if th.attrs.get("aria-sort")]
    assert sorted_header.attrs["aria-sort"] == "ascending"
    links = [a.attrs["href"] for a in elements(body, "a") if "sort=" in a.attrs.get("href", "")]
    assert "?status=submitted&sort=-since" in links  # the sorted column links to the other way
    assert all("status=submitted" in link for link in links)
    for param in ("reference", "status", "handler", "unit", "group", "priority", "asa", "target", "deadline"):
        assert client.get(QUEUE, {"sort": f"-{param}"}).status_code == 200
    assert client.get(QUEUE, {"sort": "patient_name"}).status_code == 200  # not a column: ignored, no 500


def test_history_holds_the_finished_requests(client, world):
    open_one = ReferralFactory(sending_unit=world.home_unit, status=S.ACCEPTED, receiving_unit=world.far_unit)
    finished = {
        ReferralFactory(sending_unit=world.home_unit, status=status, receiving_unit=receiving).reference
        for status, receiving in (
            (S.COMPLETED, world.far_unit),
            (S.WITHDRAWN, None),
            (S.CLOSED, None),
        )
    }
    client.force_login(world.sot)
    assert rows(client.get(QUEUE)) == [open_one.reference]
    assert set(rows(client.get(QUEUE, {"status": "history"}))) == finished
    assert len(rows(client.get(QUEUE, {"status": "withdrawn"}))) == 1
    assert set(rows(client.get(QUEUE, {"status": "history", "q": sorted(finished)[0]}))) == {sorted(finished)[0]}


def test_the_request_page_offers_to_take_and_release_it(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    detail = reverse("referrals:detail", args=[referral.pk])
    client.force_login(world.unit_staff)
    assert not elements(client.get(detail).content.decode(), "form", data_testid="handler-form")
    client.force_login(world.sot)
    (form,) = elements(client.get(detail).content.decode(), "form", data_testid="handler-form")
    assert form.attrs["action"] == take_url(referral)
    assert client.post(form.attrs["action"], {"next": detail})["Location"] == detail
    (form,) = elements(client.get(detail).content.decode(), "form", data_testid="handler-form")
    assert form.attrs["action"] == release_url(referral)


def test_history_recorded_with_its_real_times_dates_the_status_too(world):
    """The demo and imports record history with `at`: the time in status follows, from the draft on."""
    from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, PatientFactory

    then = timezone.now() - timedelta(days=20)
    referral = services.referral_create(
        by=world.unit_staff,
        sending_unit=world.home_unit,
        patient=PatientFactory(),
        at=then,
        patient_name="Test Testsson",
        patient_home_region=world.home_region,
        icd10_code="M17.1",
        diagnosis_group=DiagnosisGroupFactory(),
        priority=MedicalPriorityFactory(),
        asa_class=3,
        decision_date=timezone.localdate() - timedelta(days=30),
        consent_referral=True,
        consent_disclosure=True,
    )
    assert referral.status_changed_at == then
    submitted = services.referral_submit(referral=referral, by=world.unit_staff, at=then + timedelta(days=1))
    assert submitted.status_changed_at == then + timedelta(days=1)
