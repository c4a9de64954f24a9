"""Requests: the list the caller may see, filing a new one, one request, its submission and its ranked
receiving units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.requests import signed_in
from accounts.selectors import user_scopes
from api.serializers.intake import ReferralInput
from api.serializers.referrals import MatchSerializer, ReferralListItemSerializer, ReferralSerializer
from api.views.common import detail_queryset, run_service, validated
from audit.services import access_record, access_record_many
from capacity.matching import Proposal
from organisations.models import Unit
from referrals import services
from referrals.models import ReferralStatus
from referrals.proposals import ranking_for
from referrals.selectors import referral_get_for, referral_roles

# A service's message about the diagnosis group belongs to the code it follows from, as on the page.
INTAKE_ALIASES = {"diagnosis_group": "icd10_code", "patient": "personal_number"}


class ReferralListCreate(generics.ListCreateAPIView):
    """Requests the caller may see (the same rule as the pages), the patient masked; unit staff file new ones."""

    serializer_class = ReferralListItemSerializer

    def get_queryset(self) -> QuerySet[Any]:
        queryset = detail_queryset(signed_in(self.request.user)).order_by("-created_at", "-id")
        status_value = self.request.query_params.get("status")
        if status_value is not None:
            if status_value not in ReferralStatus.values:
                # The value is not echoed: it may be anything (markup, control characters, personal data).
                raise exceptions.ValidationError({"status": [_("Choose one of the listed values.")]})
            queryset = queryset.filter(status=status_value)
        reference = self.request.query_params.get("reference", "").strip()
        if reference:
            queryset = queryset.filter(Q(reference__iexact=reference) | Q(reference__endswith=reference.zfill(6)))
        return queryset

    @extend_schema(
        operation_id="referrals_list",
        parameters=[
            OpenApiParameter("status", enum=ReferralStatus.values, description="Status"),
            OpenApiParameter("reference", str, description="SOT-2026-000123, or its number"),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset: QuerySet[Any] | Sequence[Any]) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            access_record_many(user=signed_in(self.request.user), referrals=page, what="api:referrals")
        return page

    @extend_schema(operation_id="referrals_create", request=ReferralInput, responses={201: ReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = signed_in(request.user)
        unit_ids = user_scopes(user).unit_staff_units
        if not unit_ids:
            raise exceptions.PermissionDenied
        units = Unit.objects.filter(pk__in=unit_ids).select_related("hospital__region").order_by("name")
        data = validated(ReferralInput, request, units=units)
        referral = run_service(
            lambda: services.referral_save(by=user, referral=None, **data),
            fields=ReferralInput().fields,
            aliases=INTAKE_ALIASES,
        )
        return Response(ReferralSerializer(detail_queryset(user).get(pk=referral.pk)).data, status=201)


@extend_schema_view(get=extend_schema(operation_id="referrals_retrieve"))
class ReferralDetail(generics.RetrieveAPIView):
    serializer_class = ReferralSerializer

    def get_object(self) -> Any:
        user = signed_in(self.request.user)
        referral_get_for(user, pk=self.kwargs["pk"])  # 404 outside the caller's scope
        referral = detail_queryset(user).get(pk=self.kwargs["pk"])
        access_record(user=user, referral=referral, what="api:referral")
        return referral


class ReferralSubmit(APIView):
    @extend_schema(operation_id="referrals_submit", request=None, responses={200: ReferralSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = signed_in(request.user)
        referral = referral_get_for(user, pk=pk)
        if Role.UNIT_STAFF not in referral_roles(user, referral):
            raise exceptions.PermissionDenied
        run_service(lambda: services.referral_submit(referral=referral, by=user))
        return Response(ReferralSerializer(detail_queryset(user).get(pk=pk)).data)


class ReferralProposals(APIView):
    @extend_schema(operation_id="referrals_proposals", responses={200: MatchSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """Ranked receiving units, with reasons, and why other units are left out (SOT representatives)."""
        user = signed_in(request.user)
        referral = referral_get_for(user, pk=pk)
        if Role.SOT_REPRESENTATIVE not in referral_roles(user, referral):
            raise exceptions.PermissionDenied
        access_record(user=user, referral=referral, what="api:proposals")
        result = ranking_for(referral)  # a unit that declined the request is not ranked (a reason is needed)
        exclusions = [{"kind": str(e.kind), "units": e.units, "message": e.message} for e in result.exclusions]
        declined = [
            {
                "unit_id": d.unit_id,
                "unit_name": d.decline.unit_name,
                "hospital_name": d.decline.hospital_name,
                "region_name": d.decline.region_name,
                "declined_on": d.on,
                "reason": d.decline.reason,
                "proposal": _proposal_data(d.proposal) if d.proposal else None,
            }
            for d in result.declined
        ]
        proposals = [_proposal_data(p) for p in result.proposals]
        return Response({"proposals": proposals, "exclusions": exclusions, "declined": declined})


def _proposal_data(proposal: Proposal) -> dict[str, Any]:
    return {**proposal.__dict__, "timeliness": int(proposal.timeliness), "reasons": proposal.reasons}
