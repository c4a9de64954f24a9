"""Safe to click twice: one middleware for every page form and every API write, so no view changes.

Pages: forms carry a one-time `form_token` (`{% form_token %}`). The first POST with a token claims it
and runs the view; the same submission again, at once or later, does not run the view: it is sent where
the first was sent, with the first's messages. While the first is still running the repeat waits for it
(IDEMPOTENCY_WAIT_SECONDS), and if it is still not done, answers 409 "the form was already sent".
A form shown again with errors releases the token, so that the corrected form can be sent.

API: `Idempotency-Key` on POST and PATCH. The first request with a key runs; its successful answer
(2xx: status, content type, body) is kept and given to every repeat of the same request, which does not
run again. A repeat while the first runs waits, then gets the answer or a 409 problem; the key sent with
another method, path or body gets a 422 problem. An error answer releases the key: it changed nothing.

Without a token or key, or without a known user, a request runs as before.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings

from idempotency.claims import Submission, claim_finish, claim_or_wait, claim_release, fingerprint
from idempotency.models import Channel, Claim

logger = logging.getLogger(__name__)

FORM_FIELD = "form_token"
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
API_METHODS = ("POST", "PATCH")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Never part of what a form said: the CSRF token and the form token itself.
NOT_CONTENT = ("csrfmiddlewaretoken", FORM_FIELD)
REPLAYED_HEADER = "Idempotent-Replayed"
PROBLEM_BASE = "https://sot.example.org/problems/"


def valid_key(value: str) -> bool:
    """1–255 visible ASCII characters (spaces inside allowed), as the IETF Idempotency-Key draft's sf-string."""
    return 0 < len(value) <= MAX_KEY_LENGTH and all(" " <= char <= "~" for char in value)


class _ClaimingRequest(HttpRequest):
    """For the type checker: a request that holds the claim of its submission while the view runs."""

    _idempotency_claim: Claim


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            self._settle(request, None)
            raise
        self._settle(request, response)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # After CsrfViewMiddleware's process_view: a request refused for CSRF never claims anything.
        method = request.method
        if method is None or method not in UNSAFE_METHODS or request.resolver_match is None:
            return None
        namespaces = request.resolver_match.namespaces
        if "api" in namespaces:
            return self._api(request, method) if method in API_METHODS else None
        if "admin" in namespaces:
            return None
        return self._form(request, method)

    # Pages

    def _form(self, request: HttpRequest, method: str) -> Any:
        if not request.user.is_authenticated:
            return None
        token = request.POST.get(FORM_FIELD, "")
        if not valid_key(token):
            return None
        content = sorted((name, values) for name, values in request.POST.lists() if name not in NOT_CONTENT)
        submission = Submission(
            channel=Channel.FORM,
            user_id=request.user.pk,
            key=token,
            method=method,
            path=request.path,
            fingerprint=fingerprint(method, request.get_full_path(), repr(content)),
        )
        claim, mine = claim_or_wait(submission)
        if mine:
            cast(_ClaimingRequest, request)._idempotency_claim = claim
            return None
        if not claim.is_finished:
            logger.info("Form sent again while the first is running: %s %s", request.method, request.path)
            return render(request, "idempotency/already_sent.html", status=409)
        logger.info("Form sent again, answered as the first: %s %s", request.method, request.path)
        for level, text, tags in claim.messages:
            messages.add_message(request, level, text, extra_tags=tags)
        return HttpResponseRedirect(claim.location)

    # API

    def _api(self, request: HttpRequest, method: str) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return None
        if not valid_key(key):
            detail = _("%(header)s must be 1 to %(max)s visible ASCII characters.") % {
                "header": HEADER,
                "max": MAX_KEY_LENGTH,
            }
            title = str(ValidationError.default_detail)
            return _problem(400, "validation-error", title, detail, errors={HEADER: [detail]})
        user = _api_caller(request)
        if user is None:
            return None  # the view answers 401 or 403 as it always does
        submission = Submission(
            channel=Channel.API,
            user_id=user.pk,
            key=key,
            method=method,
            path=request.path,
            fingerprint=fingerprint(method, request.get_full_path(), request.content_type or "", _body(request)),
        )
        claim, mine = claim_or_wait(submission)
        if mine:
            cast(_ClaimingRequest, request)._idempotency_claim = claim
            return None
        if claim.fingerprint != submission.fingerprint:
            return _problem(
                422,
                "idempotency-key-reused",
                _("Idempotency-Key used for another request"),
                _("This key was sent with another method, address or body. Use a new key for a new request."),
            )
        if not claim.is_finished:
            response = _problem(
                409,
                "idempotency-key-in-use",
                _("Request already in progress"),
                _("A request with this key is still being processed. Send it again in a moment."),
            )
            response["Retry-After"] = "1"
            return response
        logger.info("API request repeated, answered as the first: %s %s", request.method, request.path)
        replayed = HttpResponse(bytes(claim.body), status=claim.status_code, content_type=claim.content_type)
        replayed[REPLAYED_HEADER] = "true"
        return replayed

    # Both

    def _settle(self, request: HttpRequest, response: HttpResponse | None) -> None:
        """Record the first answer, or release the claim when the request changed nothing."""
        claim: Claim | None = getattr(request, "_idempotency_claim", None)
        if claim is None:
            return
        del cast(_ClaimingRequest, request)._idempotency_claim
        if response is None or getattr(response, "streaming", False):
            claim_release(claim)
        elif claim.channel == Channel.FORM and 300 <= response.status_code < 400 and response.has_header("Location"):
            claim_finish(
                claim, status_code=response.status_code, location=response["Location"], messages=_queued(request)
            )
        elif claim.channel == Channel.API and 200 <= response.status_code < 300:
            claim_finish(
                claim,
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        else:
            claim_release(claim)


def _api_caller(request: HttpRequest) -> Any:
    """The API's own authentication (token or session), as the view will run it; None if it fails."""
    drf_request = Request(request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES])  # type: ignore[operator]  # the stubs type the imported classes as their dotted paths
    try:
        user = drf_request.user
    except APIException:
        return None
    return user if user is not None and user.is_authenticated else None


def _body(request: HttpRequest) -> bytes:
    """The body as it is meant: JSON with its keys in order and no spacing, so that the same object sent by
    another client library is the same request; anything else byte for byte."""
    if request.content_type == "application/json":
        try:
            return json.dumps(json.loads(request.body), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            pass
    return request.body


def _queued(request: HttpRequest) -> list:
    """The messages the first answer queued for the page it redirects to (texts with references only).

    Django keeps them in the storage's `_queued_messages` until MessageMiddleware, which sits before this
    middleware, writes them out on the way back.
    """
    storage = getattr(request, "_messages", None)
    return [[m.level, str(m.message), m.extra_tags or ""] for m in getattr(storage, "_queued_messages", [])]


def _problem(status: int, kind: str, title: str, detail: str, errors: dict | None = None) -> JsonResponse:
    body = {"type": PROBLEM_BASE + kind, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type="application/problem+json")
