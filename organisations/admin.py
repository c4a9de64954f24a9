from django.contrib import admin

from organisations.models import HealthcareRegion, Hospital, Region, Unit


@admin.register(HealthcareRegion)
class HealthcareRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "hsa_id"]
    search_fields = ["name", "code", "hsa_id"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "hsa_id", "healthcare_region", "care_guarantee_days"]
    list_filter = ["healthcare_region"]
    search_fields = ["name", "code", "hsa_id"]


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ["name", "hsa_id", "region", "latitude", "longitude"]
    list_filter = ["region__healthcare_region", "region"]
    search_fields = ["name", "code", "hsa_id"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "hsa_id", "hospital", "specialty", "phone", "function_email", "is_active"]
    list_filter = ["specialty", "is_active", "hospital__region"]
    search_fields = ["name", "code", "hsa_id", "hospital__name"]
    list_select_related = ["hospital"]
