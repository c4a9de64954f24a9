"""A real OpenID Connect provider for the tests (oidc-provider-mock, in a thread on a free port), and a
way through its authorize page as a browser would go, plus a key server publishing the wrong key."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from joserfc.jwk import KeySet, RSAKey
from oidc_provider_mock import run_server_in_thread

from sot.security_headers import CONTENT_SECURITY_POLICY, allowing_form_action_to

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider speaks plain HTTP on loopback

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
CLIENT_ID = "sot-test"


@dataclass
class Provider:
    url: str

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ENABLED": True,
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/oauth2/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/oauth2/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/oauth2/end_session",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": "test-secret",
            "CONTENT_SECURITY_POLICY": allowing_form_action_to(CONTENT_SECURITY_POLICY, self.url),
        }

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def jwks(self) -> dict[str, Any]:
        return requests.get(f"{self.url}/jwks", timeout=5).json()


@contextmanager
def running_provider(**options: Any) -> Iterator[Provider]:
    with run_server_in_thread(**options) as server:
        yield Provider(url=f"http://localhost:{server.server_port}")


def expired_tokens_provider() -> Any:
    """A provider whose ID tokens have expired when they are issued."""
    return running_provider(access_token_max_age=timedelta(seconds=-30))


def replace_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def authorize_at_provider(authorize_url: str, sub: str) -> str:
    """What the user does on the provider's page (types the sub, presses authorize): the callback's path."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    location = urlsplit(answer.headers["Location"])
    return f"{location.path}?{location.query}"


@contextmanager
def wrong_key_server(kid: str | None) -> Iterator[str]:
    """A JWKS endpoint publishing another RSA key under the provider's key id: its tokens do not verify."""
    parameters: Any = {"use": "sig", **({"kid": kid} if kid else {})}
    keys = json.dumps(KeySet([RSAKey.generate_key(2048, parameters=parameters)]).as_dict()).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(keys)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/jwks"
    finally:
        server.shutdown()
        server.server_close()
