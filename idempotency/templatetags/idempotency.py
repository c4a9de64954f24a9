"""`{% form_token %}`: the one-time token every POST form carries (see idempotency.middleware)."""

from __future__ import annotations

import secrets

from django import template
from django.utils.html import format_html

from idempotency.middleware import FORM_FIELD

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A new random token each time a form is shown: sending that form twice is one submission."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, secrets.token_urlsafe(24))
