"""Health endpoints for load balancers and orchestrators.

* `/healthz/live/` — liveness: the process answers. Touches nothing, always 200; a failing liveness
  probe restarts the process, and restarting does not mend a database.
* `/healthz/ready/` (and `/healthz/`) — readiness: may this process take traffic? `SELECT 1` on the
  database (with the short connect timeout of DATABASE_CONNECT_TIMEOUT), and a PING to Redis when
  REDIS_URL is set. 200 when ready, 503 when not, with a JSON body of each check's status and no
  detail that could name a host or a password. Redis is reported but makes readiness fail only with
  READINESS_REQUIRES_BROKER (README, "Health and operations", says why).

`HealthCheckMiddleware` answers these paths before any other middleware (sessions, authentication,
django-axes, the host check), so a probe never touches the database except for its own check, and a
probe addressed to the container's IP address is not refused for its Host header.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, DOWN, NOT_CONFIGURED = "ok", "unavailable", "not configured"
BROKER_TIMEOUT_SECONDS = 1.0


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means not ready; the type is logged, not the message
        logger.warning("Readiness: the database does not answer (%s)", type(exc).__name__)
        return DOWN
    return OK


def check_broker() -> str:
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return NOT_CONFIGURED
    import redis

    timeout = BROKER_TIMEOUT_SECONDS
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # any failure means the broker is not there
        logger.warning("Readiness: Redis does not answer (%s)", type(exc).__name__)
        return DOWN
    return OK


def _probe_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Nothing else is looked at."""
    return _probe_headers(JsonResponse({"status": OK}))


@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database (and, if required, the broker) answers, else 503."""
    database = check_database()
    broker = check_broker()
    broker_required = bool(settings.READINESS_REQUIRES_BROKER) and broker != NOT_CONFIGURED
    is_ready = database == OK and (broker == OK or not broker_required)
    body = {
        "status": OK if is_ready else DOWN,
        "checks": {
            "database": {"status": database, "required": True},
            "broker": {"status": broker, "required": broker_required},
        },
    }
    response = JsonResponse(body, status=200 if is_ready else 503)
    if not is_ready:
        response["Retry-After"] = "5"
    return _probe_headers(response)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz/": ready,
    "/healthz/ready/": ready,
    "/healthz/live/": live,
}


class HealthCheckMiddleware:
    """Answers the health paths before the rest of the middleware runs (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        with contextlib.suppress(Resolver404):  # the URL pattern's name, for the access line
            request.resolver_match = resolve(request.path_info)
        response = probe(request)
        if isinstance(response, HttpResponseNotAllowed):
            _probe_headers(response)
        return response
