"""The group plan for one region and diagnosis group: read, build, solve, and say why (see `graph`, `costs`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils import timezone

from capacity.weeks import iso_week
from planning import graph
from planning.costs import HORIZON_WEEKS, great_circle_km, lateness_cost, place_cost
from planning.data import Data, Scope, read
from planning.reasons import assignment_reasons, unassigned_reason


@dataclass(frozen=True)
class Assignment:
    request_id: int
    reference: str
    offer_id: int
    unit_code: str
    week: date
    cost: int
    days_vs_target: int
    days_vs_deadline: int
    same_healthcare_region: bool
    distance_km: float

    @property
    def reasons(self) -> list[str]:
        return assignment_reasons(self)

    @property
    def timeliness(self) -> str:
        """One bucket each: after the care-guarantee deadline is late whatever the target date; otherwise by
        the medical target date, or after it but by the deadline (a target later than the deadline can be)."""
        if self.days_vs_deadline > 0:
            return "late"
        return "by_target_date" if self.days_vs_target <= 0 else "by_deadline"


@dataclass(frozen=True)
class Unassigned:
    request_id: int
    reference: str
    reason_code: str
    reason: str
    cost: int


@dataclass
class Plan:
    scope: Scope
    first_week: date
    assignments: list[Assignment] = field(default_factory=list)
    unassigned: list[Unassigned] = field(default_factory=list)
    total_cost: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, Any]:
        kinds = [a.timeliness for a in self.assignments]
        return {
            "requests": len(self.assignments) + len(self.unassigned),
            "assigned": len(self.assignments),
            "by_target_date": kinds.count("by_target_date"),
            "by_deadline": kinds.count("by_deadline"),
            "late": kinds.count("late"),
            "unassigned": len(self.unassigned),
            "km": round(sum(a.distance_km for a in self.assignments)),
        }

    def as_json(self) -> dict[str, Any]:
        """The document `manage.py plan_group --json` prints (README, "The group plan")."""
        last = self.first_week + timedelta(weeks=HORIZON_WEEKS - 1)
        return {
            "region": self.scope.region.code,
            "diagnosis_group": self.scope.group.code,
            "weeks": {"first": iso_week(self.first_week), "last": iso_week(last)},
            "assignments": [_assignment_json(a) for a in self.assignments],
            "unassigned": [
                {"reference": u.reference, "reason": u.reason, "reason_code": u.reason_code, "cost": u.cost}
                for u in self.unassigned
            ],
            "totals": self.totals,
            "total_cost": self.total_cost,
        }


def _assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "reference": a.reference,
        "unit": a.unit_code,
        "week": iso_week(a.week),
        "week_start": a.week.isoformat(),
        "offer": a.offer_id,
        "cost": a.cost,
        "days_vs_target": a.days_vs_target,
        "days_vs_deadline": a.days_vs_deadline,
        "same_healthcare_region": a.same_healthcare_region,
        "km": round(a.distance_km, 1),
    }


def plan_group(scope: Scope, *, today: date | None = None) -> Plan:
    """The optimal plan; reads only (six queries), writes nothing."""
    started = time.perf_counter()
    data = read(scope, today=today or timezone.localdate())
    read_done = time.perf_counter()
    built = graph.build(data.instance)
    build_done = time.perf_counter()
    total, flows = graph.solve(built)
    solve_done = time.perf_counter()
    placed = graph.assignments(data.instance, built, flows)
    plan = _plan(scope, data, built, placed, total)
    plan.seconds = {
        "read": read_done - started,
        "build": build_done - read_done,
        "solve": solve_done - build_done,
        "decode": time.perf_counter() - solve_done,
        "total": time.perf_counter() - started,
    }
    return plan


def _plan(scope: Scope, data: Data, built: graph.Graph, placed: np.ndarray, total: int) -> Plan:
    inst = data.instance
    plan = Plan(scope=scope, first_week=data.first_week, total_cost=total)
    rr = np.nonzero(placed >= 0)[0]
    oo = placed[rr]
    kk = inst.request_class[rr]
    km = great_circle_km(inst.class_lat[kk], inst.class_lon[kk], inst.offer_lat[oo], inst.offer_lon[oo])
    same = inst.class_healthcare_region[kk] == inst.offer_healthcare_region[oo]
    days = inst.first_day + 7 * inst.offer_week[oo]
    costs = lateness_cost(inst.weight[rr], inst.target[rr], inst.deadline[rr], days) + place_cost(km, ~same)
    columns = zip(
        rr.tolist(), oo.tolist(), costs.tolist(), (days - inst.target[rr]).tolist(),
        (days - inst.deadline[rr]).tolist(), same.tolist(), km.tolist(), strict=True,
    )  # fmt: skip
    plan.assignments = [
        Assignment(
            request_id=data.request_ids[r],
            reference=data.references[r],
            offer_id=data.offer_ids[o],
            unit_code=data.offer_unit_codes[o],
            week=data.offer_weeks[o],
            cost=cost,
            days_vs_target=vs_target,
            days_vs_deadline=vs_deadline,
            same_healthcare_region=same_hr,
            distance_km=distance,
        )
        for r, o, cost, vs_target, vs_deadline, same_hr, distance in columns
    ]
    unassigned_costs = built.costs[built.unassigned_arcs]
    for r in np.nonzero(placed < 0)[0].tolist():
        code, reason = unassigned_reason(graph.Blocked(int(built.blocked[inst.request_class[r]])), data, r)
        plan.unassigned.append(
            Unassigned(data.request_ids[r], data.references[r], code, reason, int(unassigned_costs[r]))
        )
    return plan
