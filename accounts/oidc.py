"""Sign-in with SITHS through the region's OpenID Connect provider (Inera's IdP or the region's own).

mozilla-django-oidc does the protocol: the authorization code flow with PKCE, state and nonce kept in the
session and checked, the ID token's signature checked against the provider's published keys (RS256).
This module adds what SOT needs on top, by subclassing:

- the ID token's audience, issuer and expiry are checked too, and any broken token is a refused sign-in;
- the claims (names from settings, Inera's by default) must carry the employee HSA-id and an
  authentication at least as strong as `OIDC_REQUIRED_ACR`;
- the assignment the user chose (care unit and care provider HSA-ids, system role) must map to a unit or
  region of SOT and to a role (`OIDC_ROLE_MAP`); the user's sign-in memberships are replaced by it;
- anything refused shows a Swedish page (403) and creates or changes nothing.

Nothing here logs a token or a claim: only the reason's code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

from accounts.models import REGION_ROLES, UNIT_ROLES, Membership, Role, User
from organisations.hsa import HSA_ID_MAX_LENGTH, HSA_ID_PATTERN, normalise_hsa_id
from organisations.models import Region, Unit

logger = logging.getLogger(__name__)

# Authentication strengths in order (Sweden's "tillitsnivåer" as the Swedish eID framework names them,
# and eIDAS's). A value not listed is weaker than any listed: it never satisfies a requirement.
LOA_URI = "http://id.elegnamnden.se/loa/1.0/"
ACR_STRENGTH = {
    f"{LOA_URI}loa1": 1,
    f"{LOA_URI}loa2": 2,
    f"{LOA_URI}loa3": 3,
    f"{LOA_URI}loa3-sigmessage": 3,
    f"{LOA_URI}eidas-sub": 3,
    f"{LOA_URI}loa4": 4,
    f"{LOA_URI}loa4-sigmessage": 4,
    f"{LOA_URI}eidas-high": 4,
    "http://eidas.europa.eu/LoA/low": 1,
    "http://eidas.europa.eu/LoA/substantial": 3,
    "http://eidas.europa.eu/LoA/high": 4,
}

# Why a sign-in was refused: the code is logged, the words are shown.
REFUSALS = {
    "failed": _(
        "The sign-in could not be completed. It may have taken too long or been started in another window. "
        "Please try again."
    ),
    "provider": _("The identity provider could not be reached. Please try again in a moment."),
    "identity": _("The identity provider did not send your HSA-id, so SOT cannot tell who you are."),
    "weak": _(
        "SOT requires strong authentication. Sign in with your SITHS card (or another e-identification "
        "of at least the same strength)."
    ),
    "assignment": _(
        "The assignment you chose does not give access to SOT: its care unit or care provider is not in SOT, "
        "or it has no SOT role. Sign in again and choose another assignment, or ask your region's SOT "
        "administrator."
    ),
    "inactive": _("Your SOT account is switched off. Ask your region's SOT administrator."),
}


class SignInRefused(PermissionDenied):
    """A sign-in SOT refuses; `auth.authenticate` stops at it (PermissionDenied) and nothing is written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Assignment:
    """What the chosen assignment gives in SOT: each role with its unit or region."""

    hsa_id: str
    first_name: str
    last_name: str
    grants: tuple[tuple[str, Unit | None, Region | None], ...]


def _claim(claims: dict[str, Any], setting: str) -> str:
    value = claims.get(getattr(settings, setting))
    if isinstance(value, list):  # a single-valued claim sent as a list
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _hsa_claim(claims: dict[str, Any], setting: str) -> str:
    value = normalise_hsa_id(_claim(claims, setting))
    return value if len(value) <= HSA_ID_MAX_LENGTH and re.fullmatch(HSA_ID_PATTERN, value) else ""


def acr_is_strong_enough(acr: str) -> bool:
    required = ACR_STRENGTH.get(settings.OIDC_REQUIRED_ACR)
    if required is None:  # a required value SOT does not rank: only exactly that value passes
        return bool(acr) and acr == settings.OIDC_REQUIRED_ACR
    return ACR_STRENGTH.get(acr, 0) >= required


