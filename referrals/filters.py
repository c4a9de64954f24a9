import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral, ReferralStatus


class UnitReferralFilter(django_filters.FilterSet):
    """Filters of the unit's list: status, and the reference (the only identifier allowed in a URL)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReferralStatus.choices, empty_label=_("All statuses")
    )
    q = django_filters.CharFilter(
        label=_("Reference"),
        method="filter_reference",
        widget=forms.TextInput(attrs={"placeholder": "SOT-2026-000123", "type": "search"}),
    )

    class Meta:
        model = Referral
        fields = ["status"]

    def filter_reference(self, queryset, name, value):
        value = value.strip().upper()
        if value.isdigit():  # "123" finds SOT-2026-000123
            return queryset.filter(reference__endswith=value.zfill(6))
        return queryset.filter(reference__icontains=value)
