from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import MAIN_FOCUS_MIN_ASA, DiagnosisGroup, MedicalPriority
from organisations.models import Hospital, Unit
from referrals.models import Referral, ReferralStatus
from referrals.selectors import QUEUE_STATUSES


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

    def filter_reference(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        value = value.strip().upper()
        if value.isdigit():  # "123" finds SOT-2026-000123
            return queryset.filter(reference__endswith=value.zfill(6))
        return queryset.filter(reference__icontains=value)


class QueueFilter(django_filters.FilterSet):
    """Filters of the SOT queue; hospitals and units are those of the user's own regions."""

    q = django_filters.CharFilter(
        label=_("Reference"),
        method="filter_reference",
        widget=forms.TextInput(attrs={"placeholder": "SOT-2026-000123", "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in QUEUE_STATUSES],
        empty_label=_("All open"),
    )
    diagnosis_group = django_filters.ModelChoiceFilter(
        label=_("Diagnosis group"), queryset=DiagnosisGroup.objects.all(), empty_label=_("All groups")
    )
    priority = django_filters.ModelChoiceFilter(
        label=_("Priority"), queryset=MedicalPriority.objects.all(), empty_label=_("All priorities")
    )
    hospital = django_filters.ModelChoiceFilter(
        label=_("Hospital"),
        field_name="sending_unit__hospital",
        queryset=Hospital.objects.none(),
        empty_label=_("All hospitals"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="sending_unit", queryset=Unit.objects.none(), empty_label=_("All units")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Past the care-guarantee deadline"), method="filter_overdue", widget=forms.CheckboxInput
    )
    main_focus = django_filters.BooleanFilter(
        label=_("SOT main focus only"), method="filter_main_focus", widget=forms.CheckboxInput
    )

    class Meta:
        model = Referral
        fields = ["status", "diagnosis_group", "priority"]

    def __init__(self, *args: Any, regions: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name, field in self.form.fields.items():
            if name not in ("overdue", "main_focus"):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
        self.filters["hospital"].queryset = Hospital.objects.filter(region__in=regions).order_by("name")
        self.filters["unit"].queryset = (
            Unit.objects.filter(hospital__region__in=regions)
            .select_related("hospital")
            .order_by("hospital__name", "name")
        )

    def filter_reference(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return UnitReferralFilter.filter_reference(self, queryset, name, value)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(care_guarantee_deadline__lt=self.today) if value else queryset

    def filter_main_focus(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(priority__is_main_focus=True, asa_class__gte=MAIN_FOCUS_MIN_ASA)
