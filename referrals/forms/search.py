"""The patient search form: one field, sent by POST (a personnummer in an address would end up in the
browser's history and in every server and proxy log on the way)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.search import SearchQuery, search_query_parse


class PatientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search patient (personnummer or name)"), required=False, max_length=100)

    def clean_q(self) -> SearchQuery:
        return search_query_parse(self.cleaned_data["q"])
