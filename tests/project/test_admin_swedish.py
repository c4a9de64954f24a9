"""The admin in Swedish: Django's own words kept ("Ändra"), django-axes' sections named in Swedish,
and the access log's entries in local time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import translation

from audit.models import AccessAction, AccessLogEntry
from tests.factories import PatientFactory


def test_the_admin_index_keeps_djangos_change_links(client, world):
    client.force_login(world.administrator)
    body = client.get(reverse("admin:index")).content.decode()
    assert re.search(r'class="changelink"[^>]*>\s*Ändra\s*<', body)
    assert "Ändring<" not in body  # the access log's action must not rename Django's link


def test_axes_is_in_swedish(client, world):
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        _axes_row(model)
    client.force_login(world.administrator)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Inloggningsskydd" in body and ">Axes<" not in body
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        page = client.get(reverse(f"admin:axes_{model._meta.model_name}_changelist")).content.decode()
        assert "IP-adress" in page and "Användarnamn" in page and "Tidpunkt" in page, model
    with translation.override("sv"):
        assert str(AccessLog._meta.verbose_name_plural) == "inloggningar"
        assert str(AccessLogEntry._meta.verbose_name_plural) == "åtkomstlogg"


def _axes_row(model):
    return model.objects.create(
        user_agent="Firefox", ip_address="10.0.0.1", username="x", http_accept="*/*", path_info="/login/",
        **({"get_data": "", "post_data": "", "failures_since_start": 2} if model is AccessAttempt else {}),
    )  # fmt: skip


@pytest.mark.parametrize("model", [AccessAttempt, AccessFailureLog, AccessLog])
def test_axes_change_pages_open_in_swedish(client, world, model):
    row = _axes_row(model)
    client.force_login(world.administrator)
    body = client.get(reverse(f"admin:axes_{model._meta.model_name}_change", args=[row.pk])).content.decode()
    assert "Metadata" in body and "Webbläsare" in body


def test_access_log_entries_are_shown_in_local_time_and_swedish_words(client, world):
    patient = PatientFactory()
    entry = AccessLogEntry.objects.create(
        user=world.unit_staff, role="unit_staff", place="Ortopedi Lund", patient=patient, action=AccessAction.CHANGE,
        what="referral detail", at=datetime(2026, 7, 1, 10, 30, tzinfo=UTC),
    )  # fmt: skip
    client.force_login(world.administrator)
    body = client.get(reverse("admin:audit_accesslogentry_changelist")).content.decode()
    assert "Ändring" in body  # the action, in its own context
    assert "2026-07-01 12:30:00" in body  # Stockholm's summer time, not UTC's 10:30
    change_title = f"2026-07-01 12:30 · Ändring · {world.unit_staff.username}"
    change = client.get(reverse("admin:audit_accesslogentry_change", args=[entry.pk])).content.decode()
    assert change_title in change


def test_axes_rows_are_named_in_swedish_and_local_time(client, world):
    row = _axes_row(AccessLog)
    AccessLog.objects.filter(pk=row.pk).update(attempt_time=datetime(2026, 1, 15, 7, 5, tzinfo=UTC))
    client.force_login(world.administrator)
    body = client.get(reverse("admin:axes_accesslog_change", args=[row.pk])).content.decode()
    assert "x · 2026-01-15 08:05" in body  # Stockholm's winter time
    assert "Access Log for" not in body and "+00:00" not in body
