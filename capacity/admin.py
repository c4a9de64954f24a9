"""Admin for the capacity's one setting: how many days an offer counts as confirmed."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from capacity.models import ConfirmationLimit


@admin.register(ConfirmationLimit)
class ConfirmationLimitAdmin(admin.ModelAdmin):
    """One row (the migration creates it): it can be changed, never added beside it or deleted."""

    list_display = ["__str__"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ConfirmationLimit.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: ConfirmationLimit | None = None) -> bool:
        return False
