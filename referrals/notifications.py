"""E-mail notifications about requests. They carry the reference number and a link, never personal data.

Queued with Celery only after the transaction that wrote the event has committed, so that a
rolled-back change never sends mail and the worker always finds the event.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from referrals.models import EventKind, ReferralEvent

NOTIFIED_KINDS = {EventKind.SUBMITTED, EventKind.PROPOSED, EventKind.ACCEPTED, EventKind.DECLINED}


def queue_notification(event: ReferralEvent) -> None:
    if event.kind in NOTIFIED_KINDS:
        from referrals.tasks import send_event_notification

        transaction.on_commit(lambda: send_event_notification.delay(event.pk))


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


def send_notification(event_id: int) -> int:
    event = ReferralEvent.objects.select_related("referral__sending_unit__hospital").get(pk=event_id)
    to = recipients(event)
    if not to:
        return 0
    subject, body = message_for(event)
    # One message per recipient: nobody sees who else was told.
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to])
