"""The SOT representative's queue: the region's requests, filtered, sorted and paged."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from audit.services import access_record_many
from organisations.models import Region
from referrals.clock import WaitStatus
from referrals.filters import QueueFilter
from referrals.models import Referral
from referrals.selectors import sot_queue, status_counts, wait_status_of

PAGE_SIZE = 25


@require_GET
@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = user_scopes(request.user).sot_regions
    if not regions:
        raise PermissionDenied
    today = timezone.localdate()
    base = sot_queue(request.user, today=today)
    filterset = QueueFilter(request.GET or None, queryset=base, regions=regions, today=today)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _logged_rows(request, page.object_list, today, "work:queue"),
            "counts": status_counts(base),
            "regions": Region.objects.filter(pk__in=regions),
            "query": query.urlencode(),
        },
    )


def _logged_rows(
    request: AuthenticatedHttpRequest, referrals: Any, today: date, what: str
) -> list[tuple[Referral, WaitStatus]]:
    access_record_many(user=request.user, referrals=referrals, what=what)
    return [(r, wait_status_of(r, today=today)) for r in referrals]
