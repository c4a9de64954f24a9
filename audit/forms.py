import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sot.personal_numbers import normalize_personal_number


class PatientSearchForm(forms.Form):
    """The administrator's search of the access log by patient. Sent by POST: a personnummer in an address
    would end up in the browser's history and in every server and proxy log on the way."""

    personal_number = forms.CharField(
        label=_("Patient's personnummer or samordningsnummer"),
        max_length=20,
        help_text=_(
            "Any accepted format: 19121212-1212, 121212-1212 or 1212121212. Ten digits without + find the "
            "patients of both possible centuries."
        ),
    )

    def clean_personal_number(self) -> list[str]:
        """The 12-digit numbers the input may mean. Ten digits carry no century: by the rule '-' means
        younger than 100, but people over 100 are often written with '-' too, and an access-log search
        that misses them would suggest nobody read the record. So both centuries are searched."""
        typed = self.cleaned_data["personal_number"]
        number = normalize_personal_number(typed)
        if len(re.sub(r"\D", "", typed)) == 12 or "+" in typed:
            return [number]
        return [number, f"{int(number[:2]) - 1:02d}{number[2:]}"]
