"""Structured logs (README, "Health and operations"): one JSON line per record with the request id, one
access line per request with route name, status, duration and user id, and never a personnummer or name."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from sot.celery import app
from sot.env import Env
from sot.logs import JsonFormatter, logging_config, request_id_context, request_id_var

PERSONNUMMER = "19121212-1212"
FORMS_OF_IT = ("19121212-1212", "191212121212", "121212-1212", "1212121212")
PATIENT_NAME = "Tolvan Tolvansson"


class Lines(logging.Handler):
    """Formats every record as the project's console handler does (its filters and formatter)."""

    def __init__(self, console: logging.Handler) -> None:
        super().__init__(logging.DEBUG)
        self.filters = list(console.filters)
        self.setFormatter(console.formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def parsed(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def access(self) -> list[dict]:
        return [line for line in self.parsed() if line["logger"] == "sot.access"]


def _console() -> logging.Handler:
    """The project's console handler (LOG_FORMAT json, the default with DEBUG off)."""
    return next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))


@pytest.fixture
def lines() -> Iterator[Lines]:
    root = logging.getLogger()
    handler = Lines(_console())
    access = logging.getLogger("sot.access")
    root.addHandler(handler)
    level = access.level
    access.setLevel(logging.DEBUG)  # health probes too
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        access.setLevel(level)


def test_one_json_access_line_per_request_with_its_fields(client, world, lines):
    client.force_login(world.unit_staff)
    response = client.get(reverse("referrals:list"), HTTP_X_REQUEST_ID="lb-4711-abc")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-4711-abc"
    [line] = lines.access()
    assert line["request_id"] == "lb-4711-abc"
    assert (line["method"], line["route"], line["status"]) == ("GET", "referrals:list", 200)
    assert line["user_id"] == world.unit_staff.pk
    assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["message"] == "request" and line["time"].endswith("+00:00")


def test_anonymous_and_unresolved_requests_have_a_line_too(client, db, lines):
    client.get("/no-such-page/")
    [line] = lines.access()
    assert (line["route"], line["status"]) == ("-", 404)
    assert "user_id" not in line


def test_probes_and_static_files_are_logged_at_debug_only(client, db, lines):
    client.get("/healthz/live/")
    client.get("/static/sot/sot.css")
    assert [(line["route"], line["status"], line["level"]) for line in lines.access()] == [
        ("healthz_live", 200, "DEBUG"),
        ("-", 200, "DEBUG"),
    ]


@pytest.mark.parametrize("incoming", ["x" * 65, "abc def", "abc\nFORGED line", "ä-id", ""])
def test_an_insane_request_id_is_replaced_by_a_new_one(client, db, lines, incoming):
    response = client.get("/healthz/live/", HTTP_X_REQUEST_ID=incoming)
    request_id = response["X-Request-ID"]
    assert request_id != incoming and re.fullmatch(r"[0-9a-f-]{36}", request_id)
    assert lines.access()[0]["request_id"] == request_id


def test_every_line_of_a_request_carries_its_id(client, db, lines):
    response = client.get("/no-such-page/")  # Django logs a warning "Not Found" besides the access line
    request_id = response["X-Request-ID"]
    by_logger = {line["logger"]: line for line in lines.parsed()}
    assert by_logger["django.request"]["request_id"] == request_id
    assert by_logger["sot.access"]["request_id"] == request_id


def test_an_exception_is_logged_with_its_type_and_stack_not_its_message(lines):
    logger = logging.getLogger("sot.test")
    try:
        raise ValueError(f"duplicate key (personal_number)=({PERSONNUMMER})")
    except ValueError:
        logger.exception("failed")
    [line] = lines.parsed()
    assert line["exc_type"] == "builtins.ValueError" and "test_logging.py" in line["stack"]
    assert PERSONNUMMER not in lines.lines[0]


def test_no_personnummer_or_name_from_a_query_string_or_a_form_reaches_the_logs(client, world, lines):
    # A query string, a search, a form with the patient, a failed login typed with a personnummer.
    client.force_login(world.unit_staff)
    client.get(reverse("referrals:list"), {"q": PERSONNUMMER, "search": "1212121212", "name": PATIENT_NAME})
    client.get(f"/no-such-page/?pnr={PERSONNUMMER}")
    client.post(
        reverse("referrals:create"),
        {"personal_number": PERSONNUMMER, "patient_name": PATIENT_NAME, "icd10_code": "nonsense"},
    )
    client.get(f"/api/v1/referrals/?reference={PERSONNUMMER}")
    anonymous = Client()
    for _ in range(6):  # the last one after the lockout: django-axes logs each failure and the lockout
        anonymous.post(reverse("login"), {"username": PERSONNUMMER, "password": "wrong"})
    assert len(lines.access()) == 10
    text = "\n".join(lines.lines)
    assert "AXES" in text  # the login failures were logged, without the username
    for form in (*FORMS_OF_IT, PATIENT_NAME, "Tolvan"):
        assert form not in text


def test_log_format_follows_debug_and_log_format():
    assert logging_config(Env({}), debug=False)["handlers"]["console"]["formatter"] == "json"
    assert logging_config(Env({}), debug=True)["handlers"]["console"]["formatter"] == "plain"
    assert logging_config(Env({"LOG_FORMAT": "plain"}), debug=False)["handlers"]["console"]["formatter"] == "plain"
    assert logging_config(Env({"LOG_FORMAT": "JSON"}), debug=True)["handlers"]["console"]["formatter"] == "json"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(Env({"LOG_FORMAT": "xml"}), debug=False)
    # runserver's line per request holds the query string: the access line takes its place
    assert logging_config(Env({}), debug=True)["loggers"]["django.server"]["propagate"] is False


# --- the request id travels with Celery tasks ------------------------------------------------------
@app.task(name="tests.request_id_seen_by_the_task")
def request_id_seen_by_the_task() -> str | None:
    logging.getLogger("sot.test.task").warning("task ran")
    return request_id_var.get()


@contextmanager
def through_the_broker() -> Iterator[None]:
    app.conf.task_always_eager = False
    try:
        app.control.purge()
        yield
    finally:
        app.conf.task_always_eager = True


def test_a_task_runs_with_the_request_id_of_the_request_that_queued_it():
    # Celery's test worker may configure Django's logging again on start, which takes the root's handlers
    # away; a handler on the task's own logger stays.
    lines = Lines(_console())
    task_logger = logging.getLogger("sot.test.task")
    task_logger.addHandler(lines)
    try:
        with through_the_broker():
            with request_id_context("req-from-the-web-1"):
                result = request_id_seen_by_the_task.delay()
            assert request_id_var.get() is None
            with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
                assert result.get(timeout=20) == "req-from-the-web-1"
    finally:
        task_logger.removeHandler(lines)
    [line] = [line for line in lines.parsed() if line["logger"] == "sot.test.task"]
    assert line["request_id"] == "req-from-the-web-1" and line["task_id"] == result.id


def test_a_task_run_in_process_keeps_the_callers_request_id():
    with request_id_context("req-eager-2"):
        assert request_id_seen_by_the_task.delay().get() == "req-eager-2"
        assert request_id_var.get() == "req-eager-2"


def test_a_worker_logs_through_the_project_configuration():
    from django.conf import settings

    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
    assert "sot.logs" in sys.modules
