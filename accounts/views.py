from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.dashboard import start_panels
from accounts.selectors import user_scopes


@require_GET
def healthz(request):
    """For load balancers and the load benchmark: the app answers, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@login_required
def home(request):
    """The start page: one panel for each role the user holds, saying what that role can do."""
    scopes = user_scopes(request.user)
    panels = start_panels(request.user, today=timezone.localdate())
    return render(
        request,
        "accounts/home.html",
        {"panels": panels, "is_administrator": scopes.is_administrator},
    )
