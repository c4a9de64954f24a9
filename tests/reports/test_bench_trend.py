"""`bench_report` at a small scale, on PostgreSQL: its fill still matches the tables, and it times the
figures page beside the month's figures."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_bench_report_fills_and_times_the_figures_page():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL")
    out = StringIO()
    call_command("bench_report", "--referrals", "300", "--runs", "1", stdout=out)
    text = out.getvalue()
    assert "requests 300" in text and "compute_figures median" in text
    assert "compute_trends (live) median" in text and "figures page (months kept) median" in text
    assert "build_monthly_figures kept" in text
