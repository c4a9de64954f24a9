"""The REST API: personas, validation as problem details, tokens, pagination, the access log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import token_create
from audit.models import AccessLogEntry
from catalog import icd10
from referrals.models import DiagnosisGroup, Referral
from referrals.models import ReferralStatus as S
from referrals.selectors import sot_queue
from sot.personal_numbers import ERROR_CHECKSUM
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory
from tests.i18n import shown

LIST = "/api/v1/referrals/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, raw = token_create(user=user, name="test", days=30)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def reference_data(db):
    DiagnosisGroupFactory()
    return MedicalPriorityFactory()


def body(priority, **overrides):
    data = {
        "personal_number": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
        "icd10_code": "M17.1",
        "priority": priority.pk,
        "asa_class": 3,
        "decision_date": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "consent_referral": True,
        "consent_disclosure": True,
    }
    data.update(overrides)
    return data


def test_file_and_submit_with_a_token(world, reference_data):
    client = api(world.unit_staff)
    response = client.post(LIST, body(reference_data, submit=True), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["reference"].startswith("SOT-")
    assert data["diagnosis_group"] == "Höft- och knäledsartros"
    assert data["patient"]["personal_number"] == "19121212-1212"
    assert data["care_guarantee_deadline"] == (timezone.localdate() + timedelta(days=85)).isoformat()
    # It is in the SOT representative's queue, as in the browser.
    queue = sot_queue(world.sot, today=timezone.localdate())
    assert queue.filter(reference=data["reference"]).exists()


def test_draft_then_submit(world, reference_data):
    client = api(world.unit_staff)
    draft = client.post(LIST, body(reference_data, consent_disclosure=False), format="json").json()
    assert draft["status"] == "draft"
    response = client.post(f"{LIST}{draft['id']}/submit/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "consent_disclosure" in response.json()["errors"]


def test_validation_is_the_forms_and_speaks_the_callers_language(world, reference_data):
    client = api(world.unit_staff)
    bad = body(reference_data, personal_number="19121212-1213", icd10_code="D99.1")
    response = client.post(LIST, bad, format="json", HTTP_ACCEPT_LANGUAGE="sv")
    problem = response.json()
    assert response.status_code == 400 and problem["status"] == 400 and problem["type"].endswith("validation-error")
    assert problem["errors"]["personal_number"] == [shown(ERROR_CHECKSUM)]
    assert problem["errors"]["icd10_code"] == [shown(icd10.ERROR_UNKNOWN, category="D99")]
    english = client.post(LIST, bad, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["errors"]["personal_number"] == [shown(ERROR_CHECKSUM, language="en")]
    assert shown(ERROR_CHECKSUM, language="en") != shown(ERROR_CHECKSUM)  # two languages, two texts
    assert not Referral.objects.exists()


def test_personas(world, reference_data):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    detail = f"{LIST}{referral.pk}/"
    assert api().get(detail).status_code == 401
    assert api(world.unit_staff).get(detail).status_code == 200
    assert api(world.sot).get(detail).status_code == 200
    for persona in ("other_region_staff", "receiving_staff", "director", "administrator"):
        assert api(getattr(world, persona)).get(detail).status_code == 404, persona
    assert api(world.director).get(LIST).json()["results"] == []
    assert api(world.sot).post(LIST, body(reference_data), format="json").status_code == 403
    assert api(world.unit_staff).get(f"{detail}proposals/").status_code == 403
    assert api(world.sot).get(f"{detail}proposals/").json()["exclusions"][0]["kind"] == "no_offer"
    assert api(world.unit_staff).delete(detail).status_code == 405


def test_token_expiry_and_revocation(world):
    token, raw = token_create(user=world.unit_staff, name="journalsystem", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(LIST).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(LIST)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    _token, raw = token_create(user=world.unit_staff, name="planering", days=30)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(LIST).status_code == 200
    assert ApiToken.objects.filter(key_hash__contains=raw).count() == 0  # stored hashed, never raw
    web = Client()
    web.force_login(world.unit_staff)
    web.post(reverse("token_revoke", args=[_token.pk]))
    assert client.get(LIST).status_code == 401


def test_tokens_page_shows_a_new_token_once(client, world):
    client.force_login(world.unit_staff)
    response = client.post(reverse("tokens"), {"name": "Journalsystem", "days": "30"})
    raw = response.context["new_token"]
    assert raw.startswith("sot_") and raw in response.content.decode()
    assert raw not in client.get(reverse("tokens")).content.decode()
    other = ApiToken.objects.get()
    client.force_login(world.sot)
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404  # not theirs


def test_pagination_and_filters(world):
    for _ in range(30):
        ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT, reference="SOT-2026-000777")
    client = api(world.unit_staff)
    first = client.get(LIST).json()
    assert first["count"] == 31 and len(first["results"]) == 25 and first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 6
    assert client.get(LIST, {"status": "draft"}).json()["count"] == 1
    assert client.get(LIST, {"reference": "777"}).json()["results"][0]["reference"] == "SOT-2026-000777"


def test_reads_and_changes_are_in_the_access_log(world, reference_data):
    client = api(world.unit_staff)
    created = client.post(LIST, body(reference_data), format="json").json()
    client.get(f"{LIST}{created['id']}/")
    client.get(LIST)
    whats = list(AccessLogEntry.objects.order_by("id").values_list("action", "what"))
    assert whats == [("create", "referrals:create"), ("read", "api:referral"), ("read", "api:referrals")]


def test_rate_limit_per_token(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    from rest_framework.settings import api_settings

    api_settings.reload()
    from api.throttling import TokenRateThrottle

    # djangorestframework-stubs type the rates as numbers; DRF's are strings ("3/minute"), as THROTTLE_RATES says
    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
    try:
        client = api(world.unit_staff)
        statuses = [client.get(LIST).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert api(world.unit_staff).get(LIST).status_code == 200  # another token has its own budget
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "120/minute"}}
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        cache.clear()


def test_the_whole_journey_through_the_api(world, reference_data):
    from capacity.models import CapacityOffer
    from capacity.weeks import first_open_week, format_week

    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    receiver = api(world.receiving_staff)
    published = receiver.post(
        "/api/v1/capacity-offers/",
        {
            "diagnosis_group": DiagnosisGroup.objects.get().pk,
            "first_week": format_week(week),
            "slots": 2,
            "max_asa": 4,
            "care_type": "inpatient",
        },
        format="json",
    )
    assert published.status_code == 201, published.content
    offer_id = published.json()[0]["id"]

    created = api(world.unit_staff).post(LIST, body(reference_data, submit=True), format="json").json()
    sot = api(world.sot)
    base = f"{LIST}{created['id']}"
    assert sot.post(f"{base}/take/", {}, format="json").json()["status"] == "in_review"
    proposals = sot.get(f"{base}/proposals/").json()["proposals"]
    assert proposals[0]["unit_id"] == world.neighbour_unit.pk
    assert sot.post(f"{base}/propose/", {"unit": proposals[0]["unit_id"]}, format="json").json()["status"] == "proposed"
    wrong_week = receiver.post(
        f"{base}/accept/", {"offer": offer_id, "planned_date": (week + timedelta(days=9)).isoformat()}, format="json"
    )
    assert wrong_week.status_code == 400 and "planned_date" in wrong_week.json()["errors"]
    accepted = receiver.post(
        f"{base}/accept/", {"offer": offer_id, "planned_date": (week + timedelta(days=1)).isoformat()}, format="json"
    )
    assert accepted.json()["status"] == "accepted"
    assert CapacityOffer.objects.get(pk=offer_id).reserved_slots == 1
    again = receiver.post(f"{base}/decline/", {"reason": "no_capacity"}, format="json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert api(world.unit_staff).post(f"{base}/take/", {}, format="json").status_code == 403
    assert api(world.other_region_staff).post(f"{base}/take/", {}, format="json").status_code == 404


def test_capacity_change_and_withdraw(world, reference_data):
    from tests.factories import CapacityOfferFactory

    offer = CapacityOfferFactory(
        unit=world.neighbour_unit, diagnosis_group=DiagnosisGroup.objects.get(), reserved_slots=1
    )
    receiver = api(world.receiving_staff)
    assert receiver.get("/api/v1/capacity-offers/").json()["count"] == 1
    below = receiver.patch(f"/api/v1/capacity-offers/{offer.pk}/", {"slots": 0}, format="json")
    assert below.status_code == 400
    assert receiver.patch(f"/api/v1/capacity-offers/{offer.pk}/", {"slots": 5}, format="json").json()["slots"] == 5
    assert receiver.post(f"/api/v1/capacity-offers/{offer.pk}/withdraw/").status_code == 400  # a slot is reserved
    assert (
        api(world.unit_staff).patch(f"/api/v1/capacity-offers/{offer.pk}/", {"slots": 3}, format="json").status_code
        == 404
    )


def test_obstacles_and_reports(world, settings, tmp_path):
    from reports.scopes import Scope
    from reports.services import report_build

    settings.MEDIA_ROOT = tmp_path
    sot = api(world.sot)
    created = sot.post(
        "/api/v1/obstacles/", {"category": "it", "text": "Remisser kan inte skickas elektroniskt."}, format="json"
    )
    assert created.status_code == 201 and created.json()["region"] == "Region Skåne"
    assert sot.get("/api/v1/obstacles/").json()["count"] == 1
    assert (
        api(world.unit_staff).post("/api/v1/obstacles/", {"category": "it", "text": "x"}, format="json").status_code
        == 403
    )
    report = report_build(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region))
    assert report is not None
    director = api(world.director)
    listed = director.get("/api/v1/reports/").json()["results"]
    assert [r["id"] for r in listed] == [report.pk]
    assert director.get(listed[0]["files"]["pdf"]).status_code == 200
    assert api(world.sot).get(f"/api/v1/reports/{report.pk}/pdf/").status_code == 404


def test_decline_answers_its_documented_response(world, reference_data):
    """The decliner no longer sees the request afterwards: the answer is its reference and new status only,
    as the schema says, never a 500 and never the patient."""
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit)
    response = api(world.receiving_staff).post(
        f"{LIST}{referral.pk}/decline/", {"reason": "no_capacity"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": referral.pk,
        "reference": referral.reference,
        "status": "in_review",
        "status_label": "Under handläggning",
    }
    assert api(world.receiving_staff).get(f"{LIST}{referral.pk}/").status_code == 404
    schema = api(world.receiving_staff).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    documented = schema["paths"]["/api/v1/referrals/{id}/decline/"]["post"]["responses"]["200"]
    ref = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"id", "reference", "status", "status_label"}


def test_lists_mask_the_personal_number_and_only_the_detail_shows_it(world, reference_data):
    from tests.factories import PatientFactory

    referral = ReferralFactory(
        sending_unit=world.home_unit, status=S.SUBMITTED, patient=PatientFactory(personal_number="191212121212")
    )
    client = api(world.sot)
    listing = client.get(LIST)
    assert listing.json()["results"][0]["patient"]["personal_number"] == "19121212-****"
    assert "1212121212" not in listing.content.decode() and "19121212-1212" not in listing.content.decode()
    assert referral.patient_name not in listing.content.decode()  # as in the pages' lists
    detail = client.get(f"{LIST}{referral.pk}/").json()
    assert detail["patient"]["personal_number"] == "19121212-1212" and detail["patient"]["name"]

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]

    def resolve(node):
        return components[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node

    def patient_of(operation):
        body = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
        item = resolve(body["properties"]["results"]["items"]) if "results" in body["properties"] else body
        return resolve(item["properties"]["patient"])

    listed = patient_of(schema["paths"]["/api/v1/referrals/"]["get"])
    single = patient_of(schema["paths"]["/api/v1/referrals/{id}/"]["get"])
    assert "19121212-****" in listed["properties"]["personal_number"]["description"]
    assert "name" not in listed["properties"] and "name" in single["properties"]
    assert "****" not in single["properties"]["personal_number"].get("description", "")
