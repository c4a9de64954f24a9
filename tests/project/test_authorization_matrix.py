"""Every URL of the project against every persona, by GET and by POST. A new URL without an expectation
fails here.

Outcomes: LOGIN (redirect to the login page), 200, 403 (wrong role), 404 (outside the user's
scope: nothing is revealed), 405 (wrong method), REDIRECT (any other redirect), 401 (the API without
credentials), 400 (the API refusing an empty body). Never a 500.
"""

from __future__ import annotations

from datetime import date, timedelta
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup
from outbox.services import message_enqueue
from referrals.models import ReferralStatus as S
from reports.scopes import Scope
from reports.services import report_build
from tests.factories import CapacityOfferFactory, ReferralFactory

LOGIN, REDIRECT = "login", "redirect"
PERSONAS = ["anonymous", "other_region_staff", "unit_staff", "sot", "receiving_staff", "director", "administrator"]


def row(*outcomes) -> dict:
    """Outcomes in the order of PERSONAS."""
    return dict(zip(PERSONAS, outcomes, strict=True))


FHIR_TYPES = (
    "healthcareservice",
    "location",
    "organization",
    "patient",
    "schedule",
    "servicerequest",
    "slot",
    "subscription",
    "task",
)
UNIT_PAGES = row(LOGIN, 200, 200, 403, 403, 403, 403)
SOT_PAGES = row(LOGIN, 403, 403, 200, 403, 403, 403)
RECEIVING_PAGES = row(LOGIN, 403, 403, 403, 200, 403, 403)
OWN_OFFER = row(LOGIN, 404, 404, 404, 200, 404, 404)
POST_ONLY = row(405, 405, 405, 405, 405, 405, 405)
API_POST_ONLY = row(401, 405, 405, 405, 405, 405, 405)
SOT_STEP = row(LOGIN, 404, 403, 200, 404, 404, 404)
RECEIVER_STEP = row(LOGIN, 404, 403, 403, 200, 404, 404)
# A unit's own receiving staff act for it; anyone without a receiving unit has the wrong role (403); the
# receiving staff of another unit get 404 (tests/capacity/test_confirm_offers.py).
RECEIVING_CONFIRM = row(LOGIN, 403, 403, 403, REDIRECT, 403, 403)

