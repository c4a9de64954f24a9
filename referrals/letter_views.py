"""The patient letter as a PDF download. Who may print it, and when, is decided in referrals.access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from accounts.requests import AuthenticatedHttpRequest
from referrals.access import PATIENT_LETTER_NOT_YET, patient_letter_for
from referrals.letter import patient_letter_filename, patient_letter_pdf


@require_GET
@login_required
def patient_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral, ready = patient_letter_for(request, pk)
    if not ready:  # not yet accepted: back to the request with what is missing, not an error
        messages.info(request, PATIENT_LETTER_NOT_YET)
        return redirect("referrals:detail", pk=referral.pk)
    response = HttpResponse(patient_letter_pdf(referral), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{patient_letter_filename(referral)}"'
    # The project's NoStoreMiddleware adds no-store to every response; said here too, since this one is a file
    # a browser would otherwise be free to keep.
    response["Cache-Control"] = "no-store"
    return response
