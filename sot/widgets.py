"""Widgets written in Python instead of templates, for the pages that render many options on every view."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """Django's single `<select>` with the markup its templates write (`widgets/select.html`), written here:
    the SOT queue's filters hold a hundred options, and Django's per-option context and template were a
    fifth of the page's time. Every value and label is escaped (stdlib `html.escape`, quotes included);
    the attributes go through Django's `flatatt`, which escapes them too."""

    allow_multiple_selected = False

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = self.format_value(value)
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):  # an optgroup: (group name, [(value, label), ...])
                parts.append(f'\n  <optgroup label="{escape(str(option_value))}">')
                for sub_value, sub_label in option_label:
                    has_selected = self._option(parts, sub_value, sub_label, selected, has_selected)
                parts.append("\n  </optgroup>")
            else:
                has_selected = self._option(parts, option_value, option_label, selected, has_selected)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every part above is escaped)

    @staticmethod
    def _option(parts: list[str], value: Any, label: Any, selected: list[str], has_selected: bool) -> bool:
        text = "" if value is None else str(value)
        # As Django's ChoiceWidget: the first option whose value is among the selected is selected, only it.
        is_selected = not has_selected and text in selected
        parts.append(
            f'\n  <option value="{escape(text)}"{" selected" if is_selected else ""}>{escape(str(label))}</option>'
        )
        return has_selected or is_selected
