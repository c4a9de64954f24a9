"""Schema post-processing: the Idempotency-Key header on every POST and PATCH, and its answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from idempotency.middleware import API_METHODS, HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER


def parameter() -> dict:
    return {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]+$"},
        "description": (
            "Makes the request safe to send again (a lost answer, a double click). Any unique value per "
            "operation, e.g. a UUID. The first request with a key runs; its successful answer (2xx) is kept for "
            f"{settings.IDEMPOTENCY_TTL_HOURS} hours and every repeat with the same key, method, path and body "
            f"gets it again (same status and body, header `{REPLAYED_HEADER}: true`) without running again. "
            "While the first still runs, a repeat waits a few seconds, then gets the answer or 409. The same "
            "key with another method, path or body answers 422. An error answer is not kept: the request "
            "changed nothing, and the key may be sent again."
        ),
    }


PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
IN_PROGRESS = " or a request with the same Idempotency-Key is still being processed (retry after Retry-After)"


def add_idempotency_key(result: dict[str, Any], generator: Any, request: HttpRequest, public: bool) -> Any:
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method.upper() not in API_METHODS:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                parameters.append(parameter())
            responses = operation.setdefault("responses", {})
            conflict = responses.setdefault("409", {"description": "Conflict", "content": PROBLEM})
            if IN_PROGRESS not in conflict["description"]:
                conflict["description"] += IN_PROGRESS
            responses.setdefault(
                "422",
                {"description": "The Idempotency-Key was used for another method, path or body", "content": PROBLEM},
            )
    return result
