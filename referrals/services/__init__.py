"""Writes to coordination requests, by concept: `intake` (filing, drafts, the patient's details,
pauses), `workflow` (the lifecycle steps) and `coordination` (contact, obstacles, the diagnosis
group). Every change to a request goes through `history.referral_change`, which locks the row,
checks the lifecycle table, applies the change and writes its event and access-log entry in one
transaction; `history.event_append` is the only code that writes a request's history.

Services are keyword-only and take the acting user. `at` exists so that imports and the demo seed
can record history with its real timestamps.
"""

from referrals.services.acceptance import (
    ERROR_CARE_FORM_MISSING,
    ERROR_PLANNED_DATE_OUTSIDE_WEEK,
    NoFreeSlot,
    referral_accept,
    referral_accept_by_phone,
)
from referrals.services.coordination import contact_record, obstacle_record, referral_correct_group
from referrals.services.history import TransitionNotAllowed, referral_change
from referrals.services.intake import (
    DRAFT_FIELDS,
    ERROR_PAUSE_BEFORE_DECISION,
    ERROR_REGION_NOT_TAKING_PART,
    MAX_PAUSE_DAYS,
    MISSING_FOR_SUBMISSION,
    PATIENT_DETAIL_FIELDS,
    patient_identify,
    referral_change_patient_details,
    referral_create,
    referral_save,
    referral_submission_errors,
    referral_update_draft,
    wait_pause_add,
)
from referrals.services.workflow import (
    ERROR_CARE_GIVEN_IN_FUTURE,
    ERROR_PROPOSAL_NEEDS_REASON,
    ERROR_UNIT_NOT_TAKING_PART,
    proposal_outside_ranking,
    referral_close,
    referral_complete,
    referral_decline,
    referral_propose,
    referral_submit,
    referral_take,
    referral_withdraw,
)

__all__ = [
    "DRAFT_FIELDS",
    "ERROR_CARE_FORM_MISSING",
    "ERROR_CARE_GIVEN_IN_FUTURE",
    "ERROR_PAUSE_BEFORE_DECISION",
    "ERROR_PLANNED_DATE_OUTSIDE_WEEK",
    "ERROR_PROPOSAL_NEEDS_REASON",
    "ERROR_REGION_NOT_TAKING_PART",
    "ERROR_UNIT_NOT_TAKING_PART",
    "MAX_PAUSE_DAYS",
    "MISSING_FOR_SUBMISSION",
    "PATIENT_DETAIL_FIELDS",
    "NoFreeSlot",
    "TransitionNotAllowed",
    "contact_record",
    "obstacle_record",
    "patient_identify",
    "proposal_outside_ranking",
    "referral_accept",
    "referral_accept_by_phone",
    "referral_change",
    "referral_change_patient_details",
    "referral_close",
    "referral_complete",
    "referral_correct_group",
    "referral_create",
    "referral_decline",
    "referral_propose",
    "referral_save",
    "referral_submission_errors",
    "referral_submit",
    "referral_take",
    "referral_update_draft",
    "referral_withdraw",
    "wait_pause_add",
]
