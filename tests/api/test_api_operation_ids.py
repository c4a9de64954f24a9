"""Every REST operation has an operationId `resource_action`: the resource is the path's first segment
after /api/v1/ (hyphens as underscores), the action a lower-case word or words; no two alike."""

from __future__ import annotations

import re

from django.test import Client

OPERATION_ID = re.compile(r"^(?P<resource>[a-z]+(?:_[a-z]+)*?)_(?P<action>[a-z]+(?:_[a-z]+)*)$")
METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_operation_id_is_resource_action_and_unique(db):
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    seen: dict[str, str] = {}
    for path, operations in schema["paths"].items():
        resource = path.removeprefix("/api/v1/").split("/")[0].replace("-", "_")
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            operation_id = operation["operationId"]
            where = f"{method.upper()} {path}"
            assert OPERATION_ID.match(operation_id), where
            assert operation_id.startswith(resource + "_"), f"{where}: {operation_id}"
            assert not operation_id.removeprefix(resource + "_").startswith("v1"), where
            assert operation_id not in seen, f"{operation_id}: {where} and {seen.get(operation_id)}"
            seen[operation_id] = where
    assert {"referrals_list", "referrals_create", "referrals_submit", "referrals_accept"} <= set(seen)
    assert len(seen) == 20


def test_the_schema_says_which_interface_to_choose(db):
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/fhir/R4/" in schema["info"]["description"]
