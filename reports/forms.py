from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.months import month_label
from reports.scopes import scope_from_key


def past_months(count: int = 13) -> list[date]:
    first = timezone.localdate().replace(day=1)
    months = []
    for _i in range(count):
        first = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


class BuildReportForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=date.fromisoformat)
    scope = forms.ChoiceField(label=_("Scope"))

    def __init__(self, *args: Any, scopes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["month"]).choices = [
            (m.isoformat(), month_label(m)) for m in past_months()
        ]
        cast(forms.ChoiceField, self.fields["scope"]).choices = [(s.key, s.label) for s in scopes]
        if len(scopes) == 1:
            self.fields["scope"].widget = forms.HiddenInput()
            self.fields["scope"].initial = scopes[0].key

    def clean_scope(self) -> Any:
        return scope_from_key(self.cleaned_data["scope"])


class FiguresForm(forms.Form):
    """The figures page's month ("2026-10", any month that has ended) and scope, from the query string."""

    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, *args: Any, scopes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = [(s.key, s.label) for s in scopes]
        self.fields["month"].widget.attrs["max"] = f"{past_months(1)[0]:%Y-%m}"

    def clean_month(self) -> date:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return past_months(1)[0]
        try:
            month = date.fromisoformat(f"{value[:7]}-01") if len(value) == 7 else None
        except ValueError:
            month = None
        if month is None:
            raise forms.ValidationError(_("Give the month as year and month, for example 2026-10."))
        if month > past_months(1)[0]:
            raise forms.ValidationError(_("Choose a month that has ended."))
        if month.year < 2000:
            raise forms.ValidationError(_("Choose a month from 2000 onwards."))
        return month
