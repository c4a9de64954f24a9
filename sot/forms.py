"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


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


NOT_SAVED_YET = gettext_lazy("Not saved yet")
TICK_TO_CONFIRM = gettext_lazy("Tick the box if it is right all the same.")


class WarningsMixin:
    """A form whose rules may warn: possible, but only once the person has confirmed it.

    `warn` turns the (hidden) confirmation field into a checkbox with its label; until it is ticked the
    form is not valid, yet it has no error: `includes/form_errors.html` shows the warning amber
    (`alert-warning`, "Not saved yet"), not the red error summary.
    """

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def full_clean(self) -> None:
        self.warnings: list[tuple[str, str]] = []
        super().full_clean()  # type: ignore[misc]

    def warn(self, name: str, warnings: list[str], *, label: Any) -> None:
        """Warn on `name`, the confirmation field, with `warnings`; `label` (text or lazy text) is the checkbox's."""
        field = self.fields[name]
        field.widget = forms.CheckboxInput()
        # The bound field was made (and its label copied) when the fields were cleaned: set both.
        field.label = self[name].label = label  # type: ignore[index]
        if not self.cleaned_data.get(name):
            self.warnings.extend((name, str(warning)) for warning in warnings)

    def is_valid(self) -> bool:
        return super().is_valid() and not self.warnings  # type: ignore[misc]

    @property
    def warning_list(self) -> list[tuple[forms.BoundField, str]]:
        """Each unconfirmed warning with the checkbox that confirms it."""
        return [(self[name], warning) for name, warning in getattr(self, "warnings", [])]  # type: ignore[index]
