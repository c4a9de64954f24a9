"""Action plans for obstacles (issue 17 §2): personas and scopes, constraints, the history, the monthly
report's status at the month's end, hostile text in every format, Swedish messages next to the field."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from actionplans.models import ActionPlan, ActionPlanStatus, ActionPlanStatusChange
from actionplans.services import ERROR_STATUS_DATE_IN_FUTURE, plan_change_status, plan_create
from reports import exporters
from reports.figures import compute_figures
from reports.scopes import Scope
from tests.factories import UserFactory, member
from tests.i18n import shown
from tests.pages import field_error

S = ActionPlanStatus
LIST = reverse("actionplans:list")
CONTENT: dict[str, Any] = {
    "category": "it",
    "title": "Digital överföring",
    "activities": "Pilot med grannregionen.",
    "owner_function": "IT-strateg",
    "follow_up_method": "Månadsvis i SOT-gruppen.",
    "indicator": "Andel digitala remisser",
    "target_value": "80 %",
}


def make(world, *, by=None, status=S.GREEN, day=None, **where):
    where = where or {"region": world.home_region}
    return plan_create(by=by or world.sot, **where, status=status, status_date=day or timezone.localdate(), **CONTENT)


def login(client, user):
    client.force_login(user)
    return client


def test_personas(client, world):
    plan = make(world)
    detail = reverse("actionplans:detail", args=[plan.pk])
    status = reverse("actionplans:status", args=[plan.pk])
    for url in (LIST, detail, status, reverse("actionplans:create")):
        assert client.get(url).status_code == 302  # anonymous: to the login
    for persona in ("unit_staff", "receiving_staff", "nobody", "administrator"):
        login(client, getattr(world, persona))
        for url in (LIST, detail, status):
            assert client.get(url).status_code == 403
    for persona in ("sot", "director"):
        login(client, getattr(world, persona))
        assert "Digital överföring" in client.get(LIST).content.decode()
        assert client.get(detail).status_code == 200
        assert client.get(status).status_code == 200
    login(client, world.other_sot)  # another region: not found, not listed
    assert client.get(detail).status_code == 404
    assert client.get(status).status_code == 404
    assert "Digital överföring" not in client.get(LIST).content.decode()


def test_scopes_of_healthcare_region_plans(client, world):
    hr_director = UserFactory(username="hr-director")
    member(hr_director, Role.HEALTH_DIRECTOR, world.south)
    hr_plan = make(world, by=hr_director, healthcare_region=world.south)
    region_plan = make(world, region=world.neighbour_region, by=world.other_sot)
    # The healthcare region's director changes both; Skåne's SOT sees the healthcare region's plan, read only.
    login(client, hr_director)
    assert client.get(reverse("actionplans:status", args=[region_plan.pk])).status_code == 200
    assert client.get(reverse("actionplans:status", args=[hr_plan.pk])).status_code == 200
    login(client, world.sot)
    assert client.get(reverse("actionplans:detail", args=[hr_plan.pk])).status_code == 200
    assert client.get(reverse("actionplans:status", args=[hr_plan.pk])).status_code == 403
    assert client.get(reverse("actionplans:detail", args=[region_plan.pk])).status_code == 404
    far = UserFactory(username="far-sot")
    member(far, Role.SOT_REPRESENTATIVE, world.far_region)
    assert login(client, far).get(reverse("actionplans:detail", args=[hr_plan.pk])).status_code == 404
    # A forged place is refused next to the field.
    login(client, world.sot)
    data = {**CONTENT, "place": f"healthcare_region:{world.south.pk}", "status": "green", "status_date": "2026-01-05"}
    response = client.post(reverse("actionplans:create"), data)
    assert response.status_code == 200 and "place" in response.context["form"].errors
    assert ActionPlan.objects.count() == 2


def test_create_and_change_status_write_history(client, world):
    login(client, world.sot)
    today = timezone.localdate()
    data = {**CONTENT, "place": f"region:{world.home_region.pk}", "status": "yellow", "status_date": today}
    response = client.post(reverse("actionplans:create"), {**data, "status_comment": "Försenad."})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and (plan.status, plan.status_comment) == (S.YELLOW, "Försenad.")
    assert list(plan.status_changes.values_list("status", "comment")) == [(S.YELLOW, "Försenad.")]
    url = reverse("actionplans:status", args=[plan.pk])
    assert client.post(url, {"status": "red", "status_date": today, "comment": "Stopp."}).status_code == 302
    assert client.post(url, {"status": "done", "status_date": today, "comment": ""}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == S.DONE
    assert list(plan.status_changes.values_list("status", flat=True)) == [S.YELLOW, S.RED, S.DONE]
    page = client.get(reverse("actionplans:detail", args=[plan.pk])).content.decode()
    for label in ("Klar", "Röd – allvarliga problem", "Gul – mindre problem"):
        assert label in page
    # Editing the content writes no status.
    client.post(reverse("actionplans:edit", args=[plan.pk]), {**CONTENT, "title": "Nytt namn"})
    plan.refresh_from_db()
    assert plan.title == "Nytt namn" and plan.status_changes.count() == 3
    # The obstacles page shows the category's plan and its status.
    page = client.get(reverse("work:obstacles")).content.decode()
    assert "Nytt namn" in page and "Klar" in page


def test_bad_input_is_explained_in_swedish_next_to_the_field(client, world):
    plan = make(world)
    login(client, world.sot)
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(reverse("actionplans:status", args=[plan.pk]), {"status": "red", "status_date": future})
    assert shown(ERROR_STATUS_DATE_IN_FUTURE) in field_error(response.content.decode(), "status_date")
    response = client.post(reverse("actionplans:status", args=[plan.pk]), {"status": "purple", "status_date": "x"})
    body = response.content.decode()
    assert "Välj ett giltigt alternativ" in field_error(body, "status")
    assert "Fyll i ett giltigt datum" in field_error(body, "status_date")
    response = client.post(reverse("actionplans:create"), {"place": f"region:{world.home_region.pk}"})
    assert "Det här fältet är obligatoriskt" in field_error(response.content.decode(), "owner_function")
    assert plan.status_changes.count() == 1


@pytest.mark.django_db(transaction=True)
def test_constraints_in_the_database(world):
    plan = make(world)
    base = {**CONTENT, "status_date": date(2026, 1, 1), "created_by": world.sot, "updated_by": world.sot}
    for bad in (
        {"region": world.home_region, "healthcare_region": world.south, "status": "green"},
        {"status": "green"},
        {"region": world.home_region, "status": "purple"},
        {"region": world.home_region, "status": "green", "category": "nonsense"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionPlan.objects.create(**{**base, **bad})
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanStatusChange.objects.create(plan=plan, status="blue", date=date(2026, 1, 1), changed_by=world.sot)
    change = plan.status_changes.get()
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        plan.status_changes.update(status="red")


def test_the_report_lists_the_status_in_force_at_the_months_end(world):
    plan = make(world, status=S.GREEN, day=date(2026, 9, 10))
    plan_change_status(plan=plan, by=world.sot, status=S.RED, status_date=date(2026, 10, 31), comment="Okt.")
    plan_change_status(plan=plan, by=world.sot, status=S.DONE, status_date=date(2026, 11, 1), comment="Nov.")
    make(world, day=date(2026, 11, 5))  # not yet in October
    make(world, region=world.far_region, by=world.director, day=date(2026, 9, 1))  # another scope
    scope = Scope("region", region=world.home_region)
    rows = compute_figures(month=date(2026, 10, 1), scope=scope)["action_plans"]
    assert [(r["status"], r["status_date"], r["comment"]) for r in rows] == [
        ("Röd – allvarliga problem", "2026-10-31", "Okt.")
    ]
    september = compute_figures(month=date(2026, 9, 1), scope=scope)["action_plans"]
    assert [r["status"] for r in september] == ["Grön – enligt plan"]
    south = compute_figures(month=date(2026, 11, 1), scope=Scope("healthcare_region", healthcare_region=world.south))
    assert sorted(r["status"] for r in south["action_plans"]) == ["Grön – enligt plan", "Klar"]


HOSTILE = "=cmd|' /C calc'!A0 <b>fet</b>"


def test_hostile_text_in_every_format(world):
    plan = plan_create(
        by=world.sot,
        region=world.home_region,
        status=S.YELLOW,
        status_date=date(2026, 10, 2),
        status_comment=HOSTILE,
        **{**CONTENT, "title": HOSTILE, "owner_function": "+" + HOSTILE},
    )
    assert plan.pk
    figures = compute_figures(month=date(2026, 10, 1), scope=Scope("region", region=world.home_region))
    rows = list(csv.reader(io.StringIO(exporters.to_csv(figures).decode("utf-8-sig")), delimiter=";"))
    cells = [c for row in rows for c in row if "cmd|" in c]
    assert len(cells) == 3 and all(c.startswith("'") for c in cells)
    sheet = load_workbook(io.BytesIO(exporters.to_xlsx(figures)))["Handlingsplaner"]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "cmd|" in c.value]
    assert len(values) == 3 and all(v.startswith("'") for v in values)
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(exporters.to_pdf(figures))).pages)
    assert "<b>fet</b>" in "".join(text.split()) and "Handlingsplaner" in text
