"""The monthly report: figures at every edge, the three files read back, idempotency, scheduling."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from organisations.models import Region
from referrals import services
from referrals.models import EventKind, ReferralEvent, ReferralStatus, WithdrawReason
from reports.figures import compute_figures, month_window
from reports.models import MonthlyReport, ReportStatus
from reports.scopes import Scope
from reports.services import report_build
from tests.factories import DiagnosisGroupFactory, ReferralFactory, UnitFactory
from tests.reports.building import built

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OCTOBER = date(2026, 10, 1)  # summer time ends on Sunday 25 October 2026 at 03:00


def stockholm(year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM, fold=fold)


def accepted(world, at: datetime, *, receiving=None, group=None, **kwargs):
    """A request accepted at `at` by `receiving` (default: a unit in the neighbour region)."""
    receiving = receiving or world.neighbour_unit
    referral = ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.PROPOSED,
        receiving_unit=receiving,
        diagnosis_group=group or DiagnosisGroupFactory(),
        submitted_at=at - timedelta(days=10),
        **kwargs,
    )
    services.referral_accept(referral=referral, by=_receiver(world, receiving), planned_date=at.date(), at=at)
    referral.refresh_from_db()
    return referral


def _receiver(world, unit):
    from accounts.models import Role
    from tests.factories import UserFactory, member

    user = UserFactory()
    member(user, Role.RECEIVING_STAFF, unit)
    return user


def test_month_window_is_stockholm_time():
    start, end = month_window(OCTOBER)
    assert start == stockholm(2026, 10, 1) and start.utcoffset() == timedelta(hours=2)  # summer time
    assert end == stockholm(2026, 11, 1) and end.utcoffset() == timedelta(hours=1)  # winter time


def test_the_edges_of_the_month(world):
    inside = [
        accepted(world, stockholm(2026, 10, 1, 0, 0)),  # first minute of the month
        accepted(world, stockholm(2026, 10, 25, 2, 30, fold=1)),  # the repeated hour when summer time ends
        accepted(world, stockholm(2026, 10, 31, 23, 59)),  # last minute of the month
    ]
    accepted(world, stockholm(2026, 9, 30, 23, 59))  # September
    accepted(world, stockholm(2026, 11, 1, 0, 0))  # November
    same_region = UnitFactory(hospital=world.home_unit.hospital)
    accepted(world, stockholm(2026, 10, 15, 12, 0), receiving=same_region)  # not to another region
    figures = compute_figures(month=OCTOBER, scope=Scope("all"))
    assert figures["coordinated_total"] == len(inside) == 3
    assert figures["coordinated"] == [
        {
            "group": "Höft- och knäledsartros",
            "sending_region": "Region Skåne",
            "receiving_region": "Region Blekinge",
            "patients": 3,
        }
    ]
    assert compute_figures(month=date(2026, 11, 1), scope=Scope("all"))["coordinated_total"] == 1


def test_withdrawn_after_acceptance_still_counts_and_is_shown(world):
    referral = accepted(world, stockholm(2026, 10, 10, 9, 0))
    services.referral_withdraw(
        referral=referral, by=world.unit_staff, reason=WithdrawReason.TREATED_AT_HOME, at=stockholm(2026, 10, 20)
    )
    figures = compute_figures(month=OCTOBER, scope=Scope("all"))
    assert (figures["coordinated_total"], figures["withdrawn_after_acceptance"]) == (1, 1)


def test_a_corrected_diagnosis_group_counts(world):
    referral = accepted(world, stockholm(2026, 10, 10, 9, 0))
    other = DiagnosisGroupFactory(code="brack", name="Bråck", ranges=[("K40", "K46")])
    services.referral_correct_group(referral=referral, by=world.sot, diagnosis_group=other)
    figures = compute_figures(month=OCTOBER, scope=Scope("all"))
    assert [r["group"] for r in figures["coordinated_by_group"]] == ["Bråck"]
    assert ReferralEvent.objects.filter(kind=EventKind.GROUP_CORRECTED).count() == 1


def test_the_other_figures(world):
    late = accepted(world, stockholm(2026, 10, 12, 10, 0))
    from referrals.models import Referral

    Referral.objects.filter(pk=late.pk).update(
        decision_date=date(2026, 7, 1), care_guarantee_deadline=date(2026, 10, 11)
    )
    accepted(world, stockholm(2026, 10, 14, 10, 0))  # submitted 10 days before: median 10.0
    in_review = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.IN_REVIEW)
    services.referral_close(
        referral=in_review,
        by=world.sot,
        reason="no_receiver",
        obstacle_category="capacity",
        obstacle_text="Ingen ledig IVA-kapacitet.",
        at=stockholm(2026, 10, 20, 8, 0),
    )
    proposed = ReferralFactory(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit
    )
    services.referral_decline(
        referral=proposed, by=world.receiving_staff, reason="no_capacity", at=stockholm(2026, 10, 21, 8, 0)
    )
    ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.SUBMITTED, submitted_at=stockholm(2026, 10, 3))
    ReferralFactory(
        sending_unit=world.neighbour_unit, status=ReferralStatus.SUBMITTED, submitted_at=stockholm(2026, 10, 3)
    )
    all_regions = compute_figures(month=OCTOBER, scope=Scope("all"))
    assert all_regions["accepted_after_deadline"] == 1
    assert all_regions["median_days_to_acceptance"] == 10.0
    closed = [{"reason": "Ingen mottagande verksamhet hittades", "count": 1}]
    assert all_regions["closed_without_coordination"] == closed
    assert all_regions["declines"] == [{"reason": "Ingen kapacitet i tid", "count": 1}]
    assert all_regions["submitted"] == 4  # the two accepted (submitted 10 days before) and the two on 3 October
    assert all_regions["obstacles"] == [
        {"date": "2026-10-20", "category": "Kapacitet", "region": "Region Skåne", "text": "Ingen ledig IVA-kapacitet."}
    ]
    skane = compute_figures(month=OCTOBER, scope=Scope("region", region=world.home_region))
    blekinge = compute_figures(month=OCTOBER, scope=Scope("region", region=world.neighbour_region))
    assert (skane["submitted"], blekinge["submitted"]) == (3, 1)
    assert blekinge["coordinated_total"] == 0 and blekinge["obstacles"] == []
    south = compute_figures(month=OCTOBER, scope=Scope("healthcare_region", healthcare_region=world.south))
    assert south["coordinated_total"] == 2


def _build(world, scope=None):
    referral = accepted(world, stockholm(2026, 10, 12, 10, 0))
    return referral, built(month=OCTOBER, scope=scope or Scope("all"))


def test_three_files_agree_with_the_figures_and_hold_no_personal_data(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral, report = _build(world)
    figures = report.figures
    assert report.status == ReportStatus.READY
    assert report.pdf_file.name.endswith("sot-manadsrapport-2026-10-all.pdf")

    rows = list(csv.reader(io.StringIO(report.csv_file.read().decode("utf-8-sig")), delimiter=";"))
    assert ["Patienter samordnade till vård i annan region", str(figures["coordinated_total"])] in rows
    assert ["Höft- och knäledsartros", "Region Skåne", "Region Blekinge", "1"] in rows

    workbook = load_workbook(report.xlsx_file.path)
    assert workbook.sheetnames[:2] == ["Översikt", "Samordnade patienter"]
    sheet = workbook["Samordnade patienter"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Höft- och knäledsartros", "Region Skåne", "Region Blekinge", 1]

    text = "\n".join(page.extract_text() for page in PdfReader(report.pdf_file.path).pages)
    assert "SOT månadsrapport oktober 2026" in text
    assert "Samordnade patienter per diagnosgrupp" in text
    assert "Höft- och knäledsartros" in text

    patient = referral.patient
    for content in (
        report.csv_file.open("rb").read().decode("utf-8-sig"),
        "\n".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row),
        text,
    ):
        assert patient.personal_number not in content and referral.patient_name not in content
        assert referral.reference not in content


def test_rebuild_replaces_and_never_duplicates(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _referral, first = _build(world)
    old_pdf = first.pdf_file.path
    accepted(world, stockholm(2026, 10, 20, 10, 0))
    second = built(month=OCTOBER, scope=Scope("all"))
    assert MonthlyReport.objects.count() == 1 and second.pk == first.pk
    assert second.figures is not None
    assert second.figures["coordinated_total"] == 2
    assert sorted(p.name for p in (tmp_path / "reports" / "2026-10").iterdir()) == [
        "sot-manadsrapport-2026-10-all.csv",
        "sot-manadsrapport-2026-10-all.pdf",
        "sot-manadsrapport-2026-10-all.xlsx",
    ]
    assert second.pdf_file.path == old_pdf


def test_a_running_build_is_not_started_twice(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.utils import timezone

    MonthlyReport.objects.create(
        month=OCTOBER, scope_key="all", scope_label="x", status=ReportStatus.BUILDING, started_at=timezone.now()
    )
    assert report_build(month=OCTOBER, scope=Scope("all")) is None
    MonthlyReport.objects.update(started_at=timezone.now() - timedelta(hours=1))  # a worker died
    assert built(month=OCTOBER, scope=Scope("all")).status == ReportStatus.READY


def test_a_failed_build_is_recorded(world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.compute_figures", broken)
    with pytest.raises(RuntimeError):
        report_build(month=OCTOBER, scope=Scope("all"))
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.FAILED and "disk full" in report.error


def test_command_prints_the_three_paths(world, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    accepted(world, stockholm(2026, 10, 12, 10, 0))
    call_command("build_monthly_report", "--month", "2026-10", "--scope", "region:skane")
    paths = capsys.readouterr().out.split()
    assert [p.rsplit(".", 1)[1] for p in paths] == ["csv", "xlsx", "pdf"]
    assert all("2026-10-region-skane" in p for p in paths)


def test_beat_schedule_builds_last_month_at_six_on_the_first():
    from celery.schedules import crontab

    from sot.celery import app

    entry = app.conf.beat_schedule["monthly-reports"]
    assert entry["task"] == "reports.build_last_month_everywhere"
    assert entry["schedule"] == crontab(minute=0, hour=6, day_of_month=1)
    assert app.conf.timezone == "Europe/Stockholm"


def test_monthly_run_queues_every_region_and_healthcare_region(world, monkeypatch, django_capture_on_commit_callbacks):
    from reports import tasks

    queued = []
    monkeypatch.setattr(tasks.build_monthly_report, "apply_async", lambda args, **kw: queued.append(tuple(args)))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_last_month_everywhere() == 5  # 3 regions + 2 healthcare regions in the test world
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {ReportStatus.QUEUED}
    assert {key for _m, key in queued} == {
        "region:skane",
        "region:blekinge",
        "region:kalmar",
        "healthcare-region:sodra",
        "healthcare-region:sydostra",
    }


def test_a_failed_build_is_retried_and_built_once(world, settings, tmp_path, monkeypatch):
    """A worker losing Redis or the database mid-build raises; the task retries and builds once."""
    from reports import figures as figures_module
    from reports.tasks import build_monthly_report

    settings.MEDIA_ROOT = tmp_path
    real = figures_module.compute_figures
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("Redis went away")
        return real(**kwargs)

    monkeypatch.setattr("reports.services.compute_figures", flaky)
    # throw=False: let Celery handle the Retry the way a worker does, instead of raising it here
    result = build_monthly_report.apply(args=["2026-10-01", "all"], throw=False)
    assert result.get() == ReportStatus.READY
    assert calls["n"] == 2
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.READY and report.error == ""


# --- which failures the build task retries -------------------------------------------------------------
# The failures are raised where a third party answers: the database cursor (Django's execute_wrapper)
# and the file storage. Transient ones are retried and the report is built; a programming error fails
# the task at its first attempt and the report is marked failed.


@pytest.fixture
def task_runs():
    """Every run of the build task (retries included) and every retry with its reason, from Celery's signals."""
    from celery.signals import task_prerun, task_retry

    runs: dict[str, list] = {"started": [], "retried": []}

    def started(sender=None, task_id=None, **kwargs):
        if sender.name == "reports.build_monthly_report":
            runs["started"].append(task_id)

    def retried(sender=None, reason=None, **kwargs):
        if sender.name == "reports.build_monthly_report":
            runs["retried"].append(reason.exc)  # reason is Celery's Retry; exc what caused it

    task_prerun.connect(started, weak=False)
    task_retry.connect(retried, weak=False)
    yield runs
    task_prerun.disconnect(started)
    task_retry.disconnect(retried)


