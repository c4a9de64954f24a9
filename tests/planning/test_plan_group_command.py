"""`manage.py plan_group --json`: the README's document, and nothing changes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from capacity.models import CapacityOffer
from referrals.models import Referral, ReferralEvent
from tests.planning.conftest import offer, unit_at, waiting, week


def _state() -> tuple:
    return (
        list(Referral.objects.order_by("pk").values_list("pk", "status", "receiving_unit_id")),
        ReferralEvent.objects.count(),
        list(CapacityOffer.objects.order_by("pk").values_list("pk", "slots", "reserved_slots")),
    )


def test_the_json(world, group):
    on_time = waiting(world, group, target=week(1))
    left_out = waiting(world, group, asa_class=5)
    unit = unit_at(world.neighbour_region, "56.9")
    o = offer(unit, group, 1)
    before = _state()
    out = StringIO()
    call_command("plan_group", "--region", world.home_region.code, "--group", group.code, "--json", stdout=out)
    assert _state() == before
    data = json.loads(out.getvalue())
    assert list(data) == ["region", "diagnosis_group", "weeks", "assignments", "unassigned", "totals", "total_cost"]
    assert data["region"] == world.home_region.code and data["diagnosis_group"] == group.code
    assert data["weeks"]["first"] == f"{week(0):%G-W%V}" and data["weeks"]["last"] == f"{week(25):%G-W%V}"
    (assignment,) = data["assignments"]
    assert assignment["reference"] == on_time.reference
    assert (assignment["unit"], assignment["week"], assignment["week_start"]) == (
        unit.code,
        f"{week(1):%G-W%V}",
        week(1).isoformat(),
    )
    assert assignment["offer"] == o.pk
    assert assignment["days_vs_target"] == 0  # the target date is the week's Monday
    assert assignment["same_healthcare_region"] is True and 99 < assignment["km"] < 101
    assert assignment["cost"] == round(assignment["km"])  # on time, the own healthcare region: km only
    (unassigned,) = data["unassigned"]
    assert unassigned["reference"] == left_out.reference and unassigned["reason_code"] == "asa"
    assert unassigned["reason"]
    assert data["total_cost"] == assignment["cost"] + unassigned["cost"]
    assert data["totals"] == {
        "requests": 2,
        "assigned": 1,
        "by_target_date": 1,
        "by_deadline": 0,
        "late": 0,
        "unassigned": 1,
        "km": round(assignment["km"]),
    }


def test_filters_and_an_empty_plan(world, group):
    waiting(world, group)
    out = StringIO()
    call_command(
        "plan_group",
        "--region",
        world.home_region.code,
        "--group",
        group.code,
        "--unit",
        world.neighbour_unit.code,
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["assignments"] == [] and data["unassigned"] == [] and data["total_cost"] == 0


def test_unknown_codes_are_refused(world, group):
    with pytest.raises(CommandError):
        call_command("plan_group", "--region", "nowhere", "--group", group.code, stdout=StringIO())
