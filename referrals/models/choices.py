"""The choices of a request's life: its statuses, the reasons for a decline, a closing or a withdrawal,
kinds of paused waiting, kinds of event, and the categories and sources of obstacles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed_without_coordination", _("Closed without coordination")


OPEN_STATUSES = (
    ReferralStatus.DRAFT,
    ReferralStatus.SUBMITTED,
    ReferralStatus.IN_REVIEW,
    ReferralStatus.PROPOSED,
    ReferralStatus.ACCEPTED,
)
STATUSES_WITH_RECEIVING_UNIT = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
# Requests whose coordination has ended, one way or another: the SOT representative's history.
FINISHED_STATUSES = (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity in time")
    ASA_TOO_HIGH = "asa_too_high", _("Medical risk too high for the unit (ASA)")
    COMPETENCE = "competence", _("The unit lacks the competence or equipment")
    INCOMPLETE = "incomplete", _("Information missing in the request")
    OTHER = "other", _("Other reason")


class CloseReason(models.TextChoices):
    NO_RECEIVER = "no_receiver", _("No receiving unit found")
    PATIENT_DECLINED = "patient_declined", _("The patient declined care in another region")
    TREATED_AT_HOME = "treated_at_home", _("Care was arranged in the own region")
    NOT_MAIN_FOCUS = "not_main_focus", _("Outside SOT's main focus")
    LEGAL_OR_ECONOMIC = "legal_or_economic", _("Legal or economic obstacle")
    OTHER = "other", _("Other reason")


class WithdrawReason(models.TextChoices):
    TREATED_AT_HOME = "treated_at_home", _("Care was arranged in the own region")
    PATIENT_DECLINED = "patient_declined", _("The patient no longer wants to be referred")
    CONDITION_CHANGED = "condition_changed", _("The patient's condition has changed")
    FILED_BY_MISTAKE = "filed_by_mistake", _("Filed by mistake")
    OTHER = "other", _("Other reason")


class WaitPauseKind(models.TextChoices):
    PATIENT_CHOSEN = "pvv", _("Patient-chosen wait (PvV)")
    MEDICAL = "mov", _("Medically caused wait (MoV)")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    PAUSED = "paused", _("Waiting paused")
    SUBMITTED = "submitted", _("Submitted")
    TAKEN = "taken", _("Taken into review")
    PROPOSED = "proposed", _("Proposed to a receiving unit")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Care given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed without coordination")
    CONTACT = "contact", _("Contact established")
    OBSTACLE = "obstacle", _("Obstacle to cooperation recorded")
    GROUP_CORRECTED = "group_corrected", _("Diagnosis group corrected")
    PATIENT_DETAILS = "patient_details", _("Patient details changed")
    HANDLER_CHANGED = "handler_changed", _("Handler changed")


class HandlerChange(models.TextChoices):
    """What a "handler changed" event records: the actor took the request on, or let it go."""

    TAKEN = "taken", _("Took the request on")
    RELEASED = "released", _("Released the request")


class ObstacleCategory(models.TextChoices):
    LEGAL = "legal", _("Legal")
    IT = "it", _("IT")
    ECONOMIC = "economic", _("Economic")
    CAPACITY = "capacity", _("Capacity")
    TRANSPORT = "transport", _("Transport")
    PATIENT_DECLINED = "patient_declined", _("Patient declined")
    OTHER = "other", _("Other")


class ObstacleSource(models.TextChoices):
    DECLINE = "decline", _("Raised from a decline")
    CLOSE = "close", _("Raised from a closing")
    STANDALONE = "standalone", _("Recorded on its own")
