""" "Nytt sedan senast": the list of what happened to the user's requests, and marking it read.

No access-log entry: the page shows no patient data (see referrals/news.py), only references and units.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from referrals.news import has_news_feed, news_for, news_mark_read

MARKED_READ = _("The list is marked as read.")
MARK_FAILED = _("The list could not be marked as read. Reload the page and try again.")


@require_GET
@login_required
def news(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_news_feed(request.user):
        raise PermissionDenied
    return render(request, "referrals/news.html", {"news": news_for(request.user)})


@require_POST
@login_required
def news_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_news_feed(request.user):
        raise PermissionDenied
    raw = request.POST.get("until", "").strip()
    until = parse_datetime(raw) if raw else None
    if raw and until is None:
        messages.error(request, MARK_FAILED)
        return redirect("news")
    news_mark_read(user=request.user, until=until)
    messages.success(request, MARKED_READ)
    return redirect("news")
