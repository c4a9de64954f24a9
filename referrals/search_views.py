"""The patient search page: access, form, one search, response."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.requests import AuthenticatedHttpRequest
from referrals.forms.search import PatientSearchForm
from referrals.search import may_search, patient_search


@require_http_methods(["GET", "POST"])
@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET shows the form, POST searches. What is typed is read from the POST body only, never the address."""
    if not may_search(request.user):
        raise PermissionDenied
    form = PatientSearchForm(request.POST if request.method == "POST" else None)
    result = None
    if form.is_bound and form.is_valid():
        result = patient_search(user=request.user, query=form.cleaned_data["q"])
    return render(request, "referrals/search.html", {"search_form": form, "result": result})
