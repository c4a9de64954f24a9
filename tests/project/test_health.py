"""Liveness and readiness (README, "Health and operations"): readiness answers 503 when the database
does not answer, quickly and without a 500 from a middleware; liveness touches nothing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]


def _refuse(self):
    raise OperationalError("connection refused")


@pytest.fixture
def database_down(db):
    """Every new or reused connection fails as a database that is not there does (undone before the
    test database is rolled back)."""
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", _refuse):
        yield


def test_liveness_answers_without_the_database(client):
    # No db fixture: pytest-django refuses any database access here, so this proves none is made.
    response = client.get("/healthz/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readiness_answers_200_with_each_check(client, db):
    for url in ("/healthz/ready/", "/healthz/"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"] == {"status": "ok", "required": True}
        assert set(body["checks"]["broker"]) == {"status", "required"}


def test_readiness_answers_503_when_the_database_does_not_answer(client, db, database_down):
    for url in ("/healthz/ready/", "/healthz/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.json()["checks"]["database"]["status"] == "unavailable"
        assert "connection refused" not in response.content.decode()  # no detail of the failure
        assert response["Retry-After"]
    assert client.get("/healthz/live/").status_code == 200


def test_a_logged_in_probe_is_not_turned_into_a_500_by_the_session(client, world):
    """The probe is answered before the session, user, axes and idempotency middleware read anything."""
    client.force_login(world.unit_staff)
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", _refuse):
        response = client.get("/healthz/ready/")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"


def test_probes_are_answered_whatever_the_host_header(client, db):
    """A load balancer probes the container's own address, which is not in ALLOWED_HOSTS."""
    assert client.get("/healthz/ready/", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/healthz/live/", HTTP_HOST="10.1.2.3:8000").status_code == 200


def test_probes_only_answer_get_and_head(client, db):
    assert client.head("/healthz/ready/").status_code == 200
    assert client.post("/healthz/ready/").status_code == 405
    assert client.post("/healthz/live/").status_code == 405


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_broker_outage_is_reported_and_fails_readiness_only_when_required(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.READINESS_REQUIRES_BROKER = False
    response = client.get("/healthz/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "unavailable", "required": False}
    settings.READINESS_REQUIRES_BROKER = True
    response = client.get("/healthz/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"status": "unavailable", "required": True}


def test_without_redis_the_broker_is_not_configured_and_never_required(client, db, settings):
    settings.REDIS_URL = None
    settings.READINESS_REQUIRES_BROKER = True
    response = client.get("/healthz/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "not configured", "required": False}


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """This interpreter running `code` (ours) in the checkout with `env`."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_postgresql_connections_time_out_quickly():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DATABASE_URL="postgres://postgres@192.0.2.1:5432/sot")
    code = "import sot.settings as s; print(s.DATABASES['default']['OPTIONS']['connect_timeout'])"
    result = _python(code, env)
    assert result.stdout.strip() == "3", result.stderr


PROBE = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "sot.settings"
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=True)
print(json.dumps([client.get("/healthz/ready/").status_code, client.get("/healthz/live/").status_code]))
"""


def test_readiness_with_an_unreachable_postgresql_answers_503_in_seconds():
    """A real process on a PostgreSQL URL whose port is closed: 503, not an exception, within seconds."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/sot", LOG_LEVEL="CRITICAL")
    started = time.monotonic()
    result = _python(PROBE, env)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [503, 200], result.stderr[-2000:]
    assert time.monotonic() - started < 30
