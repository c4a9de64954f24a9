"""Widgets the forms share."""

from __future__ import annotations

from django import forms

DATE_PLACEHOLDER = "ÅÅÅÅ-MM-DD"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off"})
