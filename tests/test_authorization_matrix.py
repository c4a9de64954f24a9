"""Every URL of the project against every persona. A new URL without an expectation fails here.

Outcomes: LOGIN (redirect to the login page), 200, 403 (wrong role), 404 (outside the user's
scope: nothing is revealed), 405 (wrong method), REDIRECT (any other redirect).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup
from referrals.models import ReferralStatus as S
from reports.scopes import Scope
from reports.services import report_build
from tests.factories import CapacityOfferFactory, ReferralFactory

LOGIN, REDIRECT = "login", "redirect"
PERSONAS = ["anonymous", "other_region_staff", "unit_staff", "sot", "receiving_staff", "director", "administrator"]


def row(*outcomes) -> dict:
    """Outcomes in the order of PERSONAS."""
    return dict(zip(PERSONAS, outcomes, strict=True))


UNIT_PAGES = row(LOGIN, 200, 200, 403, 403, 403, 403)
SOT_PAGES = row(LOGIN, 403, 403, 200, 403, 403, 403)
RECEIVING_PAGES = row(LOGIN, 403, 403, 403, 200, 403, 403)
OWN_OFFER = row(LOGIN, 404, 404, 404, 200, 404, 404)
POST_ONLY = row(405, 405, 405, 405, 405, 405, 405)
API_POST_ONLY = row(401, 405, 405, 405, 405, 405, 405)
SOT_STEP = row(LOGIN, 404, 403, 200, 404, 404, 404)
RECEIVER_STEP = row(LOGIN, 404, 403, 403, 200, 404, 404)

# URL name → (object the URL is built for, expected outcome per persona)
EXPECTED = {
    "home": (None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "healthz": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "login": (None, row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": (None, POST_ONLY),
    "set_language": (None, row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "referrals:list": (None, UNIT_PAGES),
    "referrals:create": (None, UNIT_PAGES),
    "referrals:icd10_lookup": (None, UNIT_PAGES),
    "referrals:detail": ("submitted", row(LOGIN, 404, 200, 200, 404, 404, 404)),
    "referrals:edit": ("draft", row(LOGIN, 404, 200, 404, 404, 404, 404)),
    "referrals:submit": ("draft", POST_ONLY),
    "referrals:withdraw": ("submitted", row(LOGIN, 404, 200, 200, 404, 404, 404)),
    "referrals:pause_add": ("submitted", row(LOGIN, 404, 200, 403, 404, 404, 404)),
    "referrals:patient_details": ("submitted", row(LOGIN, 404, 200, 403, 404, 404, 404)),
    "referrals:take": ("submitted", SOT_STEP),
    "referrals:propose": ("in_review", SOT_STEP),
    "referrals:close": ("in_review", SOT_STEP),
    "referrals:correct_group": ("submitted", SOT_STEP),
    "referrals:contact": ("proposed", row(LOGIN, 404, 403, 200, 403, 404, 404)),
    "referrals:accept": ("proposed", RECEIVER_STEP),
    "referrals:decline": ("proposed", RECEIVER_STEP),
    "referrals:complete": ("accepted", RECEIVER_STEP),
    "capacity:list": (None, RECEIVING_PAGES),
    "capacity:create": (None, RECEIVING_PAGES),
    "capacity:change": ("offer", OWN_OFFER),
    "capacity:withdraw": ("offer", OWN_OFFER),
    "work:queue": (None, SOT_PAGES),
    "work:obstacles": (None, SOT_PAGES),
    "work:obstacle_create": (None, SOT_PAGES),
    "work:inbox": (None, RECEIVING_PAGES),
    "reports:list": (None, row(LOGIN, 403, 403, 403, 403, 200, 200)),
    "reports:build": (None, POST_ONLY),
    "reports:download": ("report", row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # The API answers 401 (not a login page) to a caller without a token or session.
    "api:referrals": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:referral": ("submitted", row(401, 404, 200, 200, 404, 404, 404)),
    "api:referral_submit": ("draft", row(401, 405, 405, 405, 405, 405, 405)),
    "api:referral_proposals": ("in_review", row(401, 404, 403, 200, 404, 404, 404)),
    **{
        f"api:referral_{action}": ("submitted", API_POST_ONLY)
        for action in ("take", "propose", "accept", "decline", "complete", "withdraw", "close")
    },
    "api:capacity_offers": (None, row(401, 200, 200, 200, 200, 200, 200)),  # each sees their own units' offers
    "api:capacity_offer": ("offer", API_POST_ONLY),  # PATCH only
    "api:capacity_withdraw": ("offer", API_POST_ONLY),
    "api:obstacles": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:reports": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:report_download": ("report", row(401, 404, 404, 404, 404, 200, 200)),
    "api:schema": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "api:docs": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "tokens": (None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "token_revoke": ("token", POST_ONLY),
}
# Django's admin: administrators only; everyone else is sent to the admin's login page.
ADMIN = row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200)
ADMIN_EXCEPTIONS = {
    "admin:logout": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    "admin:login": row(200, 200, 200, 200, 200, 200, REDIRECT),
    "admin:view_on_site": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404),
    "admin:autocomplete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:password_change_done": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200),
    # Login-throttling records are written by django-axes only; nobody adds them by hand.
    **{
        f"admin:axes_{model}_add": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
        for model in ("accessattempt", "accessfailurelog", "accesslog")
    },
    # The access log is append-only, in the admin too.
    "admin:audit_accesslogentry_add": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:audit_accesslogentry_delete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    # The patient search of the access log takes the personnummer by POST only, never in an address.
    "admin:audit_accesslogentry_patient_search": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


ALL = sorted(dict(_patterns(get_resolver())).items())


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth.models import Group

    from catalog.reference_data import load_reference_data

    load_reference_data()  # every admin model has a row to open
    group = DiagnosisGroup.objects.get(code="artros-hoft-kna")
    Group.objects.create(name="SOT-gruppen")
    # The login-throttling admin pages need rows: one failed and one successful login make them.
    from django.test import Client

    Client().post(reverse("login"), {"username": "nobody", "password": "secret-password-1"})
    Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})

    def referral(status):
        receiving = world.neighbour_unit if status in (S.PROPOSED, S.ACCEPTED) else None
        return ReferralFactory(
            sending_unit=world.home_unit, status=status, receiving_unit=receiving, diagnosis_group=group
        )

    from api.services import token_create
    from audit.services import access_record

    submitted = referral(S.SUBMITTED)
    access_record(user=world.unit_staff, referral=submitted, what="referrals:detail")  # the log has a row
    return {
        "draft": referral(S.DRAFT),
        "submitted": submitted,
        "in_review": referral(S.IN_REVIEW),
        "proposed": referral(S.PROPOSED),
        "accepted": referral(S.ACCEPTED),
        "offer": CapacityOfferFactory(
            unit=world.neighbour_unit,
            diagnosis_group=group,
            week_start=first_open_week(timezone.localdate()) + timedelta(weeks=1),
        ),
        "token": token_create(user=world.unit_staff, name="x", days=30)[0],
        "report": report_build(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region)),
    }


def _admin_url(name: str, pattern: URLPattern, world) -> str:
    """An admin URL with its parameters filled by a real object of the admin's model."""
    keys = set(pattern.pattern.converters) | set(getattr(pattern.pattern, "_regex_dict", {}) or {})
    regex_groups = set(pattern.pattern.regex.groupindex)
    keys |= regex_groups
    if not keys:
        return reverse(name)
    if keys == {"app_label"}:
        return reverse(name, kwargs={"app_label": "catalog"})
    if keys == {"content_type_id", "object_id"}:
        return reverse(name, kwargs={"content_type_id": 1, "object_id": "1"})
    model_admin = getattr(pattern.callback, "model_admin", None)
    model = model_admin.model if model_admin else type(world.administrator)
    obj = model.objects.order_by("pk").first()
    if "id" in keys:  # password change of a user
        return reverse(name, kwargs={"id": world.administrator.pk})
    return reverse(name, kwargs={"object_id": obj.pk})


def test_every_url_has_an_expectation():
    named = {name for name, _p in ALL}
    admin = {n for n in named if n.startswith("admin:")}
    assert named - admin - set(EXPECTED) == set(), "add the new URL to EXPECTED"
    assert set(EXPECTED) - named == set(), "EXPECTED names a URL that no longer exists"


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(client, world, objects, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    failures = []
    for name, pattern in ALL:
        if name.startswith("admin:"):
            expected = ADMIN_EXCEPTIONS.get(name, ADMIN)[persona]
            url = _admin_url(name, pattern, world)
        else:
            key, outcomes = EXPECTED[name]
            expected = outcomes[persona]
            target = objects[key] if key else None
            if target is None:
                url = reverse(name)
            elif name in ("reports:download", "api:report_download"):
                url = reverse(name, args=[target.pk, "pdf"])
            else:
                url = reverse(name, args=[target.pk])
        response = client.get(url)
        got = response.status_code
        if got == 302:
            got = LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)
