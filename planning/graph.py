"""The group plan as a min-cost flow, built with numpy and solved exactly by OR-Tools' SimpleMinCostFlow.

Requests that share a sending hospital, an ASA class, a travel limit and the units that declined them (a
*class*) can use the same offers at the same travel cost. So the graph goes

    request --(lateness of week w)--> class x week w --(travel cost)--> offer in week w --(free slots)--> sink
    request --(cost of leaving it unassigned)--> sink

Every path prices one (request, offer) pair exactly as `costs` says, and every pair the hard rules allow is a
path: the flow's optimum is the plan's optimum, with requests x weeks + classes x offers arcs instead of
requests x offers. Each request supplies one unit of flow, the sink takes them all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from planning.costs import Floats, Ints, great_circle_km, lateness_cost, place_cost, unassigned_cost


@dataclass(frozen=True)
class Instance:
    """One plan's data as arrays: n requests in K classes, m offers, `weeks` weeks from `first_day` (an ordinal)."""

    weeks: int
    first_day: int
    request_class: Ints  # (n,) index into the classes
    weight: Ints  # (n,) the priority's weight
    target: Ints  # (n,) medical target date, ordinal
    deadline: Ints  # (n,) care-guarantee deadline, ordinal
    class_lat: Floats  # (K,) the sending hospital
    class_lon: Floats
    class_asa: Ints  # (K,)
    class_limit: Floats  # (K,) km the patient can travel; inf: anywhere
    class_region: Ints  # (K,) the sending region
    class_healthcare_region: Ints  # (K,)
    declined: tuple[tuple[int, int], ...]  # (class, unit id): a unit that declined the class's requests
    offer_week: Ints  # (m,) index of the week
    offer_free: Ints  # (m,) free slots
    offer_max_asa: Ints  # (m,)
    offer_lat: Floats  # (m,) the unit's hospital
    offer_lon: Floats
    offer_region: Ints  # (m,)
    offer_healthcare_region: Ints  # (m,)
    offer_unit: Ints  # (m,) unit id

    @property
    def n(self) -> int:
        return len(self.request_class)

    @property
    def classes(self) -> int:
        return len(self.class_asa)

    @property
    def m(self) -> int:
        return len(self.offer_week)


class Blocked(enum.IntEnum):
    """Why a class has no offer at all, in the order the hard rules are applied."""

    NONE = 0  # some offer fits: a request left out lost to others
    NO_CAPACITY = 1
    ASA = 2
    TOO_FAR = 3
    DECLINED = 4


@dataclass(frozen=True)
class Graph:
    tails: Ints
    heads: Ints
    capacities: Ints
    costs: Ints
    supplies: Ints
    request_arcs: slice  # request -> class x week
    unassigned_arcs: slice
    offer_arcs: slice  # class x week -> offer
    request_week: Ints  # the week of each request arc
    offer_arc_offer: Ints  # the offer of each offer arc
    offer_arc_place: Ints  # its travel cost
    blocked: Ints  # (K,) Blocked, per class
    km: Floats  # (K, m)


def _feasible(inst: Instance) -> tuple[np.ndarray, Floats, Ints]:
    """Which (class, offer) pairs the hard rules allow, the km between them, and why a class has none."""
    km = great_circle_km(
        inst.class_lat[:, None], inst.class_lon[:, None], inst.offer_lat[None, :], inst.offer_lon[None, :]
    )
    other_region = inst.class_region[:, None] != inst.offer_region[None, :]
    asa = other_region & (inst.class_asa[:, None] <= inst.offer_max_asa[None, :])
    near = asa & (km <= inst.class_limit[:, None])
    feasible = near.copy()
    for k, unit in inst.declined:
        feasible[k, inst.offer_unit == unit] = False
    blocked = np.select(
        [feasible.any(axis=1), near.any(axis=1), asa.any(axis=1), other_region.any(axis=1)],
        [Blocked.NONE, Blocked.DECLINED, Blocked.TOO_FAR, Blocked.ASA],
        Blocked.NO_CAPACITY,
    ).astype(np.int64)
    return feasible, km, blocked


