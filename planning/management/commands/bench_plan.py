"""Benchmark of the group plan on PostgreSQL: 10,000 waiting requests against 500 units x 26 weeks of offers.

Fills the database it is pointed at (a database of its own: `make bench` uses sot_bench_plan), then times
`plan_group` (read the data and build the graph, solve, in all), solves the same arcs with the bare solver,
and checks the optimum: equal to the bare solve at full size, and to a plain LP (GLOP) over every pair on a
smaller instance.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from catalog.models import DiagnosisGroup
from organisations.models import Region
from planning import bench, graph
from planning.data import Scope, read
from planning.plan import plan_group
from referrals.models import Referral

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


RUNS = 3  # each timing is the median of three runs


class Command(BaseCommand):
    help = "Fill a PostgreSQL database and time the group plan against the bare solver; check its optimum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument("--weeks", type=int, default=26)
        parser.add_argument("--requests", type=int, default=10_000)
        parser.add_argument("--lp-requests", type=int, default=400, help="Requests of the LP check's instance")
        parser.add_argument("--lp-offers", type=int, default=1300, help="Offers of the LP check's instance")
        parser.add_argument("--keep", action="store_true", help="Reuse the data of an earlier run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        if not options["keep"] or not Referral.objects.exists():
            started = time.perf_counter()
            call_command("flush", interactive=False, verbosity=0)
            bench.fill(random.Random(18), units=options["units"], weeks=options["weeks"], requests=options["requests"])
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"filled in {time.perf_counter() - started:.1f} s")
        scope = Scope(region=Region.objects.get(code=bench.REGION), group=DiagnosisGroup.objects.get(code=bench.GROUP))
        built = graph.build(read(scope, today=timezone.localdate()).instance)
        plan_group(scope)  # warm the connection and the imports once
        plans, solves = [], []
        for _ in range(RUNS):  # in turns, so that the machine's load weighs on both alike
            plans.append(plan_group(scope))
            solves.append(bench.bare_solve(built))
        plan = sorted(plans, key=lambda p: p.seconds["total"])[RUNS // 2]  # the median run
        cost, bare = sorted(solves, key=lambda solve: solve[1])[RUNS // 2]
        s = plan.seconds
        self.stdout.write(
            f"plan_group (median of {RUNS}): {plan.totals['requests']} requests, {plan.totals['assigned']} assigned: "
            f"read the data {s['read']:.2f} s + build the graph {s['build']:.2f} s = {s['read'] + s['build']:.2f} s, "
            f"solve {s['solve']:.2f} s, total {s['total']:.2f} s; total cost {plan.total_cost}"
        )
        self.stdout.write(
            f"bare SimpleMinCostFlow (median of {RUNS}) on the same {len(built.tails)} arcs ({len(built.supplies)} "
            f"nodes): {bare:.2f} s, cost {cost}; plan_group total / bare solve = {s['total'] / bare:.2f} (goal <= 1.5)"
        )
        if cost != plan.total_cost:
            raise CommandError(f"the bare solve's optimum {cost} differs from the plan's {plan.total_cost}")
        self._lp(scope, options["lp_requests"], options["lp_offers"])

    def _lp(self, scope: Scope, requests: int, offers: int) -> None:
        inst = bench.smaller(read(scope, today=timezone.localdate()).instance, requests=requests, offers=offers)
        flow_cost, _flows = graph.solve(graph.build(inst))
        started = time.perf_counter()
        lp_cost, pairs = bench.lp_optimum(inst)
        seconds = time.perf_counter() - started
        rel = abs(lp_cost - flow_cost) / max(1.0, abs(flow_cost))
        self.stdout.write(
            f"LP check ({inst.n} requests, {inst.m} offers, {pairs} pair variables, GLOP {seconds:.1f} s): "
            f"min-cost flow {flow_cost}, LP {lp_cost:.1f}, relative difference {rel:.1e}"
        )
        if rel > 1e-9:
            raise CommandError("the plan's optimum differs from the LP's")
