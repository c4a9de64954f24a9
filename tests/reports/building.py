"""Building a report in a test, where no other worker can hold it."""

from __future__ import annotations

from datetime import date

from reports.models import MonthlyReport
from reports.scopes import Scope
from reports.services import report_build


def built(*, month: date, scope: Scope) -> MonthlyReport:
    """`report_build`, which returns None only while another build of the same report runs."""
    report = report_build(month=month, scope=scope)
    assert report is not None, "the report is being built elsewhere"
    return report
