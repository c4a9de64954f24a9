"""The request page's paper tools: the print button and, when it can be printed, the patient letter link."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from referrals.access import patient_letter_ready
from referrals.models import Referral
from referrals.selectors import referral_roles

register = template.Library()


@register.inclusion_tag("referrals/_paper.html", takes_context=True)
def paper_tools(context: Any, referral: Referral) -> dict[str, Any]:
    # The rule is referrals.access's, asked with the same roles the download asks with.
    roles = referral_roles(context["request"].user, referral)
    return {
        "referral": referral,
        "letter_ready": patient_letter_ready(status=referral.status, roles=roles),
        "printed_at": timezone.localtime(),
    }
