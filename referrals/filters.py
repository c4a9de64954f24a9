from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import MAIN_FOCUS_MIN_ASA, DiagnosisGroup, MedicalPriority
from organisations.models import Hospital, Region, Unit
from referrals.models import FINISHED_STATUSES, Referral, ReferralStatus
from referrals.selectors import QUEUE_STATUSES, handled_by, overdue_condition, waited_too_long_condition
from sot import reference_cache
from sot.widgets import FastSelect


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
    overdue = django_filters.BooleanFilter(
        label=_("Past the care-guarantee deadline"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Referral
        fields = ["status"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(overdue_condition(today=timezone.localdate())) if value else queryset

    def filter_reference(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        value = value.strip().upper()
        if value.isdigit():  # "123" finds SOT-2026-000123
            return queryset.filter(reference__endswith=value.zfill(6))
        return queryset.filter(reference__icontains=value)


HISTORY = "history"
QUEUE_FILTER_MODELS = (DiagnosisGroup, MedicalPriority, Hospital, Unit, Region)


def queue_filter_choices(regions: Any) -> dict[str, list[tuple[int, str]]]:
    """The queue filter's choice lists for the user's SOT regions: (id, label) pairs as the model choice
    fields showed them, and the regions themselves (the page's heading), kept between requests until one
    of the models changes (sot.reference_cache)."""

    def compute() -> dict[str, list[tuple[int, str]]]:
        units = Unit.objects.filter(hospital__region__in=regions).select_related("hospital")
        return {
            "diagnosis_group": [(g.pk, str(g)) for g in DiagnosisGroup.objects.all()],
            "priority": [(p.pk, str(p)) for p in MedicalPriority.objects.all()],
            "hospital": [(h.pk, str(h)) for h in Hospital.objects.filter(region__in=regions).order_by("name")],
            "unit": [(u.pk, str(u)) for u in units.order_by("hospital__name", "name")],
            "regions": [(r.pk, str(r)) for r in Region.objects.filter(pk__in=regions)],
        }

    key = "queue-filter:" + ",".join(str(pk) for pk in sorted(regions))
    return reference_cache.kept(key, compute, models=QUEUE_FILTER_MODELS)


class QueueOrdering(django_filters.OrderingFilter):
    """The queue's sortable columns (`?sort=since`, `?sort=-since`): each parameter orders by one or more
    fields, requests without a value (no handler, no receiving unit) last either way, then by id so that
    pages never overlap."""

    COLUMNS: dict[str, tuple[str, ...]] = {
        "reference": ("reference",),
        "status": ("status_order",),
        "handler": ("handler__last_name", "handler__first_name"),
        "since": ("status_changed_at",),
        "unit": ("sending_unit__hospital__name", "sending_unit__name"),
        "group": ("diagnosis_group__name",),
        "priority": ("priority__sort_order",),
        "asa": ("asa_class",),
        "target": ("medical_target_date",),
        "deadline": ("care_guarantee_deadline",),
        "receiver": ("receiving_unit__hospital__name", "receiving_unit__name"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, fields={param: param for param in self.COLUMNS}, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        ordering: list[Any] = []
        for param in value:
            descending = param.startswith("-")
            for name in self.COLUMNS[param.lstrip("-")]:
                ordering.append(F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True))
        lifecycle = [When(status=status, then=Value(i)) for i, status in enumerate(ReferralStatus.values)]
        return qs.alias(status_order=Case(*lifecycle, output_field=IntegerField())).order_by(*ordering, "id")


class QueueFilter(django_filters.FilterSet):
    """Filters of the SOT queue; hospitals and units are those of the user's own regions. Without a
    status the queue holds the open requests; "history" holds the finished ones."""

    q = django_filters.CharFilter(
        label=_("Reference"),
        method="filter_reference",
        widget=forms.TextInput(attrs={"placeholder": "SOT-2026-000123", "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            *((s.value, s.label) for s in QUEUE_STATUSES),
            (HISTORY, _("History: completed, closed and withdrawn")),
            *((s.value, s.label) for s in FINISHED_STATUSES),
        ],
        empty_label=_("All open"),
        method="filter_status",
        widget=FastSelect,
    )
    # Choice lists of reference data, kept between requests (sot.reference_cache); the values are ids.
    diagnosis_group = django_filters.ChoiceFilter(
        label=_("Diagnosis group"), choices=(), empty_label=_("All groups"), widget=FastSelect
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=(), empty_label=_("All priorities"), widget=FastSelect
    )
    hospital = django_filters.ChoiceFilter(
        label=_("Hospital"),
        field_name="sending_unit__hospital",
        choices=(),
        empty_label=_("All hospitals"),
        widget=FastSelect,
    )
    unit = django_filters.ChoiceFilter(
        label=_("Unit"), field_name="sending_unit", choices=(), empty_label=_("All units"), widget=FastSelect
    )
    mine = django_filters.BooleanFilter(label=_("My requests"), method="filter_mine", widget=forms.CheckboxInput)
    overdue = django_filters.BooleanFilter(
        label=_("Past the care-guarantee deadline"), method="filter_overdue", widget=forms.CheckboxInput
    )
    waited = django_filters.BooleanFilter(
        label=_("Waited too long in its status"), method="filter_waited", widget=forms.CheckboxInput
    )
    main_focus = django_filters.BooleanFilter(
        label=_("SOT main focus only"), method="filter_main_focus", widget=forms.CheckboxInput
    )
    sort = QueueOrdering(label=_("Sort by"))

    CHECKBOXES = ("mine", "overdue", "waited", "main_focus")
    CHOICES = ("diagnosis_group", "priority", "hospital", "unit")  # queue_filter_choices

    class Meta:
        model = Referral
        fields = ["status", "diagnosis_group", "priority"]

    def __init__(self, *args: Any, regions: Any, today: date, user: Any, limits: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.user = user
        self.limits = limits
        self.choices = queue_filter_choices(regions)
        for name, field in self.form.fields.items():
            if name not in self.CHECKBOXES:
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
            if name in self.CHOICES:  # on the form's own field: the form is made from copies of the filters'
                field.choices = self.choices[name]

    @staticmethod
    def open_requests(queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The queue without a status chosen: its open requests (the whole queue, as no filter shows it)."""
        return queryset.filter(status__in=QUEUE_STATUSES)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.form.cleaned_data.get("status"):  # the filter's method is not called for an empty value
            queryset = self.open_requests(queryset)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value == HISTORY:
            return queryset.filter(status__in=FINISHED_STATUSES)
        return queryset.filter(status=value)

    def filter_reference(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return UnitReferralFilter.filter_reference(self, queryset, name, value)

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(handled_by(self.user)) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(overdue_condition(today=self.today)) if value else queryset

    def filter_waited(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(waited_too_long_condition(self.limits, today=self.today)) if value else queryset

    def filter_main_focus(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(priority__is_main_focus=True, asa_class__gte=MAIN_FOCUS_MIN_ASA)
