"""Error pages in the site's layout and language; under /api/ problem details (RFC 9457) instead, under
/fhir/ an OperationOutcome.

400, 403 and 404 render with the request, so the navigation bar knows the user. 500 and 503 render
without it: no context processor, session, user or database is needed to show them, since the error may be
that the database is gone; if even that fails (a missing static manifest), a fixed page is answered.

A database that does not answer (`OperationalError`, `InterfaceError`, raised by a view or by a middleware
that reads the session or the user) answers 503 with Retry-After instead of 500: the server is fine and
the same request will work when the database is back.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from rest_framework import exceptions

from api.problems import problem_json
from fhir.outcomes import MESSAGES, outcome_json

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

# When even the template cannot be rendered: no template, no static file, no translation machinery.
FALLBACK_PAGE = (
    '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>SOT</title></head><body>'
    "<h1>Ett fel uppstod</h1><p>Försök igen om en stund. Kvarstår felet, kontakta supporten.</p>"
    '<p lang="en">An error occurred. Try again in a while; if it persists, contact support.</p>'
    "</body></html>"
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_fhir(request: HttpRequest) -> bool:
    return request.path.startswith("/fhir/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_fhir(request):
        return outcome_json(400, _("The request could not be read."))
    if _is_api(request):
        return problem_json(400, str(exceptions.ValidationError.default_detail))
    message = _("The address or the form could not be read. Go back and try again.")
    return render(request, "bad_request.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_fhir(request):
        return outcome_json(403, str(MESSAGES[403]))
    if _is_api(request):
        return problem_json(403, str(exceptions.PermissionDenied.default_detail))
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_fhir(request):
        return outcome_json(404, str(MESSAGES[404]))
    if _is_api(request):
        return problem_json(404, str(exceptions.NotFound.default_detail))
    return render(request, "404.html", status=404)


def _static_page(template_name: str, status: int) -> HttpResponse:
    """A page rendered without the request: no context processors, so nothing that may need the database."""
    html: str
    try:
        html = loader.render_to_string(template_name)
    except Exception:  # the error page itself must not fail
        logger.exception("The %s page could not be rendered", status)
        html = FALLBACK_PAGE
    return HttpResponse(html, status=status)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if _is_fhir(request):
        response: HttpResponse = outcome_json(503, _("The database does not answer. Try again in a while."))
    elif _is_api(request):
        response = problem_json(
            503,
            _("Service temporarily unavailable"),
            _("The database does not answer. Try again in a while."),
        )
    else:
        response = _static_page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called while the exception is being handled, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    if _is_fhir(request):
        return outcome_json(500, str(exceptions.APIException.default_detail))
    if _is_api(request):
        return problem_json(500, str(exceptions.APIException.default_detail))
    return _static_page("500.html", 500)
