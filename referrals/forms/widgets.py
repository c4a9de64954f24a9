"""Widgets the forms share."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """A date field typed as digits: the format hint (ÅÅÅÅ-MM-DD) is the date widget's template's, for
    every date field (templates/forms/django/forms/widgets/date.html)."""
    return forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
