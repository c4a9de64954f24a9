"""Obstacles to cooperation: those of the caller's SOT regions, and recording a new one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import signed_in
from accounts.selectors import user_scopes
from api.serializers.obstacles import ObstacleInput, ObstacleSerializer
from api.views.common import run_service, validated
from organisations.models import Region
from referrals import services
from referrals.selectors import obstacles_visible_to


@extend_schema_view(get=extend_schema(operation_id="obstacles_list"))
class ObstacleListCreate(generics.ListAPIView):
    """Obstacles to cooperation recorded for the caller's SOT regions."""

    serializer_class = ObstacleSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return obstacles_visible_to(signed_in(self.request.user))

    @extend_schema(operation_id="obstacles_create", request=ObstacleInput, responses={201: ObstacleSerializer})
    def post(self, request: Request) -> Response:
        user = signed_in(request.user)
        regions = Region.objects.filter(pk__in=user_scopes(user).sot_regions).order_by("name")
        if not regions:
            raise exceptions.PermissionDenied
        data = validated(ObstacleInput, request, regions=regions)
        obstacle = run_service(lambda: services.obstacle_record(by=user, **data))
        return Response(ObstacleSerializer(obstacle).data, status=201)