def _failing_cursor(error: Exception):
    """The database refuses the first read of the request events (the figures' first query) with `error`."""
    from django.db import connection

    left = [1]

    def wrapper(execute, sql, params, many, context):
        if left[0] and sql.lstrip().upper().startswith("SELECT") and ReferralEvent._meta.db_table in sql:
            left[0] -= 1
            raise error
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


def _failing_storage(monkeypatch, error: Exception) -> None:
    """The file storage refuses the first file of the report with `error`."""
    from django.core.files.storage import FileSystemStorage

    real = FileSystemStorage._save  # type: ignore[attr-defined]  # django-stubs leave out the private _save
    left = [1]

    def save(self, name, content):
        if left[0]:
            left[0] -= 1
            raise error
        return real(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)


def _transient_errors():
    from django.db import InterfaceError, OperationalError

    return [
        pytest.param("cursor", OperationalError("server closed the connection unexpectedly"), id="db-operational"),
        pytest.param("cursor", InterfaceError("connection already closed"), id="db-interface"),
        pytest.param("storage", TimeoutError("timed out writing the file"), id="storage-timeout"),
        pytest.param("storage", ConnectionError("connection reset by the file server"), id="storage-connection"),
    ]


def _programming_errors():
    from django.db import ProgrammingError

    return [
        pytest.param("cursor", ProgrammingError('column "x" does not exist'), id="db-programming"),
        pytest.param("storage", ValueError("bad name"), id="storage-value"),
        pytest.param("storage", KeyError("missing"), id="storage-key"),
        pytest.param("storage", TypeError("not bytes"), id="storage-type"),
    ]


