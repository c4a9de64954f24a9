import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from fhir.outcomes import outcome_json

logger = logging.getLogger(__name__)


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language, which on many hospital
    computers is English; SOT speaks Swedish by default and English on request.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(("/api/", "/fhir/")):  # systems ask for their language with Accept-Language
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionIdleMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request, and are written at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) made every page an UPDATE and a
    commit of its own, a tenth of the SOT queue's time. Instead a signed-in session is marked modified, so
    that Django's SessionMiddleware saves it with a new expiry, only when its last save is
    SESSION_REFRESH_SECONDS old or more: a session still ends after the idle limit, to within that
    interval (at most a minute early), and never later. Sits after SessionMiddleware in MIDDLEWARE,
    so that its answer passes here first.
    """

    KEY = "_sot_refreshed"

    @classmethod
    def stamp_at_login(cls, sender: Any, request: HttpRequest, **kwargs: Any) -> None:
        """Connected to `user_logged_in` (accounts/apps.py): a new session is saved anyway, stamped with it."""
        if getattr(request, "session", None) is not None:
            request.session[cls.KEY] = int(time.time())

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and "_auth_user_id" in session and not session.modified:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # modified: saved with a new expiry on the way out
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response the application makes: pages and API answers carry
    patient data, and neither the browser nor a proxy on the way may keep a copy.

    Static files are answered by WhiteNoise, which sits before this middleware and returns without
    calling it, so they keep their long-lived caching; the STATIC_URL check covers any other server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response.setdefault("Pragma", "no-cache")  # HTTP/1.0 caches
        return response


class HostileQueryMiddleware:
    """A query string that no page can mean answers 400, in one place rather than in every view:

    * a NUL byte in a parameter's name or value (PostgreSQL refuses NUL in text, so any query with it
      would fail with a 500);
    * a number too large for the machine (`?at__year=99999999999999999999` in an admin date hierarchy
      overflows Python's datetime): an OverflowError while answering is the caller's absurd input;
    * a filter Django's admin cannot apply: the admin sends the browser to its "?e=1" page, a 200
      titled "database error" that blames the installation; here it is a 400 that says what is wrong.

    Logged with the path only: the values may be anything, personal data included.
    """

    ADMIN_INVALID_FILTER = "?e=1"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return self.refuse(request, _("A parameter in the address contains a NUL character."))
        response = self.get_response(request)
        if response.status_code == 302 and response.get("Location") == request.path + self.ADMIN_INVALID_FILTER:
            return self.refuse(request, _("A filter in the address is not valid. Choose the filter again."))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return self.refuse(request, _("A number in the request is too large."))
        return None

    def refuse(self, request: HttpRequest, message: str) -> HttpResponse:
        logger.warning("Bad request (%s): %s", message, request.path)
        if request.path.startswith("/fhir/"):
            return outcome_json(400, message)
        if request.path.startswith("/api/"):
            body = {
                "type": "https://sot.example.org/problems/validation-error",
                "title": str(ValidationError.default_detail),
                "status": 400,
                "detail": message,
            }
            return JsonResponse(body, status=400, content_type="application/problem+json")
        return render(request, "bad_request.html", {"message": message}, status=400)
