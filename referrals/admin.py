"""Admin for the SOT queue's wait limits: how many working days a request may stay in a status."""

from django.contrib import admin

from referrals.models import StateWaitLimit


@admin.register(StateWaitLimit)
class StateWaitLimitAdmin(admin.ModelAdmin):
    list_display = ["status", "working_days"]
    list_editable = ["working_days"]
