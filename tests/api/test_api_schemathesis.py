"""Schemathesis against the OpenAPI schema: generated requests for every operation, as unit staff and
as an SOT representative, must never give a 5xx nor a response the schema does not describe."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services import token_create
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory

EXAMPLES = 15
# Every check but one: a schema-valid body may still name a unit or region that does not exist, which
# the forms rightly refuse with 400. No 5xx, no undocumented status, no response outside the schema,
# no schema-violating request accepted.
EXCLUDED = [positive_data_acceptance]
# The schema view needs no database, so the schema is loaded once when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests run in this test's transaction: Django must not close the connection after each one."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    group = DiagnosisGroupFactory()
    MedicalPriorityFactory()
    for status in ("draft", "submitted", "in_review"):
        ReferralFactory(sending_unit=world.home_unit, status=status, diagnosis_group=group)
    return {
        "unit_staff": token_create(user=world.unit_staff, name="schemathesis", days=1)[1],
        "sot": token_create(user=world.sot, name="schemathesis", days=1)[1],
    }


@schema.parametrize()
@SETTINGS
def test_api_as_unit_staff(case, tokens):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens['unit_staff']}"}, excluded_checks=EXCLUDED)


@schema.parametrize()
@SETTINGS
def test_api_as_sot_representative(case, tokens):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens['sot']}"}, excluded_checks=EXCLUDED)
