"""Hostile and odd input to the FHIR interface: each gets its OperationOutcome, never a 500, and changes
nothing; the REST API's rate limit counts FHIR calls on the same token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.services import token_create
from referrals.models import Referral
from tests.fhir.conftest import FHIR, FHIR_JSON, fhir_client

HOSTILE = [
    "\x00",
    "'; DROP TABLE referrals_referral; --",
    "<script>alert(1)</script>",
    "x" * 5000,
    "ge99999-01-01",
    "|",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_search_values(world, reference_data, value):
    client = fhir_client(world.sot)
    for path, name in (
        ("ServiceRequest", "identifier"),
        ("ServiceRequest", "status"),
        ("ServiceRequest", "requester"),
        ("ServiceRequest", "authored"),
        ("ServiceRequest", "_count"),
        ("Task", "owner"),
        ("Task", "focus"),
        ("Task", "business-status"),
        ("Slot", "start"),
        ("Slot", "schedule"),
        ("Organization", "identifier"),
    ):
        response = client.get(f"{FHIR}/{path}", {name: value})
        assert response.status_code in (200, 400), (path, name, response.status_code)
        body = response.json()
        assert body["resourceType"] == ("Bundle" if response.status_code == 200 else "OperationOutcome")
        assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b'"ServiceRequest"',
        b'{"resourceType": "ServiceRequest", "contained": "p", "subject": 7}',
        b'{"resourceType": "ServiceRequest", "extension": [1, {"url": 2}], "reasonCode": "M17.1"}',
        b'{"resourceType": "ServiceRequest", "contained": [{"resourceType": "Patient", "id": "p", "identifier": '
        b'[{"system": "urn:oid:1.2.752.129.2.1.3.1", "value": 191212121212}], "name": "Tolvan"}], '
        b'"subject": {"reference": "#p"}, "status": "active", "intent": "order"}',
        b'{"resourceType": "ServiceRequest", "status": "completed", "intent": "order"}',
        b'{"resourceType": "ServiceRequest", "intent": "plan"}',
    ],
)
def test_hostile_bodies_store_nothing(world, reference_data, body):
    response = fhir_client(world.unit_staff).post(f"{FHIR}/ServiceRequest", body, content_type=FHIR_JSON)
    assert response.status_code in (400, 422), response.content
    assert response.json()["resourceType"] == "OperationOutcome"
    assert Referral.objects.count() == 0


def test_hostile_ids(world, reference_data):
    client = fhir_client(world.sot)
    for path in (
        "ServiceRequest/..",
        "Task/coordination-99999999999999999999",
        "Slot/1e9",
        "Patient/request-",
        "Organization/unit-x",
    ):
        response = client.get(f"{FHIR}/{path}")
        assert response.status_code == 404, path
        assert response.json()["resourceType"] == "OperationOutcome"


def test_a_nul_byte_is_an_outcome_too(world, db):
    response = fhir_client(world.sot).get(f"{FHIR}/Organization?type=%00")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_rate_limit_is_the_rest_apis(world, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from api.throttling import TokenRateThrottle

    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    api_settings.reload()
    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
    try:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.unit_staff, name='t', days=1)[1]}")
        statuses = [
            client.get("/api/v1/referrals/").status_code,
            client.get(f"{FHIR}/ServiceRequest").status_code,
            client.get("/api/v1/referrals/").status_code,
        ]
        limited = client.get(f"{FHIR}/ServiceRequest")
        assert statuses == [200, 200, 200]
        assert limited.status_code == 429
        assert limited.json()["issue"][0]["code"] == "throttled"
        assert "Retry-After" in limited
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "120/minute"}}
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
