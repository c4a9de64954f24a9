"""`manage.py plan_group --region skane --group artros-hoft-kna [--json]`: the group plan, changing nothing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from catalog.models import DiagnosisGroup, MedicalPriority
from organisations.models import Hospital, Region, Unit
from planning.data import Scope
from planning.plan import plan_group

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = (
        "Plan every waiting request (submitted or in review) of a region and diagnosis group onto free capacity "
        "in other regions, optimally (min-cost flow). Reads only; the JSON is documented in the README."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="Region code, e.g. skane")
        parser.add_argument("--group", required=True, help="Diagnosis group code")
        parser.add_argument("--priority", help="Only requests of this priority (code)")
        parser.add_argument("--hospital", help="Only requests sent from this hospital (code)")
        parser.add_argument("--unit", help="Only requests sent from this unit (code)")
        parser.add_argument("--json", action="store_true", help="Print the plan as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = Scope(
            region=_get(Region, options["region"]),
            group=_get(DiagnosisGroup, options["group"]),
            priority=_get(MedicalPriority, options["priority"]) if options["priority"] else None,
            hospital=_get(Hospital, options["hospital"]) if options["hospital"] else None,
            unit=_get(Unit, options["unit"]) if options["unit"] else None,
        )
        plan = plan_group(scope)
        if options["json"]:
            self.stdout.write(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
            return
        for a in plan.assignments:
            self.stdout.write(f"{a.reference}  {a.unit_code}  {a.week.isocalendar()[0]}-W{a.week.isocalendar()[1]:02d}")
        for u in plan.unassigned:
            self.stdout.write(f"{u.reference}  -  {u.reason}")
        totals = ", ".join(f"{k} {v}" for k, v in plan.totals.items())
        self.stdout.write(f"{totals}; total cost {plan.total_cost}")


def _get(model: Any, code: str) -> Any:
    try:
        return model.objects.get(code=code)
    except model.DoesNotExist:
        raise CommandError(f"No {model._meta.model_name} with code {code!r}.") from None
