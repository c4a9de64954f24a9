"""Patients, coordination requests (referrals) and their append-only history, by concept:
`choices` (statuses, reasons, kinds), `request` (patient, request, paused waiting) and `history`
(events, contact between units, obstacles to cooperation)."""

from catalog.models import ASA_ROMAN, ICD10_CODE_REGEX, MAIN_FOCUS_MIN_ASA, AsaClass, DiagnosisGroup, MedicalPriority
from referrals.models.choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    STATUSES_WITH_RECEIVING_UNIT,
    CloseReason,
    DeclineReason,
    EventKind,
    HandlerChange,
    ObstacleCategory,
    ObstacleSource,
    ReferralStatus,
    WaitPauseKind,
    WithdrawReason,
)
from referrals.models.history import AppendOnlyQuerySet, ContactRecord, Obstacle, ReferralEvent
from referrals.models.request import Patient, ReferenceSequence, Referral, WaitPause
from referrals.models.waiting import StateWaitLimit

__all__ = [
    "ASA_ROMAN",
    "FINISHED_STATUSES",
    "ICD10_CODE_REGEX",
    "MAIN_FOCUS_MIN_ASA",
    "OPEN_STATUSES",
    "STATUSES_WITH_RECEIVING_UNIT",
    "AppendOnlyQuerySet",
    "AsaClass",
    "CloseReason",
    "ContactRecord",
    "DeclineReason",
    "DiagnosisGroup",
    "EventKind",
    "HandlerChange",
    "MedicalPriority",
    "Obstacle",
    "ObstacleCategory",
    "ObstacleSource",
    "Patient",
    "ReferenceSequence",
    "Referral",
    "ReferralEvent",
    "ReferralStatus",
    "StateWaitLimit",
    "WaitPause",
    "WaitPauseKind",
    "WithdrawReason",
]
