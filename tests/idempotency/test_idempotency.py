"""Safe to click twice (issue 13 §2): a form sent again with its one-time token, or an API call repeated with
its Idempotency-Key, is carried out once, also when twenty copies arrive at the same moment.

The concurrent tests send from RACERS threads behind a barrier, each with its own database connection and its
own test client logged in as the same user, on PostgreSQL and on SQLite (a file database, where writers queue
at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from api.services import token_create
from idempotency.claims import Submission, claim_or_wait
from idempotency.middleware import FORM_FIELD, HEADER, REPLAYED_HEADER
from idempotency.models import Channel, Claim
from referrals.models import ContactRecord, Obstacle, Referral, ReferralStatus, WaitPause
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory

RACERS = 20
TOKEN = re.compile(rf'name="{FORM_FIELD}" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The concurrent API tests send many calls; on SQLite a flushed database gives the next test's token the
    same id, and so the same rate-limit bucket in the local-memory cache. Each test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


def token_of(page) -> str:
    """The form token of the page's form, as a browser would send it back."""
    found = TOKEN.findall(page.content.decode())
    assert len(found) == 1, "the page should carry exactly one form token"
    return found[0]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def race(send: Callable[[], Callable[[], object]]) -> list:
    """RACERS calls of `send` at once, each in its own thread and database connection: the answers (or errors)."""
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(i: int) -> None:
        try:
            prepared = send()  # builds the client (and logs in) before the barrier; returns the sending step
            barrier.wait(timeout=30)
            results[i] = prepared()
        except Exception as exc:  # any error is a failure of the guarantee, reported by the caller's asserts
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


# --- pages ------------------------------------------------------------------------------------------------


@dataclass
class PageForm:
    """A form page: the user who sends it, where, what, and the rows one submission adds."""

    user: User
    url: str
    data: dict
    rows: Callable[[], int]


def _request_form(world) -> PageForm:
    DiagnosisGroupFactory()
    priority = MedicalPriorityFactory()
    data = {
        "sending_unit": world.home_unit.pk,
        "personal_number": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
        "home_region": world.home_region.pk,
        "icd10_code": "M17.1",
        "priority": priority.pk,
        "asa_class": "3",
        "decision_date": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "consent_referral": "on",
        "consent_disclosure": "on",
        "contact_name": "Sara Lindqvist",
        "contact_phone": "046-17 10 00",
        "submit": "1",
    }
    return PageForm(world.unit_staff, reverse("referrals:create"), data, Referral.objects.count)


def _contact_form(world) -> PageForm:
    referral = ReferralFactory(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit
    )
    when = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    data = {"sending_person": "Dr Lind", "receiving_person": "Dr Ek", "contacted_at": when.strftime("%Y-%m-%d %H:%M")}
    return PageForm(world.sot, reverse("referrals:contact", args=[referral.pk]), data, ContactRecord.objects.count)


def _pause_form(world) -> PageForm:
    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.SUBMITTED)
    assert referral.decision_date is not None
    start = referral.decision_date + timedelta(days=2)
    data = {"kind": "pvv", "start_date": start.isoformat(), "end_date": (start + timedelta(days=6)).isoformat()}
    return PageForm(world.unit_staff, reverse("referrals:pause_add", args=[referral.pk]), data, WaitPause.objects.count)


def _obstacle_form(world) -> PageForm:
    data = {"region": world.home_region.pk, "category": "it", "text": "Journalsystemen kan inte dela remisser."}
    return PageForm(world.sot, reverse("work:obstacle_create"), data, Obstacle.objects.count)


PAGE_FORMS = {"request": _request_form, "contact": _contact_form, "pause": _pause_form, "obstacle": _obstacle_form}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", list(PAGE_FORMS))
def test_a_form_sent_twenty_times_at_once_is_carried_out_once(world, form):
    page = PAGE_FORMS[form](world)
    sent = {**page.data, FORM_FIELD: token_of(logged_in(page.user).get(page.url))}
    before = page.rows()

    def send():
        client = logged_in(page.user)
        return lambda: client.post(page.url, sent)

    answers = race(send)

    assert page.rows() - before == 1
    errors = [a for a in answers if isinstance(a, Exception) or a.status_code >= 500]
    assert not errors, errors
    # Every sender is sent to the same page: the first answer's redirect; a repeat that found the first still
    # running after the wait would get the documented 409 page instead.
    assert {a.status_code for a in answers} <= {302, 409}
    assert len({a["Location"] for a in answers if a.status_code == 302}) == 1
    assert Claim.objects.filter(channel=Channel.FORM).count() == 1


def test_every_form_page_carries_a_new_token(client, world):
    page = _pause_form(world)
    client.force_login(page.user)
    first, second = token_of(client.get(page.url)), token_of(client.get(page.url))
    assert first != second and len(first) >= 32