def build(inst: Instance) -> Graph:
    n, k_count, m, weeks = inst.n, inst.classes, inst.m, inst.weeks
    feasible, km, blocked = _feasible(inst)
    class_week_node = n  # class k, week w: n + k * weeks + w
    offer_node = n + k_count * weeks
    sink = offer_node + m
    kk, oo = np.nonzero(feasible)
    used = np.zeros((k_count, weeks), dtype=bool)
    used[kk, inst.offer_week[oo]] = True
    rr, ww = np.nonzero(used[inst.request_class])
    days = inst.first_day + 7 * np.arange(weeks, dtype=np.int64)
    request_costs = lateness_cost(inst.weight[rr], inst.target[rr], inst.deadline[rr], days[ww])
    horizon_end = inst.first_day + 7 * weeks
    other_hr = inst.class_healthcare_region[kk] != inst.offer_healthcare_region[oo]
    place = place_cost(km[kk, oo], other_hr)
    parts = [
        (rr, class_week_node + inst.request_class[rr] * weeks + ww, np.ones_like(rr), request_costs),
        (np.arange(n), np.full(n, sink), np.ones(n, dtype=np.int64), _unassigned(inst, horizon_end)),
        (class_week_node + kk * weeks + inst.offer_week[oo], offer_node + oo, inst.offer_free[oo], place),
        (offer_node + np.arange(m), np.full(m, sink), inst.offer_free, np.zeros(m, dtype=np.int64)),
    ]
    sizes = np.cumsum([0] + [len(p[0]) for p in parts])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    return Graph(
        tails=np.concatenate([p[0] for p in parts]).astype(np.int64),
        heads=np.concatenate([p[1] for p in parts]).astype(np.int64),
        capacities=np.concatenate([p[2] for p in parts]).astype(np.int64),
        costs=np.concatenate([p[3] for p in parts]).astype(np.int64),
        supplies=supplies,
        request_arcs=slice(sizes[0], sizes[1]),
        unassigned_arcs=slice(sizes[1], sizes[2]),
        offer_arcs=slice(sizes[2], sizes[3]),
        request_week=ww.astype(np.int64),
        offer_arc_offer=oo.astype(np.int64),
        offer_arc_place=place,
        blocked=blocked,
        km=km,
    )


def _unassigned(inst: Instance, horizon_end: int) -> Ints:
    return unassigned_cost(inst.weight, inst.target, inst.deadline, horizon_end)


class SolveError(RuntimeError):
    pass


def solve(graph: Graph) -> tuple[int, Ints]:
    """The optimal cost and the flow on every arc."""
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(graph.tails, graph.heads, graph.capacities, graph.costs)
    flow.set_nodes_supplies(np.arange(len(graph.supplies)), graph.supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolveError(f"min-cost flow: {status}")
    return int(flow.optimal_cost()), np.asarray(flow.flows(arcs), dtype=np.int64)


def assignments(inst: Instance, graph: Graph, flows: Ints) -> Ints:
    """The offer each request is placed at (-1: unassigned). Requests entering one class x week node pay the
    same there, and each unit of flow leaving it to an offer its travel cost, so any pairing of the two is
    optimal: the requests in input order take the offers cheapest first, so the plan is deterministic."""
    weeks = inst.weeks
    request_flow = flows[graph.request_arcs]
    rr = graph.tails[graph.request_arcs][request_flow > 0]
    r_node = inst.request_class[rr] * weeks + graph.request_week[request_flow > 0]
    offer_flow = flows[graph.offer_arcs]
    taken = offer_flow > 0
    o_node = graph.tails[graph.offer_arcs][taken] - inst.n
    oo = np.repeat(graph.offer_arc_offer[taken], offer_flow[taken])
    o_node_units = np.repeat(o_node, offer_flow[taken])
    o_place = np.repeat(graph.offer_arc_place[taken], offer_flow[taken])
    r_order = np.lexsort((rr, r_node))
    o_order = np.lexsort((oo, o_place, o_node_units))
    placed = np.full(inst.n, -1, dtype=np.int64)
    placed[rr[r_order]] = oo[o_order]
    return placed
