"""The bare view `make bench-load` compares the pages with: a constant answer through every middleware,
no template, no session read, no database. Routed only when BENCH_BARE_VIEW is on (sot/urls.py), which
only the benchmark's own server sets; in production the address does not exist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

BODY = b"ok\n"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/plain")
