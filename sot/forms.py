"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: each message next to its field, the rest on top.

    `aliases` maps a model field to the form field that should carry its message (the diagnosis
    group is decided by the ICD-10 code the user typed, for instance).
    """
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        target = aliases.get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
