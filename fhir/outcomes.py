"""Every error of the FHIR interface as an OperationOutcome, its diagnostics in the caller's language
(Accept-Language: Swedish or English), with the HTTP status FHIR's RESTful API gives it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

FHIR_JSON = "application/fhir+json"

# FHIR's issue-type codes (http://hl7.org/fhir/issue-type) for each status we answer.
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    412: "conflict",
    415: "not-supported",
    422: "business-rule",
    429: "throttled",
    500: "exception",
    503: "transient",
}


class Unprocessable(exceptions.APIException):
    """422: the resource is well formed but breaks a rule (an invalid personnummer, an unknown code…).

    `issues` are (message, FHIRPath expression or "") pairs, one OperationOutcome issue each."""

    status_code = 422
    default_detail = gettext_lazy("The resource breaks a rule.")

    def __init__(self, issues: list[tuple[str, str]]) -> None:
        super().__init__(issues[0][0] if issues else None)
        self.issues = issues


class PreconditionFailed(exceptions.APIException):
    """412: If-Match names another version than the current one; nothing is changed."""

    status_code = 412
    default_detail = gettext_lazy("The resource has changed since you read it: read it again (If-Match).")


class Invalid(exceptions.APIException):
    """400: the request cannot be read as FHIR (wrong resourceType, an unknown search parameter…)."""

    status_code = 400
    default_detail = gettext_lazy("The request could not be read.")


def outcome(status: int, issues: list[tuple[str, str]]) -> dict[str, Any]:
    entries = []
    for message, expression in issues:
        issue: dict[str, Any] = {
            "severity": "error",
            "code": ISSUE_CODES.get(status, "processing"),
            "diagnostics": message,
        }
        if expression:
            issue["expression"] = [expression]
        entries.append(issue)
    return {"resourceType": "OperationOutcome", "issue": entries}


def outcome_json(status: int, message: str) -> JsonResponse:
    """The same body as a plain Django answer: errors outside a DRF view (an unknown /fhir/ path, a
    server error, the database down), answered by the project's error handlers."""
    return JsonResponse(outcome(status, [(message, "")]), status=status, content_type=FHIR_JSON)


MESSAGES = {
    401: gettext_lazy("Sign in: send a valid personal token as Authorization: Bearer sot_…"),
    403: gettext_lazy("Your role may not do this."),
    404: gettext_lazy("No such resource, or it is outside what you may see."),
    405: gettext_lazy("This interaction is not supported on this address."),
    406: gettext_lazy("Only JSON is served (application/fhir+json)."),
    415: gettext_lazy("Send a resource as JSON (application/fhir+json), a _search as a form."),
    429: gettext_lazy("Too many requests for this token. Try again later."),
}


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    if isinstance(exc, Unprocessable):
        issues = exc.issues
    elif isinstance(exc, exceptions.ParseError):
        issues = [(_("The body is not valid JSON."), "")]
    elif isinstance(exc, (Invalid, exceptions.ValidationError)):
        issues = [(str(message), "") for message in _messages(response.data)]
    elif isinstance(exc, PreconditionFailed):
        issues = [(str(exc.detail), "")]
    elif status in MESSAGES:
        issues = [(str(MESSAGES[status]), "")]
    else:
        issues = [(str(getattr(exc, "detail", exc)), "")]
    result = Response(outcome(status, issues), status=status, content_type=FHIR_JSON)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


def _messages(data: Any) -> list[str]:
    if isinstance(data, dict):
        if "detail" in data:
            return [str(data["detail"])]
        return [str(m) for messages in data.values() for m in (messages if isinstance(messages, list) else [messages])]
    if isinstance(data, list):
        return [str(m) for m in data]
    return [str(data)]
