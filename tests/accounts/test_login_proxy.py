"""Login throttling behind the TLS proxy (README, "Production"): failures lock a username from one client's
address, read from X-Forwarded-For only behind TRUSTED_PROXY_COUNT proxies; a forged header counts for nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.client_address import client_ip_address

PROXY = "10.0.0.2"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"
RIGHT, WRONG = "secret-password-1", "wrong"  # the factories' password


def _login(client: Client, username: str, password: str, *, remote: str, forwarded: str = "") -> int:
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_five_failures_lock_the_user_from_that_client_only(world, behind_one_proxy):
    client = Client()
    statuses = [_login(client, "staff", WRONG, remote=PROXY, forwarded=CLIENT_A) for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert _login(client, "staff", RIGHT, remote=PROXY, forwarded=CLIENT_A) == 429  # locked from A
    assert _login(Client(), "staff", RIGHT, remote=PROXY, forwarded=CLIENT_B) == 302  # B, same proxy: logs in
    assert _login(Client(), "sot", RIGHT, remote=PROXY, forwarded=CLIENT_A) == 302  # another user from A


def test_a_client_cannot_escape_its_lockout_by_forging_the_header(world, behind_one_proxy):
    """The proxy appends the address it saw; what the client wrote stands to the left and is never read."""
    client = Client()
    for n in range(5):
        _login(client, "staff", WRONG, remote=PROXY, forwarded=f"192.0.2.{n}, {CLIENT_A}")
    assert _login(client, "staff", RIGHT, remote=PROXY, forwarded=f"192.0.2.99, {CLIENT_A}") == 429


def test_without_a_trusted_proxy_the_header_is_ignored(world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):  # a different forged address each time, all from one real address
        _login(client, "staff", WRONG, remote=CLIENT_A, forwarded=f"192.0.2.{n}")
    assert _login(client, "staff", RIGHT, remote=CLIENT_A, forwarded="192.0.2.200") == 429
    assert _login(Client(), "staff", RIGHT, remote=CLIENT_B) == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", CLIENT_A),  # no proxy: REMOTE_ADDR
        (1, f"192.0.2.1, {CLIENT_B}", CLIENT_B),  # the address the proxy saw
        (2, f"192.0.2.1, {CLIENT_B}, 10.0.0.9", CLIENT_B),  # two proxies
        (2, CLIENT_B, CLIENT_A),  # fewer entries than proxies: not through them
        (1, "not-an-address", CLIENT_A),
        (1, "", CLIENT_A),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected


def test_the_lockout_is_per_user_and_address(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.client_address.client_ip_address"
