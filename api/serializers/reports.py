"""Monthly reports as the API shows them, with the addresses of their files."""

from __future__ import annotations

from rest_framework import serializers

from reports.models import MonthlyReport


class ReportSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = ["id", "month", "scope_key", "scope_label", "status", "built_at", "figures", "files"]
        read_only_fields = fields

    def get_month(self, report: MonthlyReport) -> str:
        return f"{report.month:%Y-%m}"

    def get_files(self, report: MonthlyReport) -> dict[str, str]:
        if report.status != "ready":
            return {}
        return {fmt: f"/api/v1/reports/{report.pk}/{fmt}/" for fmt in ("csv", "xlsx", "pdf")}
