"""Writing the access log. Called by the views for reads and by the services for changes, so that
a change and its log entry commit or roll back together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol  # a referral is Any here: referrals sit above audit

from accounts.models import Role
from accounts.selectors import roles_on_request
from audit.models import AccessAction, AccessLogEntry

if TYPE_CHECKING:
    from accounts.models import User


class Reading(Protocol):
    """What the access log needs of a request that is shown: ids for the user's roles on it, and the names
    of the places they are held in (asked only for the roles the user has). Lists that read their requests
    as rows (the SOT queue's `QueueEntry`) are readings themselves; a model instance is wrapped."""

    @property
    def referral_id(self) -> int: ...
    @property
    def patient_id(self) -> int: ...
    @property
    def sending_unit_id(self) -> int: ...
    @property
    def sending_region_id(self) -> int: ...
    @property
    def receiving_unit_id(self) -> int | None: ...
    @property
    def sending_unit(self) -> str: ...
    @property
    def sending_region(self) -> str: ...
    @property
    def receiving_unit(self) -> str: ...
    @property
    def receiving_region(self) -> str: ...


class _ReferralReading:
    """A Referral as a Reading; the related rows are read only when a name is asked for."""

    def __init__(self, referral: Any) -> None:
        self._referral = referral
        self.referral_id: int = referral.pk
        self.patient_id: int = referral.patient_id
        self.sending_unit_id: int = referral.sending_unit_id
        self.receiving_unit_id: int | None = referral.receiving_unit_id

    @property
    def sending_region_id(self) -> int:
        return self._referral.sending_unit.hospital.region_id

    @property
    def sending_unit(self) -> str:
        return str(self._referral.sending_unit)

    @property
    def sending_region(self) -> str:
        return self._referral.sending_unit.hospital.region.name

    @property
    def receiving_unit(self) -> str:
        return str(self._referral.receiving_unit)

    @property
    def receiving_region(self) -> str:
        return self._referral.receiving_unit.hospital.region.name


def _describe(user: User, reading: Reading) -> tuple[str, str]:
    roles = sorted(
        roles_on_request(
            user,
            sending_unit_id=reading.sending_unit_id,
            sending_region_id=reading.sending_region_id,
            receiving_unit_id=reading.receiving_unit_id,
        )
    )
    places = []
    for role in roles:
        if role == Role.UNIT_STAFF:
            places.append(reading.sending_unit)
        elif role == Role.SOT_REPRESENTATIVE:
            places.append(reading.sending_region)
        elif role == Role.RECEIVING_STAFF and reading.receiving_unit_id:
            places.append(reading.receiving_unit)
    if not roles and reading.receiving_unit_id:  # an SOT representative of the receiving region
        roles, places = [Role.SOT_REPRESENTATIVE], [reading.receiving_region]
    return ",".join(roles), "; ".join(dict.fromkeys(places))[:200]


def access_record(*, user: User, referral: Any, action: str = AccessAction.READ, what: str = "") -> AccessLogEntry:
    role, place = _describe(user, _ReferralReading(referral))
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
    access_record_readings(user=user, readings=[_ReferralReading(referral) for referral in referrals], what=what)


def access_record_readings(*, user: User, readings: Iterable[Reading], what: str) -> None:
    """One READ entry per request shown, given as `Reading`s, in one INSERT."""
    entries = []
    for reading in readings:
        role, place = _describe(user, reading)
        entries.append(
            AccessLogEntry(
                user=user,
                role=role,
                place=place,
                patient_id=reading.patient_id,
                referral_id=reading.referral_id,
                action=AccessAction.READ,
                what=what[:200],
            )
        )
    AccessLogEntry.objects.bulk_create(entries)
