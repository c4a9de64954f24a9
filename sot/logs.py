"""Structured logs: one JSON line per record, a request id on every line, one access line per request.

A request id is taken from a sane incoming `X-Request-ID` (letters, digits and `-`, at most 64) or made
up (uuid4), kept in a context variable for the request, sent back in the response's `X-Request-ID` and
carried to Celery tasks in a message header (`sot/celery.py` connects the signals below), so the worker's
lines carry the id of the request that queued the task.

What a line holds is a fixed list of fields. Never the query string, a form, a personnummer or a name:
the access line names the URL pattern (`referrals:detail`), not the path, and the user by numeric id.
Exceptions are logged with their type and stack (file, line, code), not their message: a database
error's message may quote the row it refused.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

if TYPE_CHECKING:
    from sot.env import Env

REQUEST_ID_HEADER = "X-Request-ID"
CELERY_HEADER = "sot_request_id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)

access_logger = logging.getLogger("sot.access")

# Fields a line may carry besides time, level, logger and message; anything else given in `extra` is left out.
EXTRA_FIELDS = ("request_id", "task_id", "method", "route", "status", "duration_ms", "user_id", "task")


def sane_request_id(value: str | None) -> str:
    """The caller's request id if it is one we may log and send on, else a new one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return str(uuid.uuid4())


class RequestIdFilter(logging.Filter):
    """Puts the current request id (and Celery task id) on every record, `-` outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            # Django logs a 4xx answer after the middleware has returned, with the request on the record.
            on_request = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = request_id_var.get() or on_request or "-"
        if getattr(record, "task_id", None) is None:
            record.task_id = task_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One line of JSON per record, with a fixed set of fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            line["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            line["stack"] = "".join(traceback.format_tb(tb))
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, with the request id; exceptions as Python prints them."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        text = super().format(record)
        extras = " ".join(f"{f}={getattr(record, f)}" for f in EXTRA_FIELDS[1:] if getattr(record, f, None) is not None)
        return f"{text} {extras}" if extras else text


def logging_config(env: Env, *, debug: bool) -> dict[str, Any]:
    """The LOGGING setting from LOG_FORMAT (json, the default with DEBUG off, or plain) and LOG_LEVEL:
    every line goes to the console."""
    formatter = (env.str("LOG_FORMAT") or ("plain" if debug else "json")).lower()
    if formatter not in ("json", "plain"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, got {formatter!r}.")
    level = env.str("LOG_LEVEL", default="INFO")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "sot.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "sot.logs.JsonFormatter"}, "plain": {"()": "sot.logs.PlainFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": formatter, "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per task run is noise when tasks run in-process; failures are still logged.
            "celery.app.trace": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            # runserver's own line per request holds the query string; the access line replaces it.
            "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def _user_id(request: HttpRequest) -> int | None:
    """The user's numeric id, if the request already looked the user up (never a query of its own)."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "-"


class RequestLogMiddleware:
    """First of all middleware: the request id for everything below, and one access line per request.

    Health probes and static files that answer without error are logged at DEBUG only (a load balancer
    asks every few seconds; a page loads four static files).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            self.log(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    def log(self, request: HttpRequest, response: HttpResponse, started: float) -> None:
        route = _route(request)
        routine = route.startswith("healthz") or request.path.startswith(str(settings.STATIC_URL))
        quiet = routine and response.status_code < 400
        fields = {
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": _user_id(request),
        }
        access_logger.log(logging.DEBUG if quiet else logging.INFO, "request", extra=fields)


# --- Celery: the request id travels with the task -------------------------------------------------
def add_request_id_to_task(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """before_task_publish: the current request id goes into the message's headers."""
    request_id = request_id_var.get()
    if headers is not None and request_id:
        headers[CELERY_HEADER] = request_id


_task_tokens: dict[str, tuple[Any, Any]] = {}


def restore_request_id(task_id: str | None = None, task: Any = None, **_kwargs: Any) -> None:
    """task_prerun: the worker takes the request id from the message; a task run in-process keeps its own."""
    request_id = getattr(getattr(task, "request", None), CELERY_HEADER, None)
    if not (isinstance(request_id, str) and _SANE_REQUEST_ID.fullmatch(request_id)):
        request_id = request_id_var.get()
    if task_id:
        _task_tokens[task_id] = (request_id_var.set(request_id), task_id_var.set(task_id))


def forget_request_id(task_id: str | None = None, **_kwargs: Any) -> None:
    """task_postrun: the worker's context goes back to what it was before the task."""
    tokens = _task_tokens.pop(task_id or "", None)
    if tokens is not None:
        request_id_var.reset(tokens[0])
        task_id_var.reset(tokens[1])


@contextmanager
def request_id_context(request_id: str) -> Iterator[None]:
    """For code outside a request (management commands, tests) that wants its lines tied together."""
    token = request_id_var.set(request_id)
    try:
        yield
    finally:
        request_id_var.reset(token)
