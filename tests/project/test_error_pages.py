"""Error pages in Swedish with the site's layout; under /api/ problem details (README, "Health and operations").

The test URLconf adds views that fail on purpose in front of the project's URLs and takes the project's
error handlers, so a handler missing from sot/urls.py fails the import here.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from sot.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the URLconf's handlers)


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a programming error with 19121212-1212 in its message")


def _database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/broken/", _broken),
    path("test-errors/database/", _database_gone),
    path("api/test-errors/forbidden/", _forbidden),
    path("api/test-errors/broken/", _broken),
    path("api/test-errors/database/", _database_gone),
    path("", include("sot.urls")),
]

PROBLEM = "application/problem+json"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def visitor(db) -> Client:
    return Client(raise_request_exception=False)


def _in_layout(body: str) -> None:
    assert '<html lang="sv">' in body
    assert 'class="navbar' in body and "sot/sot.css" in body and 'href="/"' in body


def test_404_page_is_swedish_in_the_layout_with_the_navigation(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.receiving_staff)
    response = client.get("/requests/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    _in_layout(body)
    assert "Sidan finns inte" in body and "Till startsidan" in body
    assert 'data-testid="main-nav"' in body  # the user's own navigation, as on every page
    assert "Not Found" not in body


def test_404_page_in_english_when_chosen(visitor):
    visitor.cookies["django_language"] = "en"
    body = visitor.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in body and "To the start page" in body


def test_403_page_is_swedish_in_the_layout(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.unit_staff)
    response = client.get(reverse("work:queue"))  # an SOT representative's page
    assert response.status_code == 403
    body = response.content.decode()
    _in_layout(body)
    assert "Din roll ger inte behörighet" in body and 'data-testid="main-nav"' in body


def test_403_page_for_a_failed_csrf_check_is_swedish(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    _in_layout(body)
    assert "Formuläret kunde inte skickas" in body and "CSRF" not in body


def test_500_page_is_swedish_in_the_layout_and_reveals_nothing(visitor, failing_urls):
    response = visitor.get("/test-errors/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    _in_layout(body)
    assert "Något gick fel hos oss" in body
    assert "19121212" not in body and "RuntimeError" not in body


def test_500_page_renders_even_when_its_template_cannot(visitor, failing_urls):
    with mock.patch("sot.views.loader.render_to_string", side_effect=ValueError("no static manifest")):
        response = visitor.get("/test-errors/broken/")
    assert response.status_code == 500
    assert "Ett fel uppstod" in response.content.decode()


def test_database_error_in_a_view_is_a_swedish_503_with_retry_after(visitor, failing_urls):
    response = visitor.get("/test-errors/database/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    _in_layout(body)
    assert "SOT är tillfälligt otillgängligt" in body


def test_database_down_under_the_session_middleware_is_a_503_not_a_500(world):
    """The session is read by a middleware before any view: its failure gets the same 503 page."""
    client = Client(raise_request_exception=False)
    client.force_login(world.unit_staff)
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("referrals:list"))
        api = client.get("/api/v1/referrals/")
    assert response.status_code == 503 and "tillfälligt otillgängligt" in response.content.decode()
    assert api.status_code == 503 and api["Content-Type"] == PROBLEM


def test_400_page_is_swedish_in_the_layout(visitor):
    response = visitor.get("/login/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    body = response.content.decode()
    _in_layout(body)
    assert "Adressen eller formuläret kunde inte läsas" in body


@pytest.mark.parametrize(
    ("url", "status", "kind"),
    [
        ("/api/no-such-endpoint/", 404, "not-found"),
        ("/api/test-errors/forbidden/", 403, "forbidden"),
        ("/api/test-errors/broken/", 500, "server-error"),
        ("/api/test-errors/database/", 503, "service-unavailable"),
    ],
)
def test_api_errors_are_problem_details(visitor, failing_urls, url, status, kind):
    response = visitor.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"https://sot.example.org/problems/{kind}" and body["status"] == status
    assert body["title"]
    assert "19121212" not in response.content.decode() and "Traceback" not in response.content.decode()


def test_api_400_is_problem_details(visitor):
    response = visitor.get("/api/v1/referrals/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM


def test_page_403_from_a_view_in_the_layout(visitor, failing_urls):
    response = visitor.get("/test-errors/forbidden/")
    assert response.status_code == 403
    _in_layout(response.content.decode())