# URL name → (object the URL is built for, expected outcome per persona)
EXPECTED = {
    "home": (None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "healthz": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "healthz_live": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "healthz_ready": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "login": (None, row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": (None, POST_ONLY),
    # SITHS sign-in is off in the tests' settings (tests/accounts/test_oidc.py runs it against a provider).
    "oidc_authentication_init": (None, row(404, 404, 404, 404, 404, 404, 404)),
    "oidc_authentication_callback": (None, row(404, 404, 404, 404, 404, 404, 404)),
    "oidc_logout": (None, POST_ONLY),
    "set_language": (None, row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "referrals:list": (None, UNIT_PAGES),
    "referrals:create": (None, UNIT_PAGES),
    "referrals:icd10_lookup": (None, UNIT_PAGES),
    "referrals:search": (None, row(LOGIN, 200, 200, 200, 200, 403, 403)),
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
    "referrals:accept_by_phone": ("proposed", row(LOGIN, 404, 403, 200, 403, 404, 404)),
    "referrals:decline": ("proposed", RECEIVER_STEP),
    "referrals:complete": ("accepted", RECEIVER_STEP),
    "referrals:patient_letter": ("accepted", row(LOGIN, 404, 200, 200, 200, 404, 404)),
    "capacity:list": (None, RECEIVING_PAGES),
    "capacity:create": (None, RECEIVING_PAGES),
    "capacity:change": ("offer", OWN_OFFER),
    "capacity:withdraw": ("offer", OWN_OFFER),
    "capacity:confirm": ("receiving_unit", POST_ONLY),
    "capacity:overview": (None, SOT_PAGES),
    "capacity:overview_cell": (None, SOT_PAGES),  # without a cell chosen: the form says so, never a 500
    "news": (None, row(LOGIN, 200, 200, 200, 200, 403, 403)),  # every role that sees requests
    "news_read": (None, POST_ONLY),
    "work:queue": (None, SOT_PAGES),
    "work:handler_take": ("submitted", POST_ONLY),
    "work:handler_release": ("submitted", POST_ONLY),
    "work:obstacles": (None, SOT_PAGES),
    "work:obstacle_create": (None, SOT_PAGES),
    "work:inbox": (None, RECEIVING_PAGES),
    # The group plan: SOT representatives of the region in the address (another region's: 404, see
    # tests/planning/test_views_planning.py); without a group chosen the page shows the form.
    "planning:start": (None, row(LOGIN, 403, 403, REDIRECT, 403, 403, 403)),
    "planning:plan": ("region", SOT_PAGES),
    "planning:apply": ("region", POST_ONLY),
    "reports:list": (None, row(LOGIN, 403, 403, 403, 403, 200, 200)),
    "reports:figures": (None, row(LOGIN, 403, 403, 200, 403, 200, 200)),
    # Action plans: the SOT representatives and directors of the plan's region.
    "actionplans:list": (None, row(LOGIN, 403, 403, 200, 403, 200, 403)),
    "actionplans:create": (None, row(LOGIN, 403, 403, 200, 403, 200, 403)),
    "actionplans:detail": ("action_plan", row(LOGIN, 403, 403, 200, 403, 200, 403)),
    "actionplans:edit": ("action_plan", row(LOGIN, 403, 403, 200, 403, 200, 403)),
    "actionplans:status": ("action_plan", row(LOGIN, 403, 403, 200, 403, 200, 403)),
    # Settlement files: directors (and administrators); a pair with nothing coordinated that month is no file.
    "settlement:list": (None, row(LOGIN, 403, 403, 403, 403, 200, 200)),
    "settlement:download": ("settlement_pair", row(LOGIN, 403, 403, 403, 403, 404, 404)),
    "reports:build": (None, POST_ONLY),
    "reports:download": ("report", row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # The API answers 401 (not a login page) to a caller without a token or session.
    "api:referrals": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:referral": ("submitted", row(401, 404, 200, 200, 404, 404, 404)),
    "api:referral_submit": ("draft", row(401, 405, 405, 405, 405, 405, 405)),
    "api:referral_proposals": ("in_review", row(401, 404, 403, 200, 404, 404, 404)),
    # Each step's URL is built for a request in the state the step starts from, so the POST matrix
    # below reaches the step's owner.
    **{
        f"api:referral_{action}": (state, API_POST_ONLY)
        for action, state in (
            ("take", "submitted"),
            ("propose", "in_review"),
            ("accept", "proposed"),
            ("decline", "proposed"),
            ("complete", "accepted"),
            ("withdraw", "submitted"),
            ("close", "in_review"),
        )
    },
    "api:capacity_offers": (None, row(401, 200, 200, 200, 200, 200, 200)),  # each sees their own units' offers
    "api:capacity_offer": ("offer", API_POST_ONLY),  # PATCH only
    "api:capacity_withdraw": ("offer", API_POST_ONLY),
    "api:obstacles": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:reports": (None, row(401, 200, 200, 200, 200, 200, 200)),
    "api:report_download": ("report", row(401, 404, 404, 404, 404, 200, 200)),
    "api:schema": (None, row(200, 200, 200, 200, 200, 200, 200)),
    "api:docs": (None, row(200, 200, 200, 200, 200, 200, 200)),
    # FHIR R4: the REST API's authentication (401 without it), visibility (404 outside the caller's scope)
    # and roles (403: a search of patient data needs a role that sees requests; capacity, one that works
    # with it). Geography is reference data for every signed-in caller; the CapabilityStatement is public.
    "fhir:metadata": (None, row(200, 200, 200, 200, 200, 200, 200)),
    **{
        f"fhir:{name}": (None, row(401, 200, 200, 200, 200, 403, 403)) for name in ("servicerequest", "patient", "task")
    },
    "fhir:servicerequest_read": ("submitted", row(401, 404, 200, 200, 404, 404, 404)),
    "fhir:patient_read": ("fhir_patient", row(401, 404, 200, 200, 404, 404, 404)),
    "fhir:task_read": ("fhir_task", row(401, 404, 200, 200, 404, 404, 404)),
    "fhir:servicerequest_vread": ("fhir_request_version", row(401, 404, 200, 200, 404, 404, 404)),
    "fhir:task_vread": ("fhir_task_version", row(401, 404, 200, 200, 404, 404, 404)),
    **{
        f"fhir:{name}": (key, row(401, 200, 200, 200, 200, 200, 200))
        for name, key in (
            ("organization", None),
            ("organization_read", "fhir_organization"),
            ("location", None),
            ("location_read", "fhir_location"),
            ("healthcareservice", None),
            ("healthcareservice_read", "fhir_organization"),
            ("subscription", None),
        )
    },
    "fhir:schedule": (None, row(401, 403, 403, 200, 200, 403, 403)),
    "fhir:schedule_read": ("fhir_schedule", row(401, 403, 403, 200, 200, 403, 403)),
    "fhir:slot": (None, row(401, 403, 403, 200, 200, 403, 403)),
    "fhir:slot_read": ("offer", row(401, 403, 403, 200, 200, 403, 403)),
    # POST [type]/_search, FHIR's search with the parameters in a form-encoded body.
    **{f"fhir:{name}_search": (None, API_POST_ONLY) for name in FHIR_TYPES},
    "tokens": (None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "token_revoke": ("token", POST_ONLY),
    # An administrator's code step: only after the password step of the same session; else to the login.
    "login_code": (None, row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "login_enrol": (None, row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "password_change": (None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
}
# Django's admin: administrators only; everyone else is sent to the admin's login page.
ADMIN = row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200)
ADMIN_EXCEPTIONS = {
    "admin:logout": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    "admin:login": row(LOGIN, 200, 200, 200, 200, 200, REDIRECT),  # anonymous: our login (password, code)
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
    # Outgoing e-mail is written by the services and emptied by delivery: read-only in the admin.
    "admin:outbox_outboxmessage_add": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:outbox_outboxmessage_delete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    # The patient search of the access log takes the personnummer by POST only, never in an address.
    "admin:audit_accesslogentry_patient_search": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    # A request's price is fixed at its acceptance and kept: read-only in the admin.
    "admin:settlement_referralprice_add": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:settlement_referralprice_delete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    # The confirmation limit is one row: changed, never a second one added, never deleted.
    "admin:capacity_confirmationlimit_add": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:capacity_confirmationlimit_delete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
}


# POST, with a valid CSRF token and an empty body (the API: an empty JSON object). The point is who
# gets through: anonymous → login (the API: 401), outside the user's scope → 404, wrong role → 403, a
# page that only shows → 405, the owner → 200 (the form again, with its errors) or a redirect (a step
# that needs nothing more was taken; a step in the wrong state says so on the request's page).
GET_ONLY = row(405, 405, 405, 405, 405, 405, 405)  # the method is refused before anything else
API_GET_ONLY = row(401, 405, 405, 405, 405, 405, 405)
POST_EXPECTED = {
    "home": GET_ONLY,
    "healthz": GET_ONLY,
    "healthz_live": GET_ONLY,
    "healthz_ready": GET_ONLY,
    "login": row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "logout": row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),  # logged out, to the login page
    "oidc_authentication_init": POST_ONLY,
    "oidc_authentication_callback": POST_ONLY,
    "oidc_logout": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),  # logged out
    "set_language": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "referrals:list": GET_ONLY,
    "referrals:create": UNIT_PAGES,
    "referrals:icd10_lookup": GET_ONLY,
    "referrals:search": row(LOGIN, 200, 200, 200, 200, 403, 403),  # the form again: nothing typed
    "referrals:detail": GET_ONLY,
    "referrals:edit": row(LOGIN, 404, 200, 404, 404, 404, 404),
    "referrals:submit": row(LOGIN, 404, REDIRECT, 404, 404, 404, 404),  # a complete draft is submitted
    "referrals:withdraw": row(LOGIN, 404, 200, 200, 404, 404, 404),
    "referrals:pause_add": row(LOGIN, 404, 200, 403, 404, 404, 404),
    "referrals:patient_details": row(LOGIN, 404, 200, 403, 404, 404, 404),
    "referrals:take": SOT_STEP,
    "referrals:propose": SOT_STEP,
    "referrals:close": SOT_STEP,
    "referrals:correct_group": SOT_STEP,
    "referrals:contact": row(LOGIN, 404, 403, 200, 403, 404, 404),
    "referrals:accept": RECEIVER_STEP,
    "referrals:accept_by_phone": row(LOGIN, 404, 403, 200, 403, 404, 404),
    "referrals:decline": RECEIVER_STEP,
    "referrals:complete": RECEIVER_STEP,
    "referrals:patient_letter": GET_ONLY,
    "capacity:list": GET_ONLY,
    "capacity:create": RECEIVING_PAGES,
    "capacity:change": OWN_OFFER,
    "capacity:withdraw": row(LOGIN, 404, 404, 404, REDIRECT, 404, 404),  # nothing reserved: withdrawn
    "capacity:confirm": RECEIVING_CONFIRM,  # the unit's offers confirmed, back to the list
    "capacity:overview": GET_ONLY,
    "capacity:overview_cell": GET_ONLY,
    "news": GET_ONLY,
    "news_read": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403, 403),  # marked read, back to the list
    "work:queue": GET_ONLY,
    "work:handler_take": row(LOGIN, 404, 403, REDIRECT, 404, 404, 404),  # back to the queue, the handler
    "work:handler_release": row(LOGIN, 404, 403, REDIRECT, 404, 404, 404),  # nobody handles it: nothing to do
    "work:obstacles": GET_ONLY,
    "work:obstacle_create": SOT_PAGES,
    "work:inbox": GET_ONLY,
    "planning:start": GET_ONLY,
    "planning:plan": GET_ONLY,
    "planning:apply": row(LOGIN, 403, 403, REDIRECT, 403, 403, 403),  # no group chosen: back to the page
    "reports:list": GET_ONLY,
    "reports:figures": GET_ONLY,
    "actionplans:list": GET_ONLY,
    "actionplans:create": row(LOGIN, 403, 403, 200, 403, 200, 403),  # the form again, with its errors
    "actionplans:detail": GET_ONLY,
    "actionplans:edit": row(LOGIN, 403, 403, 200, 403, 200, 403),
    "actionplans:status": row(LOGIN, 403, 403, 200, 403, 200, 403),
    "settlement:list": GET_ONLY,
    "settlement:download": GET_ONLY,
    "reports:build": row(LOGIN, 403, 403, 403, 403, REDIRECT, REDIRECT),  # to the list, saying what was wrong
    "reports:download": GET_ONLY,
    "api:referrals": row(401, 400, 400, 403, 403, 403, 403),  # unit staff file requests
    "api:referral": API_GET_ONLY,
    "api:referral_submit": row(401, 404, 200, 404, 404, 404, 404),
    "api:referral_proposals": API_GET_ONLY,
    "api:referral_take": row(401, 404, 403, 200, 404, 404, 404),
    "api:referral_propose": row(401, 404, 403, 400, 404, 404, 404),  # which unit is missing
    "api:referral_accept": row(401, 404, 403, 403, 400, 404, 404),  # the planned date is missing
    "api:referral_decline": row(401, 404, 403, 403, 400, 404, 404),  # the reason is missing
    "api:referral_complete": row(401, 404, 403, 403, 400, 404, 404),  # the date care was given is missing
    "api:referral_withdraw": row(401, 404, 400, 400, 404, 404, 404),  # the reason is missing
    "api:referral_close": row(401, 404, 403, 400, 404, 404, 404),  # the reason is missing
    "api:capacity_offers": row(401, 403, 403, 403, 400, 403, 403),
    "api:capacity_offer": API_GET_ONLY,  # PATCH, not POST
    "api:capacity_withdraw": row(401, 404, 404, 404, 204, 404, 404),
    "api:obstacles": row(401, 403, 403, 400, 403, 403, 403),
    "api:reports": API_GET_ONLY,
    "api:report_download": API_GET_ONLY,
    "api:schema": GET_ONLY,
    "api:docs": GET_ONLY,
    "fhir:metadata": row(405, 405, 405, 405, 405, 405, 405),
    # Unit staff file requests: an empty body is no ServiceRequest (400); other roles may not file (403).
    "fhir:servicerequest": row(401, 400, 400, 403, 403, 403, 403),
    # The search's body is form-encoded, as FHIR's: this test's JSON body is refused (415).
    **{f"fhir:{name}_search": row(401, 415, 415, 415, 415, 415, 415) for name in FHIR_TYPES},
    **{
        name: API_POST_ONLY
        for name in EXPECTED
        if name.startswith("fhir:")
        and name not in ("fhir:metadata", "fhir:servicerequest")
        and not name.endswith("_search")
    },
    "tokens": row(LOGIN, 200, 200, 200, 200, 200, 200),
    "token_revoke": row(LOGIN, 404, REDIRECT, 404, 404, 404, 404),  # the owner's own token
    "login_code": row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "login_enrol": row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "password_change": row(LOGIN, 200, 200, 200, 200, 200, 200),  # the form again, with its errors
}
# Django's admin: everyone but an administrator is sent to the admin's login page, as for GET.
ADMIN_POST = ADMIN
ADMIN_POST_EXCEPTIONS = {
    "admin:login": row(LOGIN, 200, 200, 200, 200, 200, 200),  # the form again, with its errors
    "admin:logout": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN),
    "admin:view_on_site": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404),
    "admin:autocomplete": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    "admin:jsi18n": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    "admin:password_change_done": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    # Login-throttling records are written by django-axes only: nobody adds them; their change page has
    # nothing to change and goes back to the list.
    **{
        f"admin:axes_{model}_{view}": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, outcome)
        for model in ("accessattempt", "accessfailurelog", "accesslog")
        for view, outcome in (("add", 403), ("change", REDIRECT))
    },
    # The access log is append-only, in the admin too: it can be read, never added, changed or deleted.
    **{
        f"admin:audit_accesslogentry_{view}": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
        for view in ("add", "change", "delete")
    },
    # Outgoing e-mail can be read, never added, changed or deleted by hand.
    **{
        f"admin:outbox_outboxmessage_{view}": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
        for view in ("add", "change", "delete")
    },
    # The confirmation limit: one row, never a second one, never deleted.
    **{
        f"admin:capacity_confirmationlimit_{view}": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
        for view in ("add", "delete")
    },
    # A request's fixed price can be read, never added, changed or deleted by hand.
    **{
        f"admin:settlement_referralprice_{view}": row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
        for view in ("add", "change", "delete")
    },
    # The patient search without a number goes back to the log, saying so.
    "admin:audit_accesslogentry_patient_search": row(
        REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT
    ),
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


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The API's rate limit counts per user id, and ids repeat from test to test on SQLite: walking every
    URL for each persona must neither be limited by earlier tests nor use up the limit of later ones."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth.models import Group

    from catalog.reference_data import load_reference_data

    load_reference_data()  # every admin model has a row to open
    group = DiagnosisGroup.objects.get(code="artros-hoft-kna")
    Group.objects.create(name="SOT-gruppen")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.administrator, name="SOT", confirmed=True)  # the device admin's row
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
    from capacity.models import ConfirmationLimit

    ConfirmationLimit.objects.get_or_create(pk=1)  # the migration's row, gone after a flushing test
    submitted = referral(S.SUBMITTED)
    access_record(user=world.unit_staff, referral=submitted, what="referrals:detail")  # the log has a row
    from types import SimpleNamespace

    from fhir.versions import version

    return {
        "draft": referral(S.DRAFT),
        "submitted": submitted,
        "fhir_patient": SimpleNamespace(pk=f"request-{submitted.pk}"),
        "fhir_task": SimpleNamespace(pk=f"coordination-{submitted.pk}"),
        "fhir_request_version": SimpleNamespace(pk=submitted.pk, vid=version(submitted)),
        "fhir_task_version": SimpleNamespace(pk=f"coordination-{submitted.pk}", vid=version(submitted)),
        "fhir_organization": SimpleNamespace(pk=f"unit-{world.home_unit.pk}"),
        "fhir_location": SimpleNamespace(pk=f"hospital-{world.home_unit.hospital_id}"),
        "fhir_schedule": SimpleNamespace(pk=f"unit-{world.neighbour_unit.pk}"),
        "in_review": referral(S.IN_REVIEW),
        "proposed": referral(S.PROPOSED),
        "accepted": referral(S.ACCEPTED),
        "receiving_unit": world.neighbour_unit,
        "offer": CapacityOfferFactory(
            unit=world.neighbour_unit,
            diagnosis_group=group,
            week_start=first_open_week(timezone.localdate()) + timedelta(weeks=1),
        ),
        "token": token_create(user=world.unit_staff, name="x", days=30)[0],
        "report": report_build(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region)),
        "email": message_enqueue(topic="referral-event:1", recipients=["sot@example.org"], subject="x", body="y"),
        "action_plan": _action_plan(world),
        "settlement_pair": (world.home_region, world.far_region),
        "region": world.home_region,
        "prices": _prices(world, group, referral(S.ACCEPTED)),
    }


