"""Writes to capacity offers. Receiving-unit staff act only for their own units."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import user_scopes
from capacity.models import CapacityOffer
from capacity.weeks import format_week, monday_of
from catalog.models import DiagnosisGroup
from organisations.models import Unit

if TYPE_CHECKING:
    from accounts.models import User

MAX_WEEKS_PER_PUBLICATION = 52

# Messages that tests check (by constant, not by their translated text).
ERROR_WEEK_PASSED = gettext_lazy("The week has already passed.")
ERROR_LAST_WEEK_BEFORE_FIRST = gettext_lazy("The last week cannot be before the first week.")
ERROR_TOO_MANY_WEEKS = gettext_lazy("Publish at most 52 weeks at a time.")
ERROR_WEEK_ALREADY_OFFERED = gettext_lazy(
    "Your unit already offers this group in week %(weeks)s; change that offer instead."
)
ERROR_SLOTS_BELOW_RESERVED = gettext_lazy("%(n)s slots are already reserved; the offer cannot have fewer.")


def _require_receiving_staff(by: User, unit: Unit) -> None:
    if unit.pk not in user_scopes(by).receiving_units:
        raise PermissionDenied


@transaction.atomic
def capacity_publish(
    *,
    by: User,
    unit: Unit,
    diagnosis_group: DiagnosisGroup,
    first_week: date,
    last_week: date | None = None,
    slots: int,
    max_asa: int,
    care_type: str,
    note: str = "",
    today: date | None = None,
) -> list[CapacityOffer]:
    """One offer per ISO week from `first_week` to `last_week` (Mondays), all or none."""
    _require_receiving_staff(by, unit)
    today = today or timezone.localdate()
    last_week = last_week or first_week
    if first_week < monday_of(today):
        raise ValidationError({"first_week": ERROR_WEEK_PASSED})
    if last_week < first_week:
        raise ValidationError({"last_week": ERROR_LAST_WEEK_BEFORE_FIRST})
    weeks = (last_week - first_week).days // 7 + 1
    if weeks > MAX_WEEKS_PER_PUBLICATION:
        raise ValidationError({"last_week": ERROR_TOO_MANY_WEEKS})
    if slots < 1:
        raise ValidationError({"slots": _("Give at least one slot.")})
    mondays = [first_week + timedelta(weeks=i) for i in range(weeks)]
    now = timezone.now()
    taken = set(
        CapacityOffer.objects.active()
        .filter(unit=unit, diagnosis_group=diagnosis_group, care_type=care_type, week_start__in=mondays)
        .values_list("week_start", flat=True)
    )
    if taken:
        raise ValidationError(
            {"first_week": ERROR_WEEK_ALREADY_OFFERED % {"weeks": ", ".join(format_week(m) for m in sorted(taken))}}
        )
    offers = [
        CapacityOffer(
            unit=unit,
            diagnosis_group=diagnosis_group,
            week_start=monday,
            slots=slots,
            max_asa=max_asa,
            care_type=care_type,
            note=note,
            created_by=by,
            confirmed_at=now,
            confirmed_by=by,
        )
        for monday in mondays
    ]
    try:
        return CapacityOffer.objects.bulk_create(offers)
    except IntegrityError:  # someone published the same week a moment ago
        raise ValidationError({"first_week": _("The week was published by someone else just now.")}) from None


def capacity_change_slots(*, by: User, offer: CapacityOffer, slots: int) -> CapacityOffer:
    """Change the number of slots; never below what is already reserved (checked in the database too).

    Whoever changes the slots has looked at them: the change confirms the offer."""
    _require_receiving_staff(by, offer.unit)
    if slots < 1:
        raise ValidationError({"slots": _("Give at least one slot; withdraw the offer to remove it.")})
    updated = (
        CapacityOffer.objects.active()
        .filter(pk=offer.pk, reserved_slots__lte=slots)
        .update(slots=slots, confirmed_at=timezone.now(), confirmed_by=by)
    )
    offer.refresh_from_db()
    if not updated:
        raise ValidationError({"slots": ERROR_SLOTS_BELOW_RESERVED % {"n": offer.reserved_slots}})
    return offer


def capacity_withdraw(*, by: User, offer: CapacityOffer) -> None:
    """Withdraw an offer nobody has reserved from. Kept in the database with its withdrawal time."""
    _require_receiving_staff(by, offer.unit)
    updated = CapacityOffer.objects.active().filter(pk=offer.pk, reserved_slots=0).update(withdrawn_at=timezone.now())
    if not updated:
        raise ValidationError(_("Slots of this offer are reserved; reduce the free slots instead."))


def capacity_confirm_all(*, by: User, unit: Unit, today: date | None = None) -> int:
    """Confirm every active offer of the unit from this week on, as they stand (the offers its capacity
    page lists): one click.

    Safe to send twice: a second confirmation only moves the time of the last one. Returns how many
    offers were confirmed."""
    _require_receiving_staff(by, unit)
    week = monday_of(today or timezone.localdate())
    return (
        CapacityOffer.objects.active()
        .filter(unit=unit, week_start__gte=week)
        .update(confirmed_at=timezone.now(), confirmed_by=by)
    )
