"""The lifecycle steps, one view each: who may take it (the lifecycle table), its body validated by its
input serializer, one service. Each answers the request as the caller now sees it, or only its outcome
when the caller no longer sees it (a decline: the declining unit loses sight of the patient)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.requests import signed_in
from api.serializers.referrals import ReferralOutcomeSerializer, ReferralSerializer
from api.serializers.steps import (
    AcceptInput,
    CloseInput,
    CompleteInput,
    DeclineInput,
    NoteInput,
    ProposeInput,
    WithdrawInput,
)
from api.views.common import detail_queryset, run_service, validated
from referrals import services
from referrals.lifecycle import TRANSITIONS, Action
from referrals.models import Referral
from referrals.selectors import referral_get_for, referral_roles

if TYPE_CHECKING:
    from accounts.models import User

# If a concurrent step took the request out of the caller's sight in the meantime (a withdrawal right
# after an acceptance), a step answers the outcome only.
REQUEST_OR_OUTCOME = PolymorphicProxySerializer(
    component_name="ReferralOrOutcome",
    serializers=[ReferralSerializer, ReferralOutcomeSerializer],
    resource_type_field_name=None,
)


def _step(body: Any, action: Action, answer: Any = REQUEST_OR_OUTCOME) -> Any:
    """The step's schema: its body, its answer, and its name in the caller's language."""
    return extend_schema(
        request=body, responses={200: answer}, operation_id=f"referrals_{action}", description=action.label
    )


class StepView(APIView):
    action: Action

    def referral_for(self, request: Request, pk: int) -> tuple[Referral, User]:
        """The request, if the caller sees it (else 404) and may take this step on it (else 403)."""
        user = signed_in(request.user)
        referral = referral_get_for(user, pk=pk)
        if not referral_roles(user, referral) & TRANSITIONS[self.action].roles:
            raise exceptions.PermissionDenied
        return referral, user

    def answer(self, changed: Referral, user: User) -> Response:
        shown = detail_queryset(user).filter(pk=changed.pk).first()
        if shown is None:
            return Response(ReferralOutcomeSerializer(changed).data)
        return Response(ReferralSerializer(shown).data)


class TakeStep(StepView):
    action = Action.TAKE

    @_step(NoteInput, Action.TAKE)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        validated(NoteInput, request)  # the body of the page's form; taking a request keeps no note
        return self.answer(run_service(lambda: services.referral_take(referral=referral, by=user)), user)


class ProposeStep(StepView):
    action = Action.PROPOSE

    @_step(ProposeInput, Action.PROPOSE)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(ProposeInput, request, referral=referral)
        return self.answer(run_service(lambda: services.referral_propose(referral=referral, by=user, **data)), user)


class AcceptStep(StepView):
    action = Action.ACCEPT

    @_step(AcceptInput, Action.ACCEPT)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(AcceptInput, request, referral=referral)
        return self.answer(run_service(lambda: services.referral_accept(referral=referral, by=user, **data)), user)


class DeclineStep(StepView):
    action = Action.DECLINE

    @_step(DeclineInput, Action.DECLINE, answer=ReferralOutcomeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(DeclineInput, request)
        declined = run_service(lambda: services.referral_decline(referral=referral, by=user, **data))
        return Response(ReferralOutcomeSerializer(declined).data)  # the decliner no longer sees the patient


class CompleteStep(StepView):
    action = Action.COMPLETE

    @_step(CompleteInput, Action.COMPLETE)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(CompleteInput, request)
        return self.answer(run_service(lambda: services.referral_complete(referral=referral, by=user, **data)), user)


class WithdrawStep(StepView):
    action = Action.WITHDRAW

    @_step(WithdrawInput, Action.WITHDRAW)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(WithdrawInput, request)
        return self.answer(run_service(lambda: services.referral_withdraw(referral=referral, by=user, **data)), user)


class CloseStep(StepView):
    action = Action.CLOSE

    @_step(CloseInput, Action.CLOSE)
    def post(self, request: Request, pk: int) -> Response:
        referral, user = self.referral_for(request, pk)
        data = validated(CloseInput, request)
        return self.answer(run_service(lambda: services.referral_close(referral=referral, by=user, **data)), user)