def _prices(world, group, accepted):
    """A price list row and a request's fixed price: the admin's pages of both have a row to open."""
    from capacity.models import CareType
    from settlement.models import PriceListEntry, ReferralPrice

    entry = PriceListEntry.objects.create(
        receiving_region=world.neighbour_region,
        diagnosis_group=group,
        year=2026,
        care_form=CareType.values[0],
        price=1000,
    )
    return ReferralPrice.objects.create(
        referral=accepted,
        receiving_region=world.neighbour_region,
        diagnosis_group=group,
        care_form=entry.care_form,
        year=2026,
        price=entry.price,
        entry=entry,
        fixed_at=timezone.now(),
    )


def _action_plan(world):
    from actionplans.services import plan_create

    return plan_create(
        by=world.sot,
        region=world.home_region,
        status="green",
        status_date=timezone.localdate(),
        category="capacity",
        title="Kortare väntan",
        activities="Samordna",
        owner_function="SOT-funktionen",
        follow_up_method="Månadsrapporten",
        indicator="Antal",
        target_value="10",
    )


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
    if keys == {"pk"}:  # django-otp's QR code pages of a TOTP device
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return reverse(name, kwargs={"pk": TOTPDevice.objects.get().pk})
    return reverse(name, kwargs={"object_id": obj.pk})


