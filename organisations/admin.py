from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organisations.models import HealthcareRegion, Hospital, Region, Unit


@admin.register(HealthcareRegion)
class HealthcareRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "hsa_id"]
    search_fields = ["name", "code", "hsa_id"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Whether a region takes part in SOT is set here: ticked with the day it starts, in the form or for
    several regions at once with the actions."""

    list_display = ["name", "code", "hsa_id", "healthcare_region", "takes_part", "joined_on", "care_guarantee_days"]
    list_filter = ["takes_part", "healthcare_region"]
    search_fields = ["name", "code", "hsa_id"]
    fieldsets = [
        (None, {"fields": ["code", "name", "healthcare_region", "hsa_id", "care_guarantee_days"]}),
        (_("Taking part in SOT"), {"fields": ["takes_part", "joined_on"]}),
    ]
    actions = ["take_part_from_today", "stop_taking_part"]

    @admin.action(description=_("Let the selected regions take part in SOT from today"))
    def take_part_from_today(self, request: HttpRequest, queryset: QuerySet[Region]) -> None:
        # A region that takes part already keeps the day it joined.
        n = self._change(request, queryset.filter(takes_part=False), takes_part=True, joined_on=timezone.localdate())
        message = ngettext("%(n)s region takes part from today.", "%(n)s regions take part from today.", n)
        self.message_user(request, message % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Stop the selected regions taking part in SOT"))
    def stop_taking_part(self, request: HttpRequest, queryset: QuerySet[Region]) -> None:
        n = self._change(request, queryset.filter(takes_part=True), takes_part=False)
        message = ngettext(
            "%(n)s region no longer takes part; what was proposed to or accepted by its units stays.",
            "%(n)s regions no longer take part; what was proposed to or accepted by their units stays.",
            n,
        )
        self.message_user(request, message % {"n": n}, messages.SUCCESS)

    def _change(self, request: HttpRequest, regions: QuerySet[Region], **values: object) -> int:
        """Each region saved and written to the admin's history, as a change in the form would be."""
        changed = list(regions)
        for region in changed:
            for name, value in values.items():
                setattr(region, name, value)
            region.save(update_fields=list(values))
            self.log_change(request, region, [{"changed": {"fields": list(values)}}])
        return len(changed)


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "hsa_id", "region", "latitude", "longitude"]
    list_filter = ["region__healthcare_region", "region"]
    search_fields = ["name", "code", "town", "hsa_id"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "hsa_id", "hospital", "specialty", "phone", "function_email", "is_active"]
    list_filter = ["specialty", "is_active", "hospital__region"]
    search_fields = ["name", "code", "hsa_id", "hospital__name"]
    list_select_related = ["hospital"]
