"""`load_reference_data`: the production reference data, idempotent, and never a user or a request."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.test import override_settings

from accounts.models import Membership, User
from capacity.models import CapacityOffer
from catalog.models import DiagnosisCodeRange, DiagnosisGroup, MedicalPriority
from organisations.models import HealthcareRegion, Hospital, Region, Unit
from referrals.models import Obstacle, Patient, Referral
from reports.models import MonthlyReport

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (HealthcareRegion, Region, Hospital, Unit, MedicalPriority, DiagnosisGroup, DiagnosisCodeRange)


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in REFERENCE_MODELS}


def _rows() -> dict[str, list[tuple]]:
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in REFERENCE_MODELS}


def _load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def test_running_it_twice_gives_the_same_counts_and_rows():
    first_out = _load()
    counts, rows = _counts(), _rows()
    assert counts == {
        "organisations.HealthcareRegion": 6,
        "organisations.Region": 21,
        "organisations.Hospital": 73,
        "organisations.Unit": 295,
        "catalog.MedicalPriority": 4,
        "catalog.DiagnosisGroup": 14,
        "catalog.DiagnosisCodeRange": 22,
    }
    assert "Region: 21 created, 0 updated, 0 unchanged" in first_out
    second_out = _load()
    assert _counts() == counts
    assert _rows() == rows
    assert "Region: 0 created, 0 updated, 21 unchanged" in second_out
    assert "nothing changed" in second_out
    assert not re.search(r"[1-9]\d* (created|updated)", second_out)


@pytest.mark.parametrize("debug", [False, True])
def test_it_creates_no_users_and_no_requests(debug):
    with override_settings(DEBUG=debug):
        _load()
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    for model in (Patient, Referral, Obstacle, CapacityOffer, MonthlyReport):
        assert not model.objects.exists(), model


def test_it_brings_a_changed_row_back_and_says_so():
    _load()
    Region.objects.filter(code="skane").update(name="Skåne (renamed)")
    out = _load()
    assert Region.objects.get(code="skane").name == "Region Skåne"
    assert "Region: 0 created, 1 updated, 20 unchanged" in out


def test_seed_demo_loads_the_same_reference_data():
    _load()
    rows = _rows()
    with override_settings(DEBUG=False):
        call_command("seed_demo", stdout=StringIO())
    assert _rows() == rows


def test_the_release_step_migrates_and_loads_reference_data_and_never_demo_data():
    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    (release,) = [line.removeprefix("release:") for line in procfile.splitlines() if line.startswith("release:")]
    commands = re.findall(r"manage\.py (\S+)", release)
    assert commands == ["migrate", "collectstatic", "load_reference_data"]
    owners = get_commands()  # command name → the app that has it
    assert owners["seed_demo"] == "demo"
    assert all(owners[name] != "demo" for name in commands)