def test_every_url_has_an_expectation():
    named = {name for name, _p in ALL}
    admin = {n for n in named if n.startswith("admin:")}
    assert named - admin - set(EXPECTED) == set(), "add the new URL to EXPECTED"
    assert set(EXPECTED) - named == set(), "EXPECTED names a URL that no longer exists"
    assert set(POST_EXPECTED) == set(EXPECTED), "every URL needs a POST expectation too"
    assert set(ADMIN_POST_EXCEPTIONS) <= admin, "ADMIN_POST_EXCEPTIONS names a URL that no longer exists"


def _url(name: str, pattern: URLPattern, world, objects) -> str:
    if name.startswith("admin:"):
        return _admin_url(name, pattern, world)
    key, _outcomes = EXPECTED[name]
    target = objects[key] if key else None
    if target is None:
        return reverse(name)
    if name in ("reports:download", "api:report_download"):
        return reverse(name, args=[target.pk, "pdf"])
    if name in ("planning:plan", "planning:apply"):
        return reverse(name, args=[target.code])
    if name.startswith("fhir:") and name.endswith("_vread"):
        return reverse(name, args=[target.pk, target.vid])
    if name == "settlement:download":
        sending, receiving = target
        return reverse(name, args=["2026-10", sending.code, receiving.code, "csv"])
    return reverse(name, args=[target.pk])


