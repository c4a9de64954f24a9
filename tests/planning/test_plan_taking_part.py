"""The group plan uses only the capacity of regions that take part in SOT, as matching does."""

from __future__ import annotations

from tests.planning.conftest import offer, unit_at, waiting, week
from tests.planning.test_plan import placed, reasons


def test_capacity_of_a_region_that_does_not_take_part_is_not_planned(world, group, scope):
    r = waiting(world, group)
    outside = unit_at(world.far_region, "56.5")
    offer(outside, group, 1)
    world.far_region.takes_part = False
    world.far_region.save()
    assert placed(scope) == {}
    assert reasons(scope) == {r.reference: "no_capacity"}
    world.far_region.takes_part = True
    world.far_region.save()
    assert placed(scope) == {r.reference: (outside.code, week(1))}
