"""Errors as RFC 9457 problem details, with field errors in the request's language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPES = {
    400: "validation-error",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    415: "unsupported-media-type",
    429: "too-many-requests",
    500: "server-error",
    503: "service-unavailable",
}


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    # The serializer's metaclass takes declared fields off the class, so Serializer.errors is not overridden.
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)  # type: ignore[assignment]


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict"


def problem(status: int, title: str, detail: str = "", errors: dict | None = None) -> Response:
    body = {
        "type": f"https://sot.example.org/problems/{PROBLEM_TYPES.get(status, 'error')}",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(body, status=status, content_type="application/problem+json")


def problem_json(status: int, title: str, detail: str = "") -> JsonResponse:
    """The same body as `problem`, as a plain Django answer: for errors outside a DRF view (an unknown
    /api/ path, a server error, the database down), answered by the project's error handlers."""
    body: dict[str, Any] = {
        "type": f"https://sot.example.org/problems/{PROBLEM_TYPES.get(status, 'error')}",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    return JsonResponse(body, status=status, content_type="application/problem+json")


def handler(exc: Exception, context: dict[str, Any]) -> Any:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    errors = None
    detail = ""
    if isinstance(data, dict) and "detail" not in data:
        errors = {field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for field, msgs in data.items()}
    elif isinstance(data, dict):
        detail = str(data["detail"])
    elif isinstance(data, list):
        errors = {"non_field_errors": [str(m) for m in data]}
    result = problem(response.status_code, _title(exc), detail, errors)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def _title(exc: Exception) -> str:
    default = getattr(exc, "default_detail", "")
    return str(default) if default else exc.__class__.__name__
