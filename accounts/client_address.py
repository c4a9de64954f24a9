"""The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a TLS proxy every request comes from the proxy's address, so throttling by REMOTE_ADDR would
lock an account for everybody. Each trusted proxy appends the address it received the request from to
`X-Forwarded-For`; with TRUSTED_PROXY_COUNT = n the client is the n-th address from the right, the one
the outermost trusted proxy saw. Whatever a client put in the header itself stands further left and is
never read. With n = 0 (the default: no proxy) the header is ignored altogether and REMOTE_ADDR counts.
A header shorter than n, or an entry that is not an IP address, means the request did not come through
the proxies: REMOTE_ADDR counts then too.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
