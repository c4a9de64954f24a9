"""Schema post-processing: every operation documents its problem-detail error responses."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["type", "title", "status"],
}
ERRORS = {
    "400": "Invalid input; `errors` holds the messages per field",
    "401": "No valid token or session",
    "403": "The caller's role may not do this",
    "404": "Not found, or outside the caller's scope",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "The request is not in a state that allows this",
    "415": "Unsupported media type",
    "429": "Too many requests for this token",
}


def add_problem_responses(result: dict[str, Any], generator: Any, request: Request, public: bool) -> Any:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code == "400" and method == "get" and "{" not in path and "schema" in path:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
    return result
