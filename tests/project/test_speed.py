"""What the queue page's speed-ups must not change: the bench-only bare view exists only with its setting,
the chain heads advance in one statement exactly as `bulk_update` did, and the form renderer's select writes
the same markup as Django's own."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve

from audit.chain import ACCESS_LOG, GENESIS, digest, insert_plain
from audit.models import AccessAction, AccessLogEntry, ChainHead
from audit.services import access_record_many
from audit.verification import verify_model
from reports.models import MonthlyReport
from sot.form_renderer import FormRenderer
from tests.factories import ReferralFactory


@pytest.fixture
def urlconf_with(settings):
    """sot.urls read again with BENCH_BARE_VIEW as given, and read again as configured afterwards."""
    import sot.urls

    def load(enabled: bool) -> None:
        settings.BENCH_BARE_VIEW = enabled
        importlib.reload(sot.urls)
        clear_url_caches()

    yield load
    settings.BENCH_BARE_VIEW = False
    importlib.reload(sot.urls)
    clear_url_caches()


def test_the_bare_view_does_not_exist_without_its_setting(settings):
    assert settings.BENCH_BARE_VIEW is False
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")


@pytest.mark.django_db
def test_the_bare_view_answers_without_the_database(urlconf_with, django_assert_num_queries):
    urlconf_with(False)
    assert Client().get("/bench/bare/").status_code == 404
    urlconf_with(True)
    with django_assert_num_queries(0):
        response = Client().get("/bench/bare/")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"  # through every middleware, as a page is


@pytest.mark.django_db
def test_a_list_page_advances_every_chain_head_it_touches(world):
    first = ReferralFactory(sending_unit=world.home_unit)
    same_patient = ReferralFactory(sending_unit=world.home_unit, patient=first.patient)
    others = [ReferralFactory(sending_unit=world.home_unit) for _ in range(3)]
    for _ in range(2):  # twice: the second round updates heads that exist
        access_record_many(user=world.sot, referrals=[first, *others, same_patient], what="work:queue")
    for patient_id, expected in [(first.patient_id, 4)] + [(o.patient_id, 2) for o in others]:
        entries = list(AccessLogEntry.objects.filter(patient_id=patient_id).order_by("chain_seq"))
        assert [e.chain_seq for e in entries] == list(range(1, expected + 1))
        last = GENESIS
        for entry in entries:
            content = {name: getattr(entry, name) for name in AccessLogEntry.CHAIN_FIELDS}
            assert entry.chain_hash == digest(last, entry.chain_seq, content)
            last = entry.chain_hash
        head = ChainHead.objects.get(chain=ACCESS_LOG, key=patient_id)
        assert (head.length, head.last_hash) == (expected, last)


@pytest.mark.django_db
def test_the_access_logs_own_insert_writes_what_the_orm_would(world):
    """`audit.chain.insert_plain` (the access log's bulk_create): each entry read back has the values it was
    given, its id, and the chains verify; a model with fields that need converting is refused."""
    referrals = [ReferralFactory(sending_unit=world.home_unit) for _ in range(3)]
    world.sot.hsa_id = "SE2321000016-1234"
    world.sot.save()
    entries = [
        AccessLogEntry(
            user=world.sot,
            role="sot_representative",
            place="Region <Skåne> 'x'",
            patient_id=r.patient_id,
            referral=r,
            action=AccessAction.READ,
            what="=1+1",
        )
        for r in referrals
    ]
    AccessLogEntry.objects.bulk_create(entries)
    for entry in entries:
        stored = AccessLogEntry.objects.get(pk=entry.pk)
        for name in (*AccessLogEntry.CHAIN_FIELDS, "user_hsa_id", "chain_seq", "chain_hash"):
            assert getattr(stored, name) == getattr(entry, name), name
    assert stored.user_hsa_id == "SE2321000016-1234" and stored.place == "Region <Skåne> 'x'"
    problems, _rows, _chains = verify_model(AccessLogEntry)
    assert problems == []
    with pytest.raises(TypeError):
        insert_plain(MonthlyReport, [])  # a JSON field among its fields


class _CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(attrs={"class": "form-select", "data-x": 'a"b'}), "2"),
        (forms.Select(), None),
        (forms.SelectMultiple(), ["1", "3"]),
        (_CustomOption(), "1"),
    ],
)
def test_the_select_writes_the_markup_of_djangos_own(widget, value):
    widget.choices = [
        ("", "– all –"),
        ("1", "Ett & två"),
        ("Group <b>", [("2", "Två"), ("3", "Tre")]),
        ("4", "<Fyra>"),
    ]
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=FormRenderer())
    theirs = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert ours == theirs
    assert "<option" in ours or "<input" in ours
