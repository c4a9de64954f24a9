"""REST API: the same services, selectors and forms as the pages; only the transport differs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.requests import signed_in
from accounts.selectors import user_scopes
from api.problems import Conflict
from api.serializers import (
    AcceptInput,
    CapacityOfferInput,
    CapacityOfferSerializer,
    CloseInput,
    CompleteInput,
    DeclineInput,
    MatchSerializer,
    NoteInput,
    ObstacleInput,
    ObstacleSerializer,
    ProposeInput,
    ReferralInputSerializer,
    ReferralListItemSerializer,
    ReferralOutcomeSerializer,
    ReferralSerializer,
    ReportSerializer,
    SlotsInput,
    WithdrawInput,
)
from audit.services import access_record, access_record_many
from capacity import services as capacity_services
from capacity.forms import CapacityOfferForm, SlotsForm
from capacity.matching import rank_receiving_units
from capacity.selectors import offer_get_for, offers_of_units, offers_to_accept, receiving_units_of
from organisations.models import Region, Unit
from referrals import services
from referrals.forms import (
    AcceptForm,
    CloseForm,
    CompleteForm,
    DeclineForm,
    NoteForm,
    ObstacleForm,
    ProposeForm,
    ReferralForm,
    WithdrawForm,
)
from referrals.lifecycle import TRANSITIONS, Action
from referrals.models import Referral, ReferralStatus
from referrals.selectors import obstacles_visible_to, referral_get_for, referral_roles, referrals_visible_to
from reports.files import report_file_response
from reports.selectors import report_get_for, reports_visible_to

if TYPE_CHECKING:
    from accounts.models import User

CHECKBOXES = (
    "asa_emergency", "consent_referral", "consent_disclosure", "needs_interpreter", "needs_transport", "needs_escort",
)  # fmt: skip


def _detail_queryset(user: User) -> QuerySet[Referral]:
    return (
        referrals_visible_to(user)
        .select_related(
            "patient",
            "patient_home_region",
            "priority",
            "diagnosis_group",
            "sending_unit__hospital__region",
            "receiving_unit__hospital__region",
        )
        .prefetch_related("pauses")
    )


class ReferralListCreate(generics.ListCreateAPIView):
    """Requests the caller may see (the same rule as the pages), the patient masked; unit staff file new ones."""

    serializer_class = ReferralListItemSerializer

    def get_queryset(self) -> QuerySet[Any]:
        queryset = _detail_queryset(signed_in(self.request.user)).order_by("-created_at", "-id")
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
        parameters=[
            OpenApiParameter("status", enum=ReferralStatus.values, description="Status"),
            OpenApiParameter("reference", str, description="SOT-2026-000123, or its number"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset: QuerySet[Any] | Sequence[Any]) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            access_record_many(user=signed_in(self.request.user), referrals=page, what="api:referrals")
        return page

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit_ids = user_scopes(signed_in(request.user)).unit_staff_units
        if not unit_ids:
            raise exceptions.PermissionDenied
        payload = _check_json_types(request.data, ReferralInputSerializer)
        units = Unit.objects.filter(pk__in=unit_ids).select_related("hospital__region").order_by("name")
        data = _form_data(payload)
        if len(units) == 1:
            data.setdefault("sending_unit", units[0].pk)
        data.setdefault("home_region", units[0].hospital.region_id)
        form = ReferralForm(data, units=units, user=signed_in(request.user))
        if not form.is_valid():
            raise exceptions.ValidationError(_messages(form))
        try:
            referral = services.referral_save(
                by=signed_in(request.user),
                referral=None,
                submit=payload.get("submit") is True,
                **form.service_kwargs(),
            )
        except DjangoValidationError as exc:
            form.add_service_errors(exc)
            raise exceptions.ValidationError(_messages(form)) from None
        return Response(
            ReferralSerializer(_detail_queryset(signed_in(request.user)).get(pk=referral.pk)).data, status=201
        )


JSON_TYPES = {
    serializers.BooleanField: (bool,),
    serializers.IntegerField: (int,),
    serializers.CharField: (str,),
    serializers.DateField: (str,),
}


def _check_json_types(payload: Any, body: Any) -> dict[str, Any]:
    """The JSON types the schema promises, checked before the forms judge the values: a number where
    text belongs, an object where a number belongs, is refused here rather than coerced."""
    if not isinstance(payload, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    errors = {}
    for name, field in body().fields.items():
        if name not in payload:
            continue
        value = payload[name]
        if value is None and field.allow_null:
            continue
        if isinstance(field, serializers.ChoiceField):
            if not isinstance(value, (str, int)) or isinstance(value, bool) or value not in field.choices:
                errors[name] = [_("Choose one of the listed values.")]
            continue
        expected = next((types for kind, types in JSON_TYPES.items() if isinstance(field, kind)), None)
        if expected and (not isinstance(value, expected) or (int in expected and isinstance(value, bool))):
            errors[name] = [_("Wrong type of value.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return payload


def _form_data(payload: dict) -> dict:
    """JSON into what the intake form reads: checkboxes as present/absent, everything else as text, so
    that a value of the wrong type gets the form's own message instead of a crash."""
    data = {}
    for key, value in payload.items():
        if key in CHECKBOXES:
            if value is True or (isinstance(value, str) and value.lower() in ("true", "on", "1")):
                data[key] = "on"
        elif value is not None and not isinstance(value, (dict, list)):
            data[key] = str(value)
    return data


