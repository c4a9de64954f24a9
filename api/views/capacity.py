"""Receiving units' capacity: their offers, publishing new ones, changing slots, withdrawing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.requests import signed_in
from api.serializers.capacity import CapacityOfferInput, CapacityOfferSerializer, SlotsInput
from api.views.common import run_service, validated
from capacity import services as capacity_services
from capacity.selectors import offer_get_for, offers_of_units, receiving_units_of


@extend_schema_view(get=extend_schema(operation_id="capacity_offers_list"))
class CapacityOfferListCreate(generics.ListAPIView):
    """The caller's units' capacity offers from this week on; receiving-unit staff publish new ones."""

    serializer_class = CapacityOfferSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return offers_of_units(signed_in(self.request.user), today=timezone.localdate())

    @extend_schema(
        operation_id="capacity_offers_create",
        request=CapacityOfferInput,
        responses={201: CapacityOfferSerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        user = signed_in(request.user)
        units = receiving_units_of(user)
        if not units:
            raise exceptions.PermissionDenied
        data = validated(CapacityOfferInput, request, units=units)
        offers = run_service(lambda: capacity_services.capacity_publish(by=user, **data))
        return Response(CapacityOfferSerializer(offers, many=True).data, status=201)


class CapacityOfferDetail(APIView):
    @extend_schema(
        operation_id="capacity_offers_partial_update", request=SlotsInput, responses={200: CapacityOfferSerializer}
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the number of slots (never below what is reserved)."""
        user = signed_in(request.user)
        offer = offer_get_for(user, pk=pk)
        data = validated(SlotsInput, request)
        offer = run_service(lambda: capacity_services.capacity_change_slots(by=user, offer=offer, **data))
        return Response(CapacityOfferSerializer(offer).data)


class CapacityOfferWithdraw(APIView):
    @extend_schema(operation_id="capacity_offers_withdraw", request=None, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw an offer nobody has reserved from."""
        user = signed_in(request.user)
        offer = offer_get_for(user, pk=pk)
        run_service(lambda: capacity_services.capacity_withdraw(by=user, offer=offer))
        return Response(status=204)
