"""Monthly reports: those the caller may read, and their files."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.requests import signed_in
from api.serializers.reports import ReportSerializer
from reports.files import report_file_response
from reports.selectors import report_get_for, reports_visible_to


@extend_schema_view(get=extend_schema(operation_id="reports_list"))
class ReportList(generics.ListAPIView):
    """Monthly reports of the caller's region or healthcare region (health directors, administrators)."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return reports_visible_to(signed_in(self.request.user))


class ReportDownload(APIView):
    @extend_schema(
        operation_id="reports_download",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["csv", "xlsx", "pdf"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int, fmt: str) -> FileResponse:
        """The report file (aggregates only, no personal data)."""
        return report_file_response(report_get_for(signed_in(request.user), pk=pk), fmt)
