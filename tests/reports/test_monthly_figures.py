"""The closed months' figures kept in the database: equal to the live computation for every figure, read
with a query count that does not depend on the months shown, marked stale by a late change and computed
again, and a backfill that is safe to run twice."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import (
    CloseReason,
    DeclineReason,
    Obstacle,
    ObstacleCategory,
    ObstacleSource,
    WaitPause,
    WaitPauseKind,
)
from reports import figure_store
from reports.figure_store import every_scope, figures_backfill, figures_build, figures_refresh, fresh_figures
from reports.models import FiguresChange, MonthlyFigures
from reports.months import last_month, months_ending
from reports.scopes import Scope
from reports.trend_queries import FIGURES_VERSION, compute_months
from reports.trends import compute_trends, trends_for_page
from tests.factories import DiagnosisGroupFactory
from tests.reports.test_reports import _receiver, accepted, stockholm
from tests.reports.test_trends import _submitted

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
RUN = [OCTOBER, NOVEMBER]
ALL = Scope("all")


@pytest.fixture
def history(world):
    """Something for every figure in October and November 2026."""
    group = DiagnosisGroupFactory(code="starr", name="Grå starr")
    accepted(world, stockholm(2026, 10, 5, 12), group=group)
    late = accepted(
        world, stockholm(2026, 10, 20, 12), care_guarantee_deadline=date(2026, 10, 1), decision_date=date(2026, 9, 1)
    )
    accepted(world, stockholm(2026, 11, 3, 12), receiving=world.far_unit)
    services.referral_complete(
        referral=late,
        by=_receiver(world, world.neighbour_unit),
        care_given_date=date(2026, 11, 2),
        at=stockholm(2026, 11, 2, 12),
    )
    one = _submitted(world, stockholm(2026, 10, 1, 10))
    services.referral_take(referral=one, by=world.sot, at=stockholm(2026, 10, 3, 10))
    services.referral_propose(
        referral=one, by=world.sot, unit=world.neighbour_unit, reason="x", at=stockholm(2026, 10, 4, 12)
    )
    services.referral_decline(
        referral=one,
        by=_receiver(world, world.neighbour_unit),
        reason=DeclineReason.NO_CAPACITY,
        at=stockholm(2026, 10, 9, 12),
    )
    services.referral_close(referral=one, by=world.sot, reason=CloseReason.NO_RECEIVER, at=stockholm(2026, 11, 5, 9))
    waiting = _submitted(world, stockholm(2026, 8, 20, 10))
    WaitPause.objects.create(
        referral=waiting, kind=WaitPauseKind.PATIENT_CHOSEN, start_date=date(2026, 9, 1), end_date=date(2026, 9, 10)
    )
    _submitted(world, stockholm(2026, 11, 20, 10))
    services.obstacle_record(
        by=world.sot,
        category=ObstacleCategory.IT,
        text="Journalen",
        region=world.home_region,
        at=stockholm(2026, 10, 12),
    )
    Obstacle.objects.create(
        category=ObstacleCategory.CAPACITY,
        text="Ingen plats",
        region=world.neighbour_region,
        source=ObstacleSource.STANDALONE,
        created_by=world.sot,
        created_at=stockholm(2026, 11, 12),
    )
    return world


def _scopes(world) -> list[Scope]:
    return [
        ALL,
        Scope("region", region=world.home_region),
        Scope("region", region=world.neighbour_region),
        Scope("healthcare_region", healthcare_region=world.south),
    ]


def test_kept_months_equal_the_live_computation_for_every_figure(history):
    for scope in _scopes(history):
        assert figures_build(scope=scope, months=RUN) == 2
        kept = fresh_figures(scope=scope, run=RUN)
        live = compute_months(run=RUN, scope=scope)
        for month in RUN:
            key = f"{month:%Y-%m}"
            assert kept[key][0] == live[key] == compute_months(run=[month], scope=scope)[key], (scope.key, key)
        page = trends_for_page(last=NOVEMBER, scope=scope, months=2)
        assert [part["kept"] for part in page.pop("computed")] == [True]  # both months read, none computed
        assert page == compute_trends(last=NOVEMBER, scope=scope, months=2), scope.key
    october = fresh_figures(scope=ALL, run=RUN)["2026-10"][0]
    assert october["coordinated"] == 2 and october["after_deadline"] == 1 and october["care_given"] == 1
    assert october["declines"] == {DeclineReason.NO_CAPACITY: 1} and october["obstacles"] == {"it": 1}
    assert october["by_group"]["Grå starr"] == 1 and sum(october["bands"]) >= 1


def test_only_months_that_have_ended_are_kept(world):
    this_month = timezone.localdate().replace(day=1)
    assert figures_build(scope=ALL, months=[this_month]) == 0
    assert not MonthlyFigures.objects.exists()


@pytest.mark.parametrize("kept", [False, True])
def test_query_count_is_the_same_for_3_and_12_months(history, kept):
    scope = Scope("region", region=history.home_region)
    if kept:
        figures_build(scope=scope, months=months_ending(NOVEMBER, 12))
    counts = []
    for months in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            trends_for_page(last=NOVEMBER, scope=scope, months=months)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    if kept:
        assert counts[0] == 1  # the kept months, read at once


def test_query_count_with_the_last_month_live_is_the_same_for_3_and_12_months(history):
    figures_build(scope=ALL, months=months_ending(OCTOBER, 12))  # November not kept
    counts = []
    for months in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            result = trends_for_page(last=NOVEMBER, scope=ALL, months=months)
        counts.append(len(queries))
        assert [part["kept"] for part in result["computed"]] == [True, False]
    assert counts[0] == counts[1]


def test_a_late_change_to_a_kept_month_shows_and_is_computed_again(history):
    figures_build(scope=ALL, months=RUN)
    october = accepted(history, stockholm(2026, 10, 28, 12))  # written as history in October…
    assert "2026-10" not in fresh_figures(scope=ALL, run=RUN)  # …so October is no longer read from the table
    assert "2026-11" not in fresh_figures(scope=ALL, run=RUN)  # the request figures in November too
    assert trends_for_page(last=NOVEMBER, scope=ALL, months=2)["coordinated"] == [3, 1]
    services.referral_complete(  # care given today, for a request accepted in October
        referral=october, by=_receiver(history, history.neighbour_unit), care_given_date=timezone.localdate()
    )
    assert trends_for_page(last=NOVEMBER, scope=ALL, months=2)["care_given"] == [2, 0]
    assert figures_refresh() >= 2
    assert not FiguresChange.objects.exists()
    kept = fresh_figures(scope=ALL, run=RUN)
    assert kept["2026-10"][0]["coordinated"] == 3 and kept["2026-10"][0]["care_given"] == 2
    assert trends_for_page(last=NOVEMBER, scope=ALL, months=2)["care_given"] == [2, 0]


def test_a_step_today_leaves_the_kept_months_fresh(history):
    """A step taken now writes history in the month now running only: the kept months stay right and read."""
    referral = _submitted(history, stockholm(2026, 10, 20, 10))
    figures_build(scope=ALL, months=RUN)
    services.referral_take(referral=referral, by=history.sot)
    assert set(fresh_figures(scope=ALL, run=RUN)) == {"2026-10", "2026-11"}
    kept = fresh_figures(scope=ALL, run=RUN)
    assert {k: f for k, (f, _at) in kept.items()} == compute_months(run=RUN, scope=ALL)


def test_a_patient_chosen_pause_changes_the_bands_of_the_kept_months(history):
    referral = _submitted(history, stockholm(2026, 10, 2, 10))  # decided 1 October, still open
    figures_build(scope=ALL, months=RUN)
    before = fresh_figures(scope=ALL, run=RUN)["2026-11"][0]["bands"]
    services.wait_pause_add(
        referral=referral,
        by=history.unit_staff,
        kind=WaitPauseKind.PATIENT_CHOSEN,
        start_date=date(2026, 10, 2),
        end_date=date(2026, 10, 31),
    )
    assert fresh_figures(scope=ALL, run=RUN) == {}
    live = trends_for_page(last=NOVEMBER, scope=ALL, months=2)
    assert [row["counts"][1] for row in live["waiting_bands"]] != before  # 60 days waited become 30
    figures_refresh()
    assert (
        fresh_figures(scope=ALL, run=RUN)["2026-11"][0]["bands"]
        == compute_months(run=RUN, scope=ALL)["2026-11"]["bands"]
    )


def test_a_group_correction_makes_the_acceptance_month_stale(history):
    scope = Scope("region", region=history.home_region)
    figures_build(scope=scope, months=RUN)
    referral = accepted(history, stockholm(2026, 10, 6, 12))
    figure_store.figures_refresh()
    group = DiagnosisGroupFactory(code="rattad", name="Rättad grupp")
    services.referral_correct_group(referral=referral, by=history.sot, diagnosis_group=group)
    assert "2026-10" not in fresh_figures(scope=scope, run=RUN)
    figures_refresh()
    assert fresh_figures(scope=scope, run=RUN)["2026-10"][0]["by_group"]["Rättad grupp"] == 1


def test_an_obstacle_touches_its_month_in_its_regions_scopes_only(history):
    home, far = Scope("region", region=history.home_region), Scope("region", region=history.far_region)
    for scope in (ALL, home, far):
        figures_build(scope=scope, months=RUN)
    services.obstacle_record(
        by=history.sot,
        category=ObstacleCategory.LEGAL,
        text="Avtal",
        region=history.home_region,
        at=stockholm(2026, 11, 3),
    )
    assert set(fresh_figures(scope=ALL, run=RUN)) == set(fresh_figures(scope=home, run=RUN)) == {"2026-10"}
    assert set(fresh_figures(scope=far, run=RUN)) == {"2026-10", "2026-11"}
    figures_refresh()
    assert fresh_figures(scope=home, run=RUN)["2026-11"][0]["obstacles"] == {"legal": 1}


def test_a_month_touched_while_it_was_computed_is_not_stored(history):
    """The store is conditional: a change noted while a month was computed (pending, or applied meanwhile)
    keeps the month stale; the next round computes it again."""
    seen = figure_store.figures_claim(scope=ALL, months=RUN)
    figures = compute_months(run=RUN, scope=ALL)
    FiguresChange.objects.create(region=history.home_region, month=NOVEMBER)  # noted while computing
    assert figure_store.figures_store(scope=ALL, computed=figures, seen=seen) == 1  # October only
    assert figure_store.figures_apply_changes() == 1
    assert figure_store.figures_store(scope=ALL, computed=figures, seen=seen) == 1  # November's marks moved on
    assert set(fresh_figures(scope=ALL, run=RUN)) == {"2026-10"}
    assert figures_build(scope=ALL, months=[NOVEMBER]) == 1


def test_other_definitions_and_renamed_regions_are_not_read(history):
    figures_build(scope=ALL, months=RUN)
    MonthlyFigures.objects.filter(month=OCTOBER).update(version=FIGURES_VERSION - 1)
    assert set(fresh_figures(scope=ALL, run=RUN)) == {"2026-11"}
    assert figures_refresh() >= 1 and set(fresh_figures(scope=ALL, run=RUN)) == {"2026-10", "2026-11"}
    history.neighbour_region.name = "Region Blekinge län"
    history.neighbour_region.save()
    assert fresh_figures(scope=ALL, run=RUN) == {}


def test_backfill_is_safe_to_run_twice(history):
    assert figures_backfill(months=2) == 2 * len(every_scope())
    rows = list(MonthlyFigures.objects.values_list("scope_key", "month", "figures", "computed_at", "marks"))
    assert len(rows) == 2 * len(every_scope()) and {month for _k, month, *_ in rows} == set(
        months_ending(last_month(), 2)
    )
    assert figures_backfill(months=2) == 0
    assert list(MonthlyFigures.objects.values_list("scope_key", "month", "figures", "computed_at", "marks")) == rows


def test_the_command_keeps_the_months(world, capsys):
    call_command("build_monthly_figures", "--months", "3")
    assert f"{3 * len(every_scope())} months stored" in capsys.readouterr().out
    call_command("build_monthly_figures", "--months", "3")
    assert "0 months stored" in capsys.readouterr().out
    call_command("build_monthly_figures", "--months", "3", "--rebuild")
    assert f"{3 * len(every_scope())} months stored" in capsys.readouterr().out


def test_the_page_says_which_months_were_kept_and_which_computed_now(client, history):
    figures_build(scope=Scope("region", region=history.home_region), months=months_ending(OCTOBER, 12))
    client.force_login(history.director)
    body = client.get(reverse("reports:figures"), {"month": "2026-11", "scope": "region:skane"}).content.decode()
    computed = body[body.index('data-testid="figures-computed"') :]
    computed = computed[: computed.index("</ul>")]
    kept = r"Sparade månader, beräknade \d{4}-\d{2}-\d{2} \d{2}:\d{2}: december 2025 – oktober 2026\."
    assert re.search(kept, computed)
    assert re.search(r"Beräknade nu, kl\. \d{2}:\d{2}: november 2026\.", computed)


def test_the_page_shows_a_late_change_in_a_kept_month(client, history):
    figures_build(scope=ALL, months=RUN)
    client.force_login(history.administrator)
    url = reverse("reports:figures")
    before = client.get(url, {"month": "2026-10", "scope": "all"}).content.decode()
    assert re.search(r'data-figure="coordinated">2<', before)
    accepted(history, stockholm(2026, 10, 30, 12))
    after = client.get(url, {"month": "2026-10", "scope": "all"}).content.decode()
    assert re.search(r'data-figure="coordinated">3<', after)


def test_the_monthly_run_and_the_beat_keep_the_months():
    from sot.celery import app

    entry = app.conf.beat_schedule["refresh-monthly-figures"]
    assert entry["task"] == "reports.refresh_monthly_figures" and entry["schedule"] == 60.0


def test_the_tasks_keep_the_months_and_refresh_them(history):
    from reports import tasks

    assert tasks.build_monthly_figures(months=2) == 2 * len(every_scope())
    accepted(history, stockholm(2026, 11, 27, 12))  # history recorded in a kept month
    assert tasks.refresh_monthly_figures() >= 1
    assert not MonthlyFigures.objects.filter(stale=True).exists() and not FiguresChange.objects.exists()