def assignment_from_claims(claims: dict[str, Any]) -> Assignment:
    """The chosen assignment in SOT's terms, or SignInRefused. Reads the database, writes nothing."""
    hsa_id = _hsa_claim(claims, "OIDC_CLAIM_EMPLOYEE_HSA_ID")
    if not hsa_id:
        raise SignInRefused("identity")
    if not acr_is_strong_enough(_claim(claims, "OIDC_CLAIM_ACR")):
        raise SignInRefused("weak")
    system_roles = claims.get(settings.OIDC_CLAIM_SYSTEM_ROLE) or []
    if isinstance(system_roles, str):
        system_roles = [system_roles]
    roles = sorted({settings.OIDC_ROLE_MAP[value] for value in system_roles if value in settings.OIDC_ROLE_MAP})
    unit_hsa_id = _hsa_claim(claims, "OIDC_CLAIM_UNIT_HSA_ID")
    provider_hsa_id = _hsa_claim(claims, "OIDC_CLAIM_CARE_PROVIDER_HSA_ID")
    unit = Unit.objects.select_related("hospital__region").filter(hsa_id=unit_hsa_id).first() if unit_hsa_id else None
    region = Region.objects.filter(hsa_id=provider_hsa_id).first() if provider_hsa_id else None
    if provider_hsa_id and region is None:
        raise SignInRefused("assignment")  # a care provider SOT does not know
    if unit is not None and region is not None and unit.hospital.region_id != region.pk:
        raise SignInRefused("assignment")  # the unit is not the care provider's: not one assignment
    if region is None and unit is not None:
        region = unit.hospital.region
    grants: list[tuple[str, Unit | None, Region | None]] = []
    for role in roles:
        if role in UNIT_ROLES and unit is not None:
            grants.append((role, unit, None))
        elif (role in REGION_ROLES or role == Role.HEALTH_DIRECTOR) and region is not None:
            grants.append((role, None, region))
    if not grants:
        raise SignInRefused("assignment")
    return Assignment(
        hsa_id=hsa_id,
        first_name=_claim(claims, "OIDC_CLAIM_GIVEN_NAME")[:150],
        last_name=_claim(claims, "OIDC_CLAIM_FAMILY_NAME")[:150],
        grants=tuple(grants),
    )


def _apply(user: User, assignment: Assignment) -> None:
    user.first_name, user.last_name = assignment.first_name, assignment.last_name
    user.save(update_fields=["first_name", "last_name"])
    Membership.objects.filter(user=user, from_sign_in=True).delete()
    for role, unit, region in assignment.grants:
        membership, created = Membership.objects.get_or_create(user=user, role=role, unit=unit, region=region)
        if created:
            membership.from_sign_in = True
            membership.save(update_fields=["from_sign_in"])


class SithsBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with users found by their employee HSA-id and roles from the assignment."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.OIDC_ENABLED or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().verify_token(token, **kwargs)
        except jwt.PyJWTError as exc:  # a malformed token or header, or no matching key
            raise SuspiciousOperation("ID token not valid") from exc

    def retrieve_matching_jwk(self, token: str) -> Any:
        """The key named by the token's "kid" (the library's way); for a token without one, the provider's
        only RS256 signing key (several keys and no "kid" cannot be told apart: refused)."""
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        answer = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        answer.raise_for_status()
        keys = [
            key
            for key in answer.json().get("keys", [])
            if key.get("kty") == "RSA" and key.get("use", "sig") == "sig" and key.get("alg", "RS256") == "RS256"
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("No single signing key for a token without a key id")
        return jwt.PyJWK(keys[0])

    def get_payload_data(self, token: str, key: Any) -> dict[str, Any]:
        """The ID token's claims once its signature, audience, issuer and expiry are right; never alg "none"."""
        try:
            alg = jwt.get_unverified_header(token).get("alg")
            if alg != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation("ID token algorithm not accepted")
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                options={"require": ["exp", "iat", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:  # wrong signature, expired, wrong audience or issuer
            raise SuspiciousOperation("ID token not valid") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The userinfo endpoint's claims, with the signed ID token's on top (its "acr" counts)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject")
            claims = {**userinfo, **payload}
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        try:
            self.assignment = assignment_from_claims(claims)
        except SignInRefused as refused:
            self.request.sot_sign_in_refused = refused.reason
            raise
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return self.UserModel.objects.filter(hsa_id=self.assignment.hsa_id)

    def create_user(self, claims: dict[str, Any]) -> User:
        with transaction.atomic():
            user = User.objects.create(
                username=self.assignment.hsa_id, hsa_id=self.assignment.hsa_id, password=make_password(None)
            )
            _apply(user, self.assignment)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        if not user.is_active:
            self.request.sot_sign_in_refused = "inactive"
            raise SignInRefused("inactive")
        with transaction.atomic():
            _apply(user, self.assignment)
        return user


def refused_page(request: HttpRequest, reason: str) -> HttpResponse:
    logger.info("SITHS sign-in refused: %s", reason)
    request.session.pop("oidc_id_token", None)
    message = REFUSALS.get(reason, REFUSALS["failed"])
    return render(request, "registration/sign_in_refused.html", {"message": message}, status=403)


class SithsAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE's code challenge in the request)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class SithsCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: a signed-in user, or the Swedish page saying why not."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:  # unknown state, wrong nonce, a token that does not verify
            return refused_page(request, "failed")
        except requests.RequestException:
            return refused_page(request, "provider")

    def login_failure(self) -> HttpResponse:
        return refused_page(self.request, getattr(self.request, "sot_sign_in_refused", "failed"))


class SithsLogoutView(OIDCLogoutView):
    """Ends SOT's session, then the provider's (RP-initiated logout) when the user signed in there."""


def provider_logout_url(request: HttpRequest) -> str:
    """The provider's end-session address with the ID token as hint; SOT's login page if there is none."""
    after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not settings.OIDC_OP_LOGOUT_ENDPOINT or not id_token:
        return after
    query = urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": after, "client_id": settings.OIDC_RP_CLIENT_ID}
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
