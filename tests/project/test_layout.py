"""The layout shows the domain (README, "Layout and why"): no two apps import each other, and no cycle."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "app_imports.py"
spec = importlib.util.spec_from_file_location("app_imports", SCRIPT)
assert spec is not None and spec.loader is not None, SCRIPT
app_imports = importlib.util.module_from_spec(spec)
spec.loader.exec_module(app_imports)

APPS = app_imports.app_names()
IMPORTS, RELATIONS = app_imports.edges(APPS)


def _imported_by(app: str) -> set[str]:
    return {source for source, target in IMPORTS if target == app}


def _imports_of(app: str) -> set[str]:
    return {target for source, target in IMPORTS if source == app}


def test_the_script_sees_every_app():
    assert {"organisations", "catalog", "accounts", "referrals", "capacity", "reports", "audit", "api", "demo"} <= set(
        APPS
    )


def test_no_import_cycle_and_no_two_apps_import_each_other():
    assert app_imports.cycles(APPS, IMPORTS) == []
    assert [(a, b) for a, b in IMPORTS if (b, a) in IMPORTS] == []


# README, "Layout and why": each app imports only apps before it here.
LAYERS = [
    "idempotency",
    "outbox",
    "organisations",
    "catalog",
    "accounts",
    "audit",
    "capacity",
    "referrals",
    "planning",
    "actionplans",
    "reports",
    "settlement",
    "api",
    "fhir",
    "demo",
]


def test_each_app_imports_only_the_layers_below_it():
    assert sorted(APPS) == sorted(LAYERS)
    upward = [(a, b) for a, b in IMPORTS if LAYERS.index(b) > LAYERS.index(a)]
    assert upward == [], {pair: IMPORTS[pair] for pair in upward}


def test_the_layers():
    assert _imports_of("organisations") == set()
    assert _imports_of("catalog") == {"organisations"}
    assert _imports_of("accounts") == {"organisations"}
    assert "referrals" not in _imports_of("capacity")
    assert "referrals" not in _imports_of("audit")
    assert _imported_by("demo") == set()


def test_only_the_access_log_points_up_by_a_model_relation():
    """The access log names the patient and the request it is about (foreign keys by name, no import),
    while the services write it in the same transaction as their change."""
    upward = {pair for pair in RELATIONS if pair not in IMPORTS}
    assert upward == {("audit", "referrals")}
    assert {where.split(":")[0] for where in RELATIONS["audit", "referrals"]} == {"audit/models.py"}
