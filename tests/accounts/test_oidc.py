"""SITHS sign-in through a real OpenID Connect provider running in the test (accounts/oidc.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import Membership, Role, User
from audit.models import AccessLogEntry
from audit.verification import verify_all
from tests.accounts.oidc_provider import (
    LOA2,
    LOA3,
    Provider,
    authorize_at_provider,
    expired_tokens_provider,
    replace_query,
    running_provider,
    wrong_key_server,
)
from tests.factories import ReferralFactory, member

pytestmark = pytest.mark.django_db(transaction=False)

EMPLOYEE = "SE2321000255-P0001"
UNIT_HSA = "SE2321000255-E0001"
REGION_HSA = "SE2321000255-V0001"
SYSTEM_ROLE: dict[str, str] = {
    Role.UNIT_STAFF: "SOT;Vardpersonal",
    Role.RECEIVING_STAFF: "SOT;Mottagning",
    Role.SOT_REPRESENTATIVE: "SOT;Samordnare",
    Role.HEALTH_DIRECTOR: "SOT;Direktor",
}


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def oidc(settings, provider, world) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    world.home_unit.hsa_id = UNIT_HSA
    world.home_unit.save(update_fields=["hsa_id"])
    world.home_region.hsa_id = REGION_HSA
    world.home_region.save(update_fields=["hsa_id"])
    return provider


def claims(role: str = Role.UNIT_STAFF, **changes: Any) -> dict[str, Any]:
    base = {
        "employeeHsaId": EMPLOYEE,
        "givenName": "Tove",
        "surname": "Almqvist",
        "commissionHsaId": "SE2321000255-C0001",
        "healthCareUnitHsaId": UNIT_HSA,
        "healthCareProviderHsaId": REGION_HSA,
        "systemRole": [SYSTEM_ROLE[role]],
        "acr": LOA3,
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def start(client: Client) -> str:
    answer = client.get("/oidc/authenticate/")
    assert answer.status_code == 302
    return answer["Location"]


def sign_in(client: Client, provider: Provider, user_claims: dict[str, Any], *, sub: str = "tove") -> Any:
    provider.set_user(sub, user_claims)
    return client.get(authorize_at_provider(start(client), sub))


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def assert_refused(answer: Any, words: str) -> None:
    assert answer.status_code == 403
    page = answer.content.decode()
    assert 'data-testid="sign-in-refused"' in page
    assert words in page


def test_authorization_request_uses_pkce_state_and_nonce(client, oidc):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["client_id"] == ["sot-test"]


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.RECEIVING_STAFF])
def test_unit_roles_sign_in_with_membership_in_the_assignments_unit(client, oidc, world, role):
    answer = sign_in(client, oidc, claims(role))
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.hsa_id, user.first_name, user.last_name) == (EMPLOYEE, EMPLOYEE, "Tove", "Almqvist")
    assert not user.has_usable_password()
    memberships = list(Membership.objects.filter(user=user).values_list("role", "unit", "region", "from_sign_in"))
    assert memberships == [(role, world.home_unit.pk, None, True)]
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", [Role.SOT_REPRESENTATIVE, Role.HEALTH_DIRECTOR])
@pytest.mark.parametrize("unit", [None, "SE2321000255-E7777"])  # none, or a unit (an office) not in SOT
def test_region_roles_sign_in_with_membership_in_the_care_provider(client, oidc, world, role, unit):
    answer = sign_in(client, oidc, claims(role, healthCareUnitHsaId=unit))
    assert answer.status_code == 302
    user = signed_in_user(client)
    assert user is not None
    memberships = list(Membership.objects.filter(user=user).values_list("role", "unit", "region"))
    assert memberships == [(role, None, world.home_region.pk)]


def test_unit_staff_reaches_the_units_requests_and_other_regions_stay_hidden(client, oidc, world):
    own = ReferralFactory(sending_unit=world.home_unit)
    other = ReferralFactory(sending_unit=world.neighbour_unit)
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    assert client.get(f"/requests/{own.pk}/").status_code == 200
    assert client.get(f"/requests/{other.pk}/").status_code == 404


def test_every_access_log_entry_after_a_sign_in_names_the_users_hsa_id(client, oidc, world):
    referral = ReferralFactory(sending_unit=world.home_unit)
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    assert client.get(f"/requests/{referral.pk}/").status_code == 200
    assert client.get("/requests/").status_code == 200
    entries = list(AccessLogEntry.objects.filter(user__hsa_id=EMPLOYEE).values_list("user_hsa_id", flat=True))
    assert len(entries) >= 2
    assert set(entries) == {EMPLOYEE}
    assert [problems for model, problems, _rows, _chains in verify_all() if model is AccessLogEntry] == [[]]


def test_a_later_sign_in_replaces_the_sign_in_memberships_and_keeps_the_administrators(client, oidc, world):
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    user = signed_in_user(client)
    assert user is not None
    member(user, Role.RECEIVING_STAFF, world.far_unit)  # added by an administrator
    client.logout()
    sign_in(client, oidc, claims(Role.SOT_REPRESENTATIVE, givenName="Tova"))
    user.refresh_from_db()
    assert user.first_name == "Tova"
    assert sorted(Membership.objects.filter(user=user).values_list("role", "unit", "region", "from_sign_in")) == [
        (Role.RECEIVING_STAFF, world.far_unit.pk, None, False),
        (Role.SOT_REPRESENTATIVE, None, world.home_region.pk, True),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"healthCareUnitHsaId": "SE2321000255-E9999", "healthCareProviderHsaId": None},  # unit not in SOT
        {"healthCareUnitHsaId": None, "healthCareProviderHsaId": "SE2321000255-V9999"},  # provider not in SOT
        {"systemRole": ["Annat;System"]},  # no SOT role
        {"healthCareProviderHsaId": "SE2321000255-V9999"},  # the unit is not the provider's
    ],
)
def test_an_assignment_that_maps_to_nothing_in_sot_is_refused_and_nothing_is_written(client, oidc, changes):
    users, memberships = User.objects.count(), Membership.objects.count()
    answer = sign_in(client, oidc, claims(Role.UNIT_STAFF, **changes))
    assert_refused(answer, "Uppdraget du valde ger inte tillgång till SOT")
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert signed_in_user(client) is None


def test_a_refused_assignment_leaves_an_existing_user_unchanged(client, oidc, world):
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    client.logout()
    answer = sign_in(client, oidc, claims(Role.UNIT_STAFF, givenName="Other", systemRole=["Annat;System"]))
    assert answer.status_code == 403
    user = User.objects.get(hsa_id=EMPLOYEE)
    assert user.first_name == "Tove"
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.UNIT_STAFF]


@pytest.mark.parametrize("acr", [LOA2, None, "urn:unknown"])
def test_weak_or_missing_authentication_is_refused(client, oidc, acr):
    users = User.objects.count()
    answer = sign_in(client, oidc, claims(Role.UNIT_STAFF, acr=acr))
    assert_refused(answer, "SOT kräver stark autentisering")
    assert User.objects.count() == users


def test_the_required_strength_is_a_setting(client, oidc, settings):
    settings.OIDC_REQUIRED_ACR = "http://id.elegnamnden.se/loa/1.0/loa4"
    assert sign_in(client, oidc, claims(Role.UNIT_STAFF)).status_code == 403
    settings.OIDC_REQUIRED_ACR = LOA2
    assert sign_in(client, oidc, claims(Role.UNIT_STAFF, acr=LOA2)).status_code == 302


def test_missing_employee_hsa_id_is_refused(client, oidc):
    answer = sign_in(client, oidc, claims(Role.UNIT_STAFF, employeeHsaId=None))
    assert_refused(answer, "HSA-id")


def test_claim_names_are_settings(client, oidc, settings):
    settings.OIDC_CLAIM_EMPLOYEE_HSA_ID = "hsa"
    user_claims = claims(Role.UNIT_STAFF)
    user_claims["hsa"] = user_claims.pop("employeeHsaId")
    assert sign_in(client, oidc, user_claims).status_code == 302
    assert User.objects.filter(hsa_id=EMPLOYEE).exists()


def test_an_inactive_user_is_refused(client, oidc):
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    client.logout()
    User.objects.filter(hsa_id=EMPLOYEE).update(is_active=False)
    assert_refused(sign_in(client, oidc, claims(Role.UNIT_STAFF)), "avstängt")


def test_an_unknown_state_is_refused(client, oidc):
    oidc.set_user("tove", claims(Role.UNIT_STAFF))
    callback = authorize_at_provider(start(client), "tove")
    answer = client.get(replace_query(callback, state="not-the-state-we-sent"))
    assert_refused(answer, "Inloggningen kunde inte slutföras")
    assert User.objects.filter(hsa_id=EMPLOYEE).count() == 0


def test_a_callback_replayed_is_refused(client, oidc):
    oidc.set_user("tove", claims(Role.UNIT_STAFF))
    callback = authorize_at_provider(start(client), "tove")
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 403


def test_an_id_token_issued_for_another_nonce_is_refused(client, oidc):
    oidc.set_user("tove", claims(Role.UNIT_STAFF))
    authorize = replace_query(start(client), nonce="a-nonce-from-another-request")
    answer = client.get(authorize_at_provider(authorize, "tove"))
    assert_refused(answer, "Inloggningen kunde inte slutföras")
    assert not User.objects.filter(hsa_id=EMPLOYEE).exists()


def test_an_id_token_for_another_client_is_refused(client, oidc, settings):
    oidc.set_user("tove", claims(Role.UNIT_STAFF))
    authorize = replace_query(start(client), client_id="another-client")
    answer = client.get(authorize_at_provider(authorize, "tove"))
    assert answer.status_code == 403
    assert not User.objects.filter(hsa_id=EMPLOYEE).exists()


def test_a_wrongly_signed_id_token_is_refused(client, oidc, settings):
    kid = oidc.jwks()["keys"][0].get("kid")
    with wrong_key_server(kid) as jwks_url:
        settings.OIDC_OP_JWKS_ENDPOINT = jwks_url
        answer = sign_in(client, oidc, claims(Role.UNIT_STAFF))
    assert_refused(answer, "Inloggningen kunde inte slutföras")
    assert not User.objects.filter(hsa_id=EMPLOYEE).exists()


def test_an_expired_id_token_is_refused(client, world, settings):
    with expired_tokens_provider() as expired:
        for name, value in expired.settings().items():
            setattr(settings, name, value)
        world.home_unit.hsa_id = UNIT_HSA
        world.home_unit.save(update_fields=["hsa_id"])
        answer = sign_in(client, expired, claims(Role.UNIT_STAFF))
    assert_refused(answer, "Inloggningen kunde inte slutföras")
    assert not User.objects.filter(hsa_id=EMPLOYEE).exists()


def test_a_provider_that_does_not_answer_gives_a_page_not_an_error(client, oidc, settings):
    oidc.set_user("tove", claims(Role.UNIT_STAFF))
    callback = authorize_at_provider(start(client), "tove")
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens on the discard port
    assert_refused(client.get(callback), "Identitetsutfärdaren gick inte att nå")


def test_logout_ends_the_session_here_and_at_the_provider(client, oidc):
    sign_in(client, oidc, claims(Role.UNIT_STAFF))
    id_token = client.session["oidc_id_token"]
    page = client.get("/").content.decode()
    assert 'action="/oidc/logout/"' in page
    answer = client.post("/oidc/logout/")
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{oidc.url}/oauth2/end_session"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert signed_in_user(client) is None
    assert "oidc_id_token" not in client.session
    assert client.get("/").status_code == 302  # back to the login page


def test_a_local_account_logs_out_as_before(client, oidc, world):
    client.force_login(world.unit_staff)
    assert 'action="/logout/"' in client.get("/").content.decode()


def test_the_login_page_offers_siths_first_when_configured(client, oidc):
    page = client.get("/login/").content.decode()
    assert "Logga in med SITHS-kort" in page
    assert page.index('data-testid="siths-login"') < page.index('name="password"')


def test_without_configuration_there_is_no_siths_login(client, db, settings):
    settings.OIDC_ENABLED = False
    assert "SITHS" not in client.get("/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_a_signed_in_user_starting_again_is_sent_through_the_provider(client, oidc, world):
    client.force_login(world.unit_staff)
    assert start(client).startswith(f"{oidc.url}/oauth2/authorize?")
