from django.contrib import admin

from organisations.models import HealthcareRegion, Hospital, Region, Unit


@admin.register(HealthcareRegion)
class HealthcareRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "healthcare_region", "care_guarantee_days"]
    list_filter = ["healthcare_region"]
    search_fields = ["name", "code"]


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "latitude", "longitude"]
    list_filter = ["region__healthcare_region", "region"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "hospital", "specialty", "phone", "function_email", "is_active"]
    list_filter = ["specialty", "is_active", "hospital__region"]
    search_fields = ["name", "code", "hospital__name"]
    list_select_related = ["hospital"]
