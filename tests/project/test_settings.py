"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sot.env import Env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y e s"])
def test_bad_boolean_fails(value):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        Env({"DEBUG": value}).bool("DEBUG", default=False)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("TRUE", True), ("off", False), ("0", False), ("", False)]
)
def test_good_booleans(value, expected):
    assert Env({"DEBUG": value}).bool("DEBUG", default=True) is expected


def test_bad_integer_and_range_fail():
    with pytest.raises(ImproperlyConfigured, match="integer"):
        Env({"CARE_GUARANTEE_DAYS": "ninety"}).int("CARE_GUARANTEE_DAYS", 90)
    with pytest.raises(ImproperlyConfigured, match="at least"):
        Env({"CARE_GUARANTEE_DAYS": "0"}).int("CARE_GUARANTEE_DAYS", 90, minimum=1)


def test_database_url_parsing():
    assert Env({}).database("DATABASE_URL", "sqlite:///x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    config = Env({"DATABASE_URL": "postgres://sot:pw@db:5432/sot"}).database("DATABASE_URL", "sqlite:///x")
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == ("django.db.backends.postgresql", "db", "sot")
    with pytest.raises(ImproperlyConfigured):
        Env({"DATABASE_URL": "postgress://typo/sot"}).database("DATABASE_URL", "sqlite:///x")
    with pytest.raises(ImproperlyConfigured):
        Env({"DATABASE_URL": "mysql://db/sot"}).database("DATABASE_URL", "sqlite:///x")


def test_redis_url_must_be_redis():
    assert Env({"REDIS_URL": "redis://127.0.0.1:6379/0"}).redis_url("REDIS_URL") == "redis://127.0.0.1:6379/0"
    assert Env({}).redis_url("REDIS_URL") is None
    with pytest.raises(ImproperlyConfigured):
        Env({"REDIS_URL": "127.0.0.1:6379"}).redis_url("REDIS_URL")


def test_list_parsing():
    assert Env({"ALLOWED_HOSTS": " a.se, b.se ,,"}).list("ALLOWED_HOSTS") == ["a.se", "b.se"]


def _load_settings(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import sot.settings as s; print(s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _load_settings(DEBUG="0", ALLOWED_HOSTS="sot.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_bad_debug_value_stops_start_up():
    result = _load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_development_defaults():
    result = _load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Europe/Stockholm", "sv"]


def test_production_starts_with_both():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="sot.example.org")
    assert result.returncode == 0, result.stderr


def test_manage_py_names_the_missing_setting():
    """Not Django's misleading "Models aren't loaded yet" but the variable to set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Models aren't loaded yet" not in result.stderr