def test_without_a_token_two_posts_are_two_submissions(world):
    page = _obstacle_form(world)
    client = logged_in(page.user)
    assert client.post(page.url, page.data).status_code == 302
    assert client.post(page.url, page.data).status_code == 302
    assert page.rows() == 2
    assert not Claim.objects.exists()


def test_a_repeat_after_the_first_finished_lands_on_the_same_page_with_its_messages(world):
    page = _request_form(world)
    client = logged_in(page.user)
    sent = {**page.data, FORM_FIELD: token_of(client.get(page.url))}
    first = client.post(page.url, sent, follow=True)
    again = logged_in(page.user).post(page.url, sent, follow=True)
    assert Referral.objects.count() == 1
    assert first.redirect_chain == again.redirect_chain
    referral = Referral.objects.get()
    assert [str(m) for m in again.context["messages"]] == [str(m) for m in first.context["messages"]]
    assert referral.reference in " ".join(str(m) for m in again.context["messages"])


def test_a_form_with_errors_keeps_its_token_and_every_value_typed(world):
    page = _pause_form(world)
    client = logged_in(page.user)
    token = token_of(client.get(page.url))
    wrong = {**page.data, "end_date": "2000-01-01", FORM_FIELD: token}
    shown = client.post(page.url, wrong)
    assert shown.status_code == 200 and "end_date" in shown.context["form"].errors
    assert shown.context["form"].data["start_date"] == page.data["start_date"]  # nothing typed is lost
    assert not Claim.objects.exists() and page.rows() == 0
    # The same token, with the correction: carried out, and once only.
    assert client.post(page.url, {**page.data, FORM_FIELD: token}).status_code == 302
    assert client.post(page.url, {**page.data, FORM_FIELD: token}).status_code == 302
    assert page.rows() == 1


def test_a_changed_form_under_the_same_token_is_a_new_submission(world):
    """A token stands for one form as shown: what it said decides whether a submission is a repeat, so a form
    changed after sending (the browser's back button) is carried out, never silently dropped."""
    page = _obstacle_form(world)
    client = logged_in(page.user)
    token = token_of(client.get(page.url))
    client.post(page.url, {**page.data, FORM_FIELD: token})
    client.post(page.url, {**page.data, "text": "Ingen gemensam journal.", FORM_FIELD: token})
    client.post(page.url, {**page.data, FORM_FIELD: token})
    assert sorted(Obstacle.objects.values_list("text", flat=True)) == [
        "Ingen gemensam journal.",
        "Journalsystemen kan inte dela remisser.",
    ]


def test_a_token_is_the_users_own(world):
    """Another user sending the same token value is not a repeat of the first user's submission."""
    page = _obstacle_form(world)
    client = logged_in(page.user)
    token = token_of(client.get(page.url))
    assert client.post(page.url, {**page.data, FORM_FIELD: token}).status_code == 302
    Claim.objects.update(user=world.other_sot)  # as if the other user had sent this token first
    assert client.post(page.url, {**page.data, FORM_FIELD: token}).status_code == 302
    assert page.rows() == 2


def test_a_repeat_while_the_first_still_runs_says_so_in_swedish(world, settings):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0
    page = _obstacle_form(world)
    client = logged_in(page.user)
    token = token_of(client.get(page.url))
    client.post(page.url, {**page.data, FORM_FIELD: token})
    Claim.objects.update(finished_at=None, status_code=None)  # the first has not answered yet
    response = client.post(page.url, {**page.data, FORM_FIELD: token})
    assert response.status_code == 409
    assert "Formuläret skickades redan" in response.content.decode()
    assert page.rows() == 1


def test_a_refused_or_failed_form_frees_its_token(world):
    page = _obstacle_form(world)
    token = token_of(logged_in(page.user).get(page.url))
    assert logged_in(world.unit_staff).post(page.url, {**page.data, FORM_FIELD: token}).status_code == 403
    assert not Claim.objects.exists()


# --- API --------------------------------------------------------------------------------------------------


@dataclass
class ApiCall:
    user: User
    path: str
    body: dict
    rows: Callable[[], int]


def _api_request(world) -> ApiCall:
    DiagnosisGroupFactory()
    priority = MedicalPriorityFactory()
    body = {
        "personal_number": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
        "icd10_code": "M17.1",
        "priority": priority.pk,
        "asa_class": 3,
        "decision_date": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "consent_referral": True,
        "consent_disclosure": True,
        "submit": True,
    }
    return ApiCall(world.unit_staff, "/api/v1/referrals/", body, Referral.objects.count)


def _api_obstacle(world) -> ApiCall:
    return ApiCall(
        world.sot, "/api/v1/obstacles/", {"category": "it", "text": "Ingen gemensam journal."}, Obstacle.objects.count
    )


API_CALLS = {"request": _api_request, "obstacle": _api_obstacle}


