"""Messages of our own code as the pages show them, so tests compare with the constant, not a copy of its text."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape


def shown(message, *, language: str = "sv", **params) -> str:
    """A message constant (lazy gettext) as a page or API answer in `language` shows it, with its parameters."""
    with translation.override(language):
        text = str(message)
    return text % params if params else text


def shown_html(message, **params) -> str:
    """The same, escaped as a template writes it into the HTML."""
    return escape(shown(message, **params))
