from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from api.services import token_create
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory

FHIR = "/fhir/R4"
FHIR_JSON = "application/fhir+json"


def fhir_client(user=None, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT=FHIR_JSON, HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        _token, raw = token_create(user=user, name="fhir", days=30)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def search_by_post(client: APIClient, path: str, params: dict[str, str]) -> Any:
    """FHIR's POST [type]/_search: the parameters in a form-encoded body."""
    body = urlencode(params)
    return client.post(f"{FHIR}/{path}/_search", body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def reference_data(db):
    return DiagnosisGroupFactory(), MedicalPriorityFactory()
