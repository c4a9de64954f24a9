"""E-mail notifications about requests. They carry the reference number and a link, never personal data.

Written into the outbox (outbox/) in the same transaction as the event: a change that commits always
gets its e-mail, later if the mail server or the broker is down, and a rolled-back change never does.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from outbox.services import message_enqueue
from referrals.models import EventKind, ReferralEvent

NOTIFIED_KINDS = {EventKind.SUBMITTED, EventKind.PROPOSED, EventKind.ACCEPTED, EventKind.DECLINED}


def queue_notification(event: ReferralEvent) -> int:
    """The event's e-mails into the outbox, one per recipient; how many."""
    if event.kind not in NOTIFIED_KINDS:
        return 0
    to = recipients(event)
    if not to:
        return 0
    subject, body = message_for(event)
    return message_enqueue(topic=f"referral-event:{event.pk}", recipients=to, subject=subject, body=body)


def recipients(event: ReferralEvent) -> list[str]:
    """Who is told: SOT representatives of the sending region on submission; the receiving unit on a
    proposal; the sending unit and its SOT representatives on an acceptance or a decline."""
    referral = event.referral
    sending_region_id = referral.sending_unit.hospital.region_id
    sot = Membership.objects.filter(role=Role.SOT_REPRESENTATIVE, region_id=sending_region_id)
    if event.kind == EventKind.SUBMITTED:
        memberships = sot
    elif event.kind == EventKind.PROPOSED:
        if event.receiving_unit_id is None:  # a proposal always names its unit; without one, nobody to tell
            memberships = Membership.objects.none()
        else:
            memberships = Membership.objects.filter(role=Role.RECEIVING_STAFF, unit_id=event.receiving_unit_id)
    else:
        memberships = sot | Membership.objects.filter(role=Role.UNIT_STAFF, unit_id=referral.sending_unit_id)
    emails = (
        memberships.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted(set(emails))


def message_for(event: ReferralEvent) -> tuple[str, str]:
    """Subject and body in Swedish: the reference, what happened and a link. Nothing about the patient."""
    reference = event.referral.reference
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[event.referral_id])
    with translation.override(settings.LANGUAGE_CODE):
        what_by_kind: dict[str, str] = {
            EventKind.SUBMITTED: _("A new coordination request has been submitted to SOT."),
            EventKind.PROPOSED: _("A patient has been proposed to your unit."),
            EventKind.ACCEPTED: _("The receiving unit has accepted the patient."),
            EventKind.DECLINED: _("The receiving unit has declined the patient; the request is back in review."),
        }
        what = what_by_kind[event.kind]
        subject = f"{reference}: {event.get_kind_display()}"
        body = "\n\n".join(
            [
                what,
                _("Open the request in SOT: %(link)s") % {"link": link},
                _("This message contains no patient data. Log in to SOT to see the request."),
            ]
        )
    return subject, body
