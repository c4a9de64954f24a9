"""The SOT queue's requests as plain rows: the columns the page shows and the access log records, read as
tuples (`values_list`) rather than as model instances with six related instances each, which were a fifth
of the queue page's time. Nothing else of a request (the patient's details among it) is read."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from catalog.models import asa_label
from catalog.models import is_main_focus as main_focus
from organisations.models import Unit
from referrals.models import OPEN_STATUSES
from sot import compiled_queries


@dataclass(slots=True)
class QueueEntry:
    """One request of the queue. The fields are in the order of `COLUMNS`, which names the lookups."""

    id: int
    reference: str
    status: str
    patient_id: int
    sending_unit_id: int
    receiving_unit_id: int | None
    handler_id: int | None
    asa_class: int | None
    asa_emergency: bool
    medical_target_date: date | None
    care_guarantee_deadline: date | None
    planned_date: date | None
    status_changed_at: datetime | None
    priority_name: str | None
    priority_is_main_focus: bool | None
    diagnosis_group_name: str | None
    sending_unit_name: str
    sending_hospital_name: str
    sending_region_id: int
    sending_region_name: str
    receiving_unit_name: str | None
    receiving_hospital_name: str | None
    receiving_region_id: int | None
    receiving_region_name: str | None
    handler_username: str | None
    handler_first_name: str | None
    handler_last_name: str | None
    overdue: int  # 0 when past the care-guarantee deadline without a date of care (selectors.sot_queue)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def asa_display(self) -> str:
        return asa_label(self.asa_class, self.asa_emergency)

    @property
    def is_main_focus(self) -> bool:
        return main_focus(self.priority_is_main_focus, self.asa_class)

    @property
    def sending_unit_label(self) -> str:
        return Unit.label(self.sending_unit_name, self.sending_hospital_name)

    @property
    def receiving_unit_label(self) -> str:
        if not self.receiving_unit_id:
            return ""
        return Unit.label(self.receiving_unit_name or "", self.receiving_hospital_name or "")

    @property
    def handler_name(self) -> str:
        """As User.get_full_name(), or the username when there is no name."""
        full = f"{self.handler_first_name or ''} {self.handler_last_name or ''}".strip()
        return full or (self.handler_username or "")

    # As an access-log Reading (audit.services): what is recorded of the request being shown.
    @property
    def referral_id(self) -> int:
        return self.id

    @property
    def sending_unit(self) -> str:
        return self.sending_unit_label

    @property
    def sending_region(self) -> str:
        return self.sending_region_name

    @property
    def receiving_unit(self) -> str:
        return self.receiving_unit_label

    @property
    def receiving_region(self) -> str:
        return self.receiving_region_name or ""


COLUMNS = (
    "id",
    "reference",
    "status",
    "patient_id",
    "sending_unit_id",
    "receiving_unit_id",
    "handler_id",
    "asa_class",
    "asa_emergency",
    "medical_target_date",
    "care_guarantee_deadline",
    "planned_date",
    "status_changed_at",
    "priority__name",
    "priority__is_main_focus",
    "diagnosis_group__name",
    "sending_unit__name",
    "sending_unit__hospital__name",
    "sending_unit__hospital__region_id",
    "sending_unit__hospital__region__name",
    "receiving_unit__name",
    "receiving_unit__hospital__name",
    "receiving_unit__hospital__region_id",
    "receiving_unit__hospital__region__name",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
    "overdue",
)
assert len(COLUMNS) == len(fields(QueueEntry))  # noqa: S101  (a column without its field is a bug at import)


def queue_entries(referrals: Callable[[], QuerySet[Any]], *, compiled_as: Hashable | None = None) -> list[QueueEntry]:
    """The requests that `referrals` builds (annotated with `overdue`, as selectors.sot_queue does) in their
    order. With `compiled_as` (a key naming everything the queryset is built from) its SQL is compiled
    once (sot.compiled_queries); the rows are read every time."""

    def query() -> QuerySet[Any]:
        return referrals().values_list(*COLUMNS)

    rows = query() if compiled_as is None else compiled_queries.rows(("queue-entries", compiled_as), query)
    return [QueueEntry(*row) for row in rows]