def _messages(form: Any) -> dict:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


class ReferralDetail(generics.RetrieveAPIView):
    serializer_class = ReferralSerializer

    def get_object(self) -> Any:
        referral_get_for(signed_in(self.request.user), pk=self.kwargs["pk"])  # 404 outside the caller's scope
        referral = _detail_queryset(signed_in(self.request.user)).get(pk=self.kwargs["pk"])
        access_record(user=signed_in(self.request.user), referral=referral, what="api:referral")
        return referral


class ReferralSubmit(APIView):
    @extend_schema(request=None, responses={200: ReferralSerializer})
    def post(self, request: Request, pk: int) -> Response:
        referral = referral_get_for(signed_in(request.user), pk=pk)
        if Role.UNIT_STAFF not in referral_roles(signed_in(request.user), referral):
            raise exceptions.PermissionDenied
        try:
            services.referral_submit(referral=referral, by=signed_in(request.user))
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        except services.TransitionNotAllowed as exc:
            raise Conflict(exc.message) from None
        return Response(
            ReferralSerializer(_detail_queryset(signed_in(request.user)).get(pk=pk)).data, status=status.HTTP_200_OK
        )


class ReferralProposals(APIView):
    @extend_schema(responses={200: MatchSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """Ranked receiving units, with reasons, and why other units are left out (SOT representatives)."""
        referral = referral_get_for(signed_in(request.user), pk=pk)
        if Role.SOT_REPRESENTATIVE not in referral_roles(signed_in(request.user), referral):
            raise exceptions.PermissionDenied
        access_record(user=signed_in(request.user), referral=referral, what="api:proposals")
        result = rank_receiving_units(referral)
        proposals = [{**p.__dict__, "timeliness": int(p.timeliness), "reasons": p.reasons} for p in result.proposals]
        exclusions = [{"kind": str(e.kind), "units": e.units, "message": e.message} for e in result.exclusions]
        return Response({"proposals": proposals, "exclusions": exclusions})


def _form_or_400(form: Any) -> Any:
    if not form.is_valid():
        raise exceptions.ValidationError(_messages(form))
    return form.cleaned_data


def _service_or_problem(call: Callable[[], Any]) -> Any:
    """Run a service: its ValidationError is a 400 with field messages, a refused step a 409."""
    try:
        return call()
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from None
    except services.TransitionNotAllowed as exc:
        raise Conflict(exc.message) from None


# action → (request body for the schema, form for the data, the service that performs it)
STEPS = {
    Action.TAKE: (NoteInput, lambda data, r: NoteForm(data), lambda r, u, d: services.referral_take(referral=r, by=u)),
    Action.PROPOSE: (
        ProposeInput,
        lambda data, r: ProposeForm(data, referral=r),
        lambda r, u, d: services.referral_propose(referral=r, by=u, **d),
    ),
    Action.ACCEPT: (
        AcceptInput,
        lambda data, r: AcceptForm(data, offers=offers_to_accept(r)),
        lambda r, u, d: services.referral_accept(referral=r, by=u, **d),
    ),
    Action.DECLINE: (
        DeclineInput,
        lambda data, r: DeclineForm(data),
        lambda r, u, d: services.referral_decline(referral=r, by=u, **d),
    ),
    Action.COMPLETE: (
        CompleteInput,
        lambda data, r: CompleteForm(data),
        lambda r, u, d: services.referral_complete(referral=r, by=u, **d),
    ),
    Action.WITHDRAW: (
        WithdrawInput,
        lambda data, r: WithdrawForm(data),
        lambda r, u, d: services.referral_withdraw(referral=r, by=u, **d),
    ),
    Action.CLOSE: (
        CloseInput,
        lambda data, r: CloseForm(data),
        lambda r, u, d: services.referral_close(referral=r, by=u, **d),
    ),
}


# Steps after which the caller no longer sees the request: they answer its reference and status only.
# A decline clears the receiving unit, so the declining unit's staff lose sight of the patient.
OUTCOME_ONLY = {Action.DECLINE}


# Any other step answers the request as the caller now sees it; if a concurrent step took it out of
# their sight in the meantime (a withdrawal right after an acceptance), the outcome only.
REQUEST_OR_OUTCOME = PolymorphicProxySerializer(
    component_name="ReferralOrOutcome",
    serializers=[ReferralSerializer, ReferralOutcomeSerializer],
    resource_type_field_name=None,
)


def step_view(action: Action) -> Any:
    body, form_for, perform = STEPS[action]
    answer = ReferralOutcomeSerializer if action in OUTCOME_ONLY else REQUEST_OR_OUTCOME

    class StepView(APIView):
        @extend_schema(request=body, responses={200: answer}, operation_id=f"referrals_{action}")
        def post(self, request: Request, pk: int) -> Response:
            referral = referral_get_for(signed_in(request.user), pk=pk)
            roles = referral_roles(signed_in(request.user), referral)
            if not roles & TRANSITIONS[action].roles:
                raise exceptions.PermissionDenied
            data = _form_or_400(form_for(_form_data(_check_json_types(request.data, body)), referral))
            changed = _service_or_problem(lambda: perform(referral, signed_in(request.user), data))
            shown = None if action in OUTCOME_ONLY else _detail_queryset(signed_in(request.user)).filter(pk=pk).first()
            if shown is None:
                return Response(ReferralOutcomeSerializer(changed).data)
            return Response(ReferralSerializer(shown).data)

    StepView.__name__ = f"{action.title()}Step"
    StepView.__doc__ = str(Action(action).label)
    return StepView.as_view()


class CapacityOfferListCreate(generics.ListAPIView):
    """The caller's units' capacity offers from this week on; receiving-unit staff publish new ones."""

    serializer_class = CapacityOfferSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return offers_of_units(signed_in(self.request.user), today=timezone.localdate())

    @extend_schema(request=CapacityOfferInput, responses={201: CapacityOfferSerializer(many=True)})
    def post(self, request: Request) -> Response:
        units = receiving_units_of(signed_in(request.user))
        if not units:
            raise exceptions.PermissionDenied
        data = _form_data(_check_json_types(request.data, CapacityOfferInput))
        if len(units) == 1:
            data.setdefault("unit", units[0].pk)
        cleaned = _form_or_400(CapacityOfferForm(data, units=units, today=timezone.localdate()))
        offers = _service_or_problem(lambda: capacity_services.capacity_publish(by=signed_in(request.user), **cleaned))
        return Response(CapacityOfferSerializer(offers, many=True).data, status=201)


class CapacityOfferDetail(APIView):
    @extend_schema(request=SlotsInput, responses={200: CapacityOfferSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        """Change the number of slots (never below what is reserved)."""
        offer = offer_get_for(signed_in(request.user), pk=pk)
        data = _form_data(_check_json_types(request.data, SlotsInput))
        cleaned = _form_or_400(SlotsForm(data))
        offer = _service_or_problem(
            lambda: capacity_services.capacity_change_slots(
                by=signed_in(request.user), offer=offer, slots=cleaned["slots"]
            )
        )
        return Response(CapacityOfferSerializer(offer).data)


class CapacityOfferWithdraw(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw an offer nobody has reserved from."""
        offer = offer_get_for(signed_in(request.user), pk=pk)
        _service_or_problem(lambda: capacity_services.capacity_withdraw(by=signed_in(request.user), offer=offer))
        return Response(status=204)


class ObstacleListCreate(generics.ListAPIView):
    """Obstacles to cooperation recorded for the caller's SOT regions."""

    serializer_class = ObstacleSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return obstacles_visible_to(signed_in(self.request.user))

    @extend_schema(request=ObstacleInput, responses={201: ObstacleSerializer})
    def post(self, request: Request) -> Response:
        regions = Region.objects.filter(pk__in=user_scopes(signed_in(request.user)).sot_regions).order_by("name")
        if not regions:
            raise exceptions.PermissionDenied
        data = _form_data(_check_json_types(request.data, ObstacleInput))
        if len(regions) == 1:
            data.setdefault("region", regions[0].pk)
        cleaned = _form_or_400(ObstacleForm(data, regions=regions))
        obstacle = _service_or_problem(lambda: services.obstacle_record(by=signed_in(request.user), **cleaned))
        return Response(ObstacleSerializer(obstacle).data, status=201)


class ReportList(generics.ListAPIView):
    """Monthly reports of the caller's region or healthcare region (health directors, administrators)."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return reports_visible_to(signed_in(self.request.user))


class ReportDownload(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["csv", "xlsx", "pdf"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int, fmt: str) -> FileResponse:
        """The report file (aggregates only, no personal data)."""
        return report_file_response(report_get_for(signed_in(request.user), pk=pk), fmt)
