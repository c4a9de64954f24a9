"""Demo: last month's reports, built once, so that the demo directors have something to download, and the
figures page's twelve months kept, as the monthly run keeps them."""

from __future__ import annotations

from organisations.models import HealthcareRegion, Region
from reports.figure_store import figures_backfill
from reports.models import MonthlyReport
from reports.scopes import ALL, Scope
from reports.services import last_month, report_build


def seed_demo_reports() -> int:
    if MonthlyReport.objects.exists():
        return 0
    scopes = [Scope(ALL)]
    scopes += [Scope("healthcare_region", healthcare_region=h) for h in HealthcareRegion.objects.all()]
    scopes += [Scope("region", region=r) for r in Region.objects.all()]
    month = last_month()
    for scope in scopes:
        report_build(month=month, scope=scope)
    figures_backfill(months=12)
    return len(scopes)
