"""Error pages. The API answers with problem details; pages with the ordinary templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "https://sot.example.org/problems/not-found", "title": "Not found", "status": 404},
            status=404,
            content_type="application/problem+json",
        )
    return page_not_found(request, exception)
