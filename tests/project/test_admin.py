"""Every admin page for reference data, users and memberships opens for an administrator, in Swedish."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from catalog.reference_data import load_reference_data

REGISTERED = [(m._meta.app_label, m._meta.model_name) for m in admin.site._registry]


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_and_add_pages_open(client, world, app_label, model_name):
    load_reference_data()
    client.force_login(world.administrator)
    model_admin = next(ma for m, ma in admin.site._registry.items() if m._meta.model_name == model_name)
    views = ["changelist"] + (["add"] if model_admin.has_add_permission(_request(world.administrator)) else [])
    for view in views:
        response = client.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
        assert response.status_code == 200, (app_label, model_name, view)
        assert '<html lang="sv"' in response.content.decode()


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_patient_data_is_not_in_the_admin():
    labels = {label for label, _name in REGISTERED}
    names = {name for _label, name in REGISTERED}
    assert "catalog" in labels  # the reference data of requests is there
    # Of the requests' app only the queue's wait limits (reference data, no patient) are in the admin.
    assert {name for label, name in REGISTERED if label == "referrals"} <= {"statewaitlimit"}
    assert not {"patient", "referral", "referralevent"} & names


def test_overlapping_code_ranges_are_refused(client, world):
    load_reference_data()
    client.force_login(world.administrator)
    data = {
        "code": "ny-grupp",
        "name": "Ny grupp",
        "specialty": "orthopaedics",
        "sort_order": "99",
        "is_active": "on",
        "code_ranges-TOTAL_FORMS": "1",
        "code_ranges-INITIAL_FORMS": "0",
        "code_ranges-MIN_NUM_FORMS": "0",
        "code_ranges-MAX_NUM_FORMS": "1000",
        "code_ranges-0-first": "M10",
        "code_ranges-0-last": "M17",  # overlaps M16–M17 of the arthrosis group
    }
    response = client.post(reverse("admin:catalog_diagnosisgroup_add"), data)
    assert response.status_code == 200
    assert "överlappar" in response.content.decode()