def api_client(raw_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    return client


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("call", list(API_CALLS))
def test_an_api_call_sent_twenty_times_with_one_key_is_carried_out_once(world, call):
    api = API_CALLS[call](world)
    _token, raw = token_create(user=api.user, name="test", days=1)
    before = api.rows()

    def send():
        client = api_client(raw)
        return lambda: client.post(api.path, api.body, format="json", headers={HEADER: "a6f1c2d0-key-1"})

    answers = race(send)

    assert api.rows() - before == 1
    errors = [a for a in answers if isinstance(a, Exception) or a.status_code >= 500]
    assert not errors, errors
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1  # every answer is the first one's, byte for byte
    assert sum(a.get(REPLAYED_HEADER) == "true" for a in answers) == RACERS - 1


def test_api_without_a_key_two_posts_are_two(world):
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    assert client.post(api.path, api.body, format="json").status_code == 201
    assert client.post(api.path, api.body, format="json").status_code == 201
    assert api.rows() == 2 and not Claim.objects.exists()


def test_api_repeat_gets_the_stored_answer_without_running(world):
    api = _api_request(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    first = client.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    again = client.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again[REPLAYED_HEADER] == "true" and not first.has_header(REPLAYED_HEADER)
    assert api.rows() == 1
    # The same key by session (the browser's API use) is the same user's key.
    session = Client()
    session.force_login(api.user)
    assert session.post(api.path, api.body, content_type="application/json", headers={HEADER: "k1"}).content == (
        first.content
    )
    assert api.rows() == 1


def test_api_key_reused_for_another_request_is_422(world):
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    assert client.post(api.path, api.body, format="json", headers={HEADER: "k1"}).status_code == 201
    other = client.post(api.path, {**api.body, "text": "Annat hinder."}, format="json", headers={HEADER: "k1"})
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")
    elsewhere = client.post("/api/v1/referrals/", {}, format="json", headers={HEADER: "k1"})
    assert elsewhere.status_code == 422
    assert api.rows() == 1


def test_api_error_answers_free_the_key(world):
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    wrong = client.post(api.path, {**api.body, "text": ""}, format="json", headers={HEADER: "k1"})
    assert wrong.status_code == 400 and not Claim.objects.exists()
    assert client.post(api.path, api.body, format="json", headers={HEADER: "k1"}).status_code == 201
    assert api.rows() == 1


def test_api_key_in_progress_is_409(world, settings):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    client.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    Claim.objects.update(finished_at=None, status_code=None)  # the first has not answered yet
    busy = client.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    assert busy.status_code == 409 and busy["Retry-After"] == "1"
    assert busy.json()["type"].endswith("/idempotency-key-in-use")
    assert api.rows() == 1


def test_api_keys_are_per_user(world):
    api = _api_obstacle(world)
    mine = api_client(token_create(user=api.user, name="test", days=1)[1])
    theirs = api_client(token_create(user=world.other_sot, name="test", days=1)[1])
    assert mine.post(api.path, api.body, format="json", headers={HEADER: "k1"}).status_code == 201
    answer = theirs.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    assert answer.status_code == 201 and not answer.has_header(REPLAYED_HEADER)
    assert api.rows() == 2


def test_api_bad_key_is_400_and_unauthenticated_calls_are_untouched(world):
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    bad = client.post(api.path, api.body, format="json", headers={HEADER: "x" * 256})
    assert bad.status_code == 400 and HEADER in bad.json()["errors"]
    anonymous = APIClient().post(api.path, api.body, format="json", headers={HEADER: "k1"})
    assert anonymous.status_code == 401
    assert api.rows() == 0 and not Claim.objects.exists()


def test_schema_documents_the_header(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/obstacles/"]["post"]
    assert any(p["in"] == "header" and p["name"] == HEADER for p in operation["parameters"])
    assert "422" in operation["responses"]
    assert not any(p.get("name") == HEADER for p in schema["paths"]["/api/v1/obstacles/"]["get"].get("parameters", []))


# --- expiry -----------------------------------------------------------------------------------------------


def test_expired_claims_are_forgotten_and_purged(world, settings):
    api = _api_obstacle(world)
    client = api_client(token_create(user=api.user, name="test", days=1)[1])
    client.post(api.path, api.body, format="json", headers={HEADER: "k1"})
    Claim.objects.update(created_at=timezone.now() - settings.IDEMPOTENCY_TTL - timedelta(minutes=1))
    assert client.post(api.path, api.body, format="json", headers={HEADER: "k1"}).status_code == 201
    assert api.rows() == 2  # an expired key counts as never used
    Claim.objects.update(created_at=timezone.now() - settings.IDEMPOTENCY_TTL - timedelta(minutes=1))
    call_command("purge_idempotency_claims")
    assert not Claim.objects.exists()


def test_claim_is_decided_by_the_database(world):
    submission = Submission(Channel.API, world.sot.pk, "k1", "POST", "/x/", "f" * 64)
    first, mine = claim_or_wait(submission, wait=0)
    again, again_mine = claim_or_wait(submission, wait=0)
    assert mine and not again_mine and again.pk == first.pk
