from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from settlement.models import PriceListEntry, ReferralPrice


@admin.register(PriceListEntry)
class PriceListEntryAdmin(admin.ModelAdmin):
    list_display = ("year", "receiving_region", "diagnosis_group", "care_form", "price", "updated_at")
    list_filter = ("year", "receiving_region", "diagnosis_group", "care_form")
    search_fields = ("receiving_region__name", "diagnosis_group__name", "diagnosis_group__code")
    list_select_related = ("receiving_region", "diagnosis_group")
    ordering = ("-year", "receiving_region__name", "diagnosis_group__sort_order", "care_form")


@admin.register(ReferralPrice)
class ReferralPriceAdmin(admin.ModelAdmin):
    """Read only: the price a request carries is copied at its acceptance and never edited."""

    list_display = ("referral", "year", "receiving_region", "diagnosis_group", "care_form", "price", "fixed_at")
    list_filter = ("year", "receiving_region", "diagnosis_group", "care_form")
    list_select_related = ("referral", "receiving_region", "diagnosis_group")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReferralPrice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReferralPrice | None = None) -> bool:
        return False