def _outcome(response) -> int | str:
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(client, world, objects, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    failures = []
    for name, pattern in ALL:
        if name.startswith("admin:"):
            expected = ADMIN_EXCEPTIONS.get(name, ADMIN)[persona]
        else:
            expected = EXPECTED[name][1][persona]
        url = _url(name, pattern, world, objects)
        got = _outcome(client.get(url))
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


def _csrf_client(world, persona: str) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, logged in as the persona, with a valid token."""
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_matrix(world, objects, persona):
    """Each POST is undone after its answer (a savepoint rolled back, the cookies as before), so every URL
    meets the same objects and the same session: a withdrawal or a logout does not change the next answer."""
    client, token = _csrf_client(world, persona)
    cookies = client.cookies.output(header="", sep="\n")
    failures = []
    for name, pattern in ALL:
        if name.startswith("admin:"):
            expected = ADMIN_POST_EXCEPTIONS.get(name, ADMIN_POST)[persona]
        else:
            expected = POST_EXPECTED[name][persona]
        url = _url(name, pattern, world, objects)
        try:
            with transaction.atomic():
                if name.startswith(("api:", "fhir:")):
                    response = client.post(url, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
                else:
                    response = client.post(url, HTTP_X_CSRFTOKEN=token)
                transaction.set_rollback(True)
            got = _outcome(response)
        except Exception as exc:  # a 500: every failing URL at once, not only the first
            got = f"500 ({type(exc).__name__}: {str(exc)[:120]})"
        client.cookies = SimpleCookie(cookies)
        if got != expected:
            failures.append(f"POST {name} {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


def test_post_without_a_csrf_token_is_refused(world, objects):
    """The token above is what lets the POSTs through: without it the owner's own POST is a 403."""
    client, _token = _csrf_client(world, "unit_staff")
    referral = objects["submitted"]
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": "treated_at_home"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == S.SUBMITTED
