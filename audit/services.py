"""Writing the access log. Called by the views for reads and by the services for changes, so that
a change and its log entry commit or roll back together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any  # a referral is Any here: referrals sit above audit

from accounts.models import Role
from accounts.selectors import roles_on_request
from audit.models import AccessAction, AccessLogEntry

if TYPE_CHECKING:
    from accounts.models import User


def _describe(user: User, referral: Any) -> tuple[str, str]:
    roles = sorted(
        roles_on_request(
            user,
            sending_unit_id=referral.sending_unit_id,
            sending_region_id=referral.sending_unit.hospital.region_id,
            receiving_unit_id=referral.receiving_unit_id,
        )
    )
    places = []
    for role in roles:
        if role == Role.UNIT_STAFF:
            places.append(str(referral.sending_unit))
        elif role == Role.SOT_REPRESENTATIVE:
            places.append(referral.sending_unit.hospital.region.name)
        elif role == Role.RECEIVING_STAFF and referral.receiving_unit_id:
            places.append(str(referral.receiving_unit))
    if not roles and referral.receiving_unit_id:  # an SOT representative of the receiving region
        roles, places = [Role.SOT_REPRESENTATIVE], [referral.receiving_unit.hospital.region.name]
    return ",".join(roles), "; ".join(dict.fromkeys(places))[:200]


def access_record(*, user: User, referral: Any, action: str = AccessAction.READ, what: str = "") -> AccessLogEntry:
    role, place = _describe(user, referral)
    return AccessLogEntry.objects.create(
        user=user,
        role=role,
        place=place,
        patient_id=referral.patient_id,
        referral=referral,
        action=action,
        what=what[:200],
    )


def access_record_many(*, user: User, referrals: Iterable, what: str) -> None:
    """One READ entry per request shown on a list page, in one INSERT."""
    entries = []
    for referral in referrals:
        role, place = _describe(user, referral)
        entries.append(
            AccessLogEntry(
                user=user,
                role=role,
                place=place,
                patient_id=referral.patient_id,
                referral=referral,
                action=AccessAction.READ,
                what=what[:200],
            )
        )
    AccessLogEntry.objects.bulk_create(entries)
