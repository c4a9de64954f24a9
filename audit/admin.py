"""Administrators review the access log by patient, by user and by period, and export it. Read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AccessAction, AccessLogEntry
from sot.tabular import csv_writer


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "role", "place", "action", "patient", "referral", "what"]
    list_filter = ["action", "role", ("at", admin.DateFieldListFilter)]
    search_fields = ["=patient__personal_number", "user__username", "user__last_name", "=referral__reference"]
    search_help_text = _("Search by personnummer (12 digits), username or reference.")
    date_hierarchy = "at"
    list_select_related = ["user", "patient", "referral"]
    actions = ["export_csv"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected entries (CSV)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sot-atkomstlogg-{timezone.localdate():%Y-%m-%d}.csv"'
        response.write("\ufeff")
        # Names, places and pages are text, never a formula (sot/tabular.py); `;` for Swedish Excel.
        writer = csv_writer(response)
        writer.writerow(["tid", "användare", "roll", "enhet/region", "åtgärd", "patient", "begäran", "sida"])
        entries = list(queryset.select_related("user", "patient", "referral"))
        for e in entries:
            writer.writerow(
                [
                    f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}",
                    e.user.username,
                    e.role,
                    e.place,
                    e.get_action_display(),
                    e.patient.personal_number,
                    e.referral.reference if e.referral else "",
                    e.what,
                ]
            )
        # Exporting the log shows patient identities: that is itself logged.
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                user=request.user,
                role="administrator",
                place="",
                patient_id=patient_id,
                action=AccessAction.EXPORT,
                what="access log export",
            )
            for patient_id in {e.patient_id for e in entries}
        )
        return response