def _build_with(where: str, error: Exception, monkeypatch):
    from reports.tasks import build_monthly_report

    args = [OCTOBER.isoformat(), "region:skane"]
    if where == "cursor":
        with _failing_cursor(error):
            # throw=False: Celery handles a Retry as a worker does, instead of raising it here
            return build_monthly_report.apply(args=args, throw=False)
    _failing_storage(monkeypatch, error)
    return build_monthly_report.apply(args=args, throw=False)


@pytest.mark.parametrize(("where", "error"), _transient_errors())
def test_a_transient_failure_is_retried_and_the_report_built(
    world, settings, tmp_path, monkeypatch, task_runs, where, error
):
    settings.MEDIA_ROOT = tmp_path
    accepted(world, stockholm(2026, 10, 12, 10, 0))
    result = _build_with(where, error, monkeypatch)
    assert result.get() == ReportStatus.READY
    assert len(task_runs["started"]) == 2
    assert task_runs["retried"] == [error]
    report = MonthlyReport.objects.get(scope_key="region:skane")
    assert (report.status, report.error) == (ReportStatus.READY, "")
    assert report.figures is not None
    assert report.figures["coordinated_total"] == 1 and report.pdf_file


@pytest.mark.parametrize(("where", "error"), _programming_errors())
def test_a_programming_error_fails_at_once_and_marks_the_report_failed(
    world, settings, tmp_path, monkeypatch, task_runs, where, error
):
    settings.MEDIA_ROOT = tmp_path
    result = _build_with(where, error, monkeypatch)
    assert result.state == "FAILURE" and type(result.result) is type(error)
    assert len(task_runs["started"]) == 1
    assert task_runs["retried"] == []
    report = MonthlyReport.objects.get(scope_key="region:skane")
    assert (report.status, report.error) == (ReportStatus.FAILED, repr(error))
    assert not report.pdf_file


@pytest.mark.parametrize(
    ("month", "scope_key", "error"),
    [("2026-10-01", "region:atlantis", Region.DoesNotExist), ("2026-13-01", "region:skane", ValueError)],
    ids=["unknown-region", "impossible-month"],
)
def test_bad_arguments_fail_at_once(world, task_runs, month, scope_key, error):
    from reports.tasks import build_monthly_report

    result = build_monthly_report.apply(args=[month, scope_key], throw=False)
    assert result.state == "FAILURE" and type(result.result) is error
    assert len(task_runs["started"]) == 1
    assert task_runs["retried"] == []
    assert not MonthlyReport.objects.exists()
