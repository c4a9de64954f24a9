"""Patient search and the open-request warning: who finds what, every accepted format, the access log."""

from __future__ import annotations

import logging
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from stdnum import luhn

from audit.models import AccessLogEntry
from referrals.models import ReferralStatus
from referrals.search import ERROR_EMPTY, ERROR_NAME_TOO_SHORT, MAX_ROWS, SEARCH_WHAT
from sot.personal_numbers import ERROR_CHECKSUM
from tests.factories import HospitalFactory, PatientFactory, ReferralFactory, UnitFactory
from tests.i18n import shown
from tests.pages import elements, field_error, texts

S = ReferralStatus
HIDDEN_ONLY = (
    "The patient already has %(n)s open request from another unit of the region, which you may not see. "
    "Ask the region's SOT representatives."
)
HIDDEN_ONLY_PLURAL = (
    "The patient already has %(n)s open requests from other units of the region, which you may not see. "
    "Ask the region's SOT representatives."
)
SEARCH = reverse("referrals:search")
TOLVAN = "191212121212"


def _pnr(birth: str, serial: str = "123") -> str:
    """A 12-digit number with a correct check digit for YYYYMMDD (day + 60 for a samordningsnummer)."""
    digits = birth[2:] + serial
    return f"{birth[:2]}{digits}{luhn.calc_check_digit(digits)}"


def _search(client, user, q: str):
    client.force_login(user)
    return client.post(SEARCH, {"q": q})


def _found(response) -> list[str]:
    """The references the page links to (each result row links to its request's page)."""
    links = elements(response.content.decode(), "a")
    return [e.text.strip() for e in links if re.fullmatch(r"/requests/\d+/", e.attrs.get("href", ""))]


@pytest.fixture
def tolvan(world):
    patient = PatientFactory(personal_number=TOLVAN)
    return ReferralFactory(
        patient=patient, patient_name="Tolvan Tolvansson", sending_unit=world.home_unit, status=S.SUBMITTED
    )


# --- personas -----------------------------------------------------------------------------------


def test_personas(client, world):
    assert client.get(SEARCH).status_code == 302
    assert client.post(SEARCH, {"q": TOLVAN}).status_code == 302
    assert reverse("login") in client.post(SEARCH, {"q": TOLVAN})["Location"]
    for persona in ("unit_staff", "sot", "receiving_staff", "other_region_staff"):
        client.force_login(getattr(world, persona))
        assert client.get(SEARCH).status_code == 200, persona
    for persona in ("director", "administrator", "nobody"):
        client.force_login(getattr(world, persona))
        assert client.get(SEARCH).status_code == 403, persona
        assert client.post(SEARCH, {"q": TOLVAN}).status_code == 403, persona
    client.force_login(world.unit_staff)
    assert client.put(SEARCH).status_code == 405


def test_the_form_is_on_the_start_page_of_those_who_may_search(client, world):
    for persona, offered in (("unit_staff", True), ("sot", True), ("receiving_staff", True), ("director", False)):
        client.force_login(getattr(world, persona))
        body = client.get(reverse("home")).content.decode()
        forms = elements(body, "form", data_testid="patient-search")
        assert bool(forms) is offered, persona
        if offered:
            assert forms[0].attrs["method"] == "post"
            assert forms[0].attrs["action"] == SEARCH
            assert elements(body, "input", name="q", type="search")


def test_the_form_is_on_the_list_pages(client, world):
    client.force_login(world.unit_staff)
    assert elements(client.get(reverse("referrals:list")).content.decode(), "form", data_testid="patient-search")
    client.force_login(world.sot)
    assert elements(client.get(reverse("work:queue")).content.decode(), "form", data_testid="patient-search")


# --- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212", " 19121212 - 1212 "],
)
def test_every_accepted_format_finds_the_patient(client, world, tolvan, typed):
    assert _found(_search(client, world.unit_staff, typed)) == [tolvan.reference]


def test_ten_digits_with_minus_find_both_centuries_and_plus_only_the_older(client, world, tolvan):
    young = ReferralFactory(
        patient=PatientFactory(personal_number="20" + TOLVAN[2:]), sending_unit=world.home_unit, status=S.SUBMITTED
    )
    assert sorted(_found(_search(client, world.unit_staff, "121212-1212"))) == sorted(
        [tolvan.reference, young.reference]
    )
    assert _found(_search(client, world.unit_staff, "121212+1212")) == [tolvan.reference]
    assert _found(_search(client, world.unit_staff, "20121212-1212")) == [young.reference]


def test_samordningsnummer(client, world):
    number = _pnr("19800172")  # born 1980-01-12, day + 60
    referral = ReferralFactory(
        patient=PatientFactory(personal_number=number), sending_unit=world.home_unit, status=S.SUBMITTED
    )
    for typed in (number, f"{number[2:8]}-{number[8:]}"):
        assert _found(_search(client, world.unit_staff, typed)) == [referral.reference]


def test_bad_input_is_named_next_to_the_field(client, world, tolvan):
    for typed, error in (("19121212-1213", ERROR_CHECKSUM), ("", ERROR_EMPTY), ("T", ERROR_NAME_TOO_SHORT)):
        response = _search(client, world.unit_staff, typed)
        assert response.status_code == 200
        assert shown(error) in field_error(response.content.decode(), "q"), typed
        assert _found(response) == []


def test_a_number_belonging_to_nobody_finds_nothing(client, world, tolvan):
    response = _search(client, world.unit_staff, _pnr("19580101"))
    assert _found(response) == []
    assert texts(response.content.decode(), data_testid="search-empty")


# --- names and history --------------------------------------------------------------------------


def test_name_search_is_case_insensitive_contains(client, world, tolvan):
    asa = ReferralFactory(patient_name="Åsa Öberg", sending_unit=world.home_unit, status=S.SUBMITTED)
    assert _found(_search(client, world.unit_staff, "tolvan")) == [tolvan.reference]
    assert _found(_search(client, world.unit_staff, "VANSS")) == [tolvan.reference]
    assert _found(_search(client, world.unit_staff, "åsa")) == [asa.reference]
    assert _found(_search(client, world.unit_staff, "öberg")) == [asa.reference]


def test_finished_requests_are_found_as_history_after_the_open(client, world):
    patient = PatientFactory(personal_number=TOLVAN)
    done = {
        status: ReferralFactory(patient=patient, sending_unit=world.home_unit, status=status)
        for status in (S.COMPLETED, S.WITHDRAWN, S.CLOSED)
    }
    open_one = ReferralFactory(patient=patient, sending_unit=world.home_unit, status=S.SUBMITTED)
    response = _search(client, world.unit_staff, TOLVAN)
    found = _found(response)
    assert found[0] == open_one.reference
    assert set(found[1:]) == {r.reference for r in done.values()}
    body = response.content.decode()
    history_rows = elements(body, "tr", data_history="true")
    assert len(history_rows) == 3
    assert len(elements(body, "span", data_testid="history")) == 3


def test_results_are_capped(client, world):
    for _n in range(MAX_ROWS + 2):
        ReferralFactory(patient_name="Karlsson", sending_unit=world.home_unit, status=S.SUBMITTED)
    response = _search(client, world.unit_staff, "karlsson")
    assert len(_found(response)) == MAX_ROWS
    assert AccessLogEntry.objects.filter(what=SEARCH_WHAT).count() == MAX_ROWS


# --- visibility -----------------------------------------------------------------------------------


def test_another_regions_request_is_never_found_even_by_exact_number(client, world, tolvan):
    for persona in ("other_region_staff", "other_sot", "receiving_staff"):
        assert _found(_search(client, getattr(world, persona), TOLVAN)) == [], persona
        assert _found(_search(client, getattr(world, persona), "Tolvan")) == [], persona
        assert _found(_search(client, getattr(world, persona), tolvan.reference)) == [], persona


def test_unit_staff_find_only_their_units_requests(client, world, tolvan):
    other_unit = UnitFactory(hospital=HospitalFactory(region=world.home_region))
    sibling = ReferralFactory(patient=tolvan.patient, sending_unit=other_unit, status=S.SUBMITTED)
    assert _found(_search(client, world.unit_staff, TOLVAN)) == [tolvan.reference]
    assert sorted(_found(_search(client, world.sot, TOLVAN))) == sorted([tolvan.reference, sibling.reference])


def test_sot_does_not_find_drafts(client, world):
    draft = ReferralFactory(patient_name="Tolvan Utkast", sending_unit=world.home_unit, status=S.DRAFT)
    assert _found(_search(client, world.unit_staff, "utkast")) == [draft.reference]
    assert _found(_search(client, world.sot, "utkast")) == []


def test_receiving_staff_find_what_is_proposed_to_their_unit(client, world):
    proposed = ReferralFactory(
        patient_name="Tolvan Föreslagen",
        sending_unit=world.home_unit,
        status=S.PROPOSED,
        receiving_unit=world.neighbour_unit,
    )
    assert _found(_search(client, world.receiving_staff, "föreslagen")) == [proposed.reference]
    assert _found(_search(client, world.receiving_staff, proposed.patient.personal_number)) == [proposed.reference]


def test_reference_search(client, world, tolvan):
    assert _found(_search(client, world.unit_staff, tolvan.reference.lower())) == [tolvan.reference]


# --- the access log -----------------------------------------------------------------------------------


def test_one_entry_per_request_shown_and_no_number_anywhere(client, world, tolvan, caplog):
    closed = ReferralFactory(patient=tolvan.patient, sending_unit=world.home_unit, status=S.CLOSED)
    with caplog.at_level(logging.DEBUG):
        response = _search(client, world.unit_staff, "19121212-1212")
    assert response.status_code == 200  # no redirect that could carry the number
    entries = AccessLogEntry.objects.filter(user=world.unit_staff)
    assert {e.referral_id for e in entries} == {tolvan.pk, closed.pk}
    assert entries.count() == 2
    assert {e.what for e in entries} == {SEARCH_WHAT}
    assert {e.patient_id for e in entries} == {tolvan.patient_id}
    assert all(e.action == "read" for e in entries)
    assert all("121212" not in e.what and "121212" not in e.place for e in entries)
    assert "121212" not in caplog.text
    assert "Tolvan" not in caplog.text


def test_a_number_search_of_a_patient_out_of_sight_is_logged_without_showing_anything(client, world, tolvan):
    response = _search(client, world.other_region_staff, TOLVAN)
    assert _found(response) == []
    (entry,) = AccessLogEntry.objects.filter(user=world.other_region_staff)
    assert (entry.patient_id, entry.referral_id, entry.what) == (tolvan.patient_id, None, SEARCH_WHAT)
    _search(client, world.other_region_staff, _pnr("19580101"))  # nobody's number: no patient to log
    assert AccessLogEntry.objects.filter(user=world.other_region_staff).count() == 1


def test_a_name_search_logs_the_rows_shown_only(client, world, tolvan):
    _search(client, world.unit_staff, "tolvan")
    assert list(AccessLogEntry.objects.values_list("referral_id", "what")) == [(tolvan.pk, SEARCH_WHAT)]
    _search(client, world.unit_staff, "nobody-by-this-name")
    assert AccessLogEntry.objects.count() == 1


def test_the_address_is_never_read(client, world, tolvan):
    client.force_login(world.unit_staff)
    response = client.get(SEARCH, {"q": TOLVAN})
    assert _found(response) == []
    assert AccessLogEntry.objects.count() == 0


# --- the open-request warning -------------------------------------------------------------------------


def _warning(client, user, referral) -> list:
    client.force_login(user)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    return elements(body, "div", data_testid="open-requests")


def _linked(client, user, referral) -> list[str]:
    client.force_login(user)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    start = body.find('data-testid="open-requests"')
    if start < 0:
        return []
    end = body.find("</div>", start)
    return [e.text for e in elements(body[start:end], "a")]


def test_warning_names_the_units_own_open_request(client, world, tolvan):
    new = ReferralFactory(patient=tolvan.patient, sending_unit=world.home_unit, status=S.DRAFT)
    assert _linked(client, world.unit_staff, new) == [tolvan.reference]
    assert _linked(client, world.unit_staff, tolvan) == [new.reference]


def test_warning_counts_another_units_request_without_naming_it(client, world, tolvan):
    other_unit = UnitFactory(hospital=HospitalFactory(region=world.home_region))
    sibling = ReferralFactory(patient=tolvan.patient, sending_unit=other_unit, status=S.SUBMITTED)
    (warning,) = _warning(client, world.unit_staff, tolvan)
    assert sibling.reference not in warning.text
    with translation.override("sv"):
        counted = ngettext(HIDDEN_ONLY, HIDDEN_ONLY_PLURAL, 1) % {"n": 1}
    assert counted in " ".join(warning.text.split())
    assert _linked(client, world.unit_staff, tolvan) == []
    # The region's SOT representative may see both, so the warning names it.
    assert _linked(client, world.sot, tolvan) == [sibling.reference]


def test_another_units_draft_is_not_counted(client, world, tolvan):
    other_unit = UnitFactory(hospital=HospitalFactory(region=world.home_region))
    ReferralFactory(patient=tolvan.patient, sending_unit=other_unit, status=S.DRAFT)
    assert _warning(client, world.unit_staff, tolvan) == []
    assert _warning(client, world.sot, tolvan) == []


def test_no_warning_for_another_regions_request(client, world, tolvan):
    ReferralFactory(patient=tolvan.patient, sending_unit=world.neighbour_unit, status=S.SUBMITTED)
    assert _warning(client, world.unit_staff, tolvan) == []
    assert _warning(client, world.sot, tolvan) == []


def test_no_warning_for_finished_requests_or_a_finished_page(client, world, tolvan):
    for status in (S.COMPLETED, S.WITHDRAWN, S.CLOSED):
        ReferralFactory(patient=tolvan.patient, sending_unit=world.home_unit, status=status)
    assert _warning(client, world.unit_staff, tolvan) == []
    finished = ReferralFactory(patient=tolvan.patient, sending_unit=world.home_unit, status=S.CLOSED)
    ReferralFactory(patient=tolvan.patient, sending_unit=world.home_unit, status=S.SUBMITTED)
    assert _warning(client, world.unit_staff, finished) == []


def test_no_warning_for_the_receiving_side(client, world):
    proposed = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit)
    ReferralFactory(patient=proposed.patient, sending_unit=world.home_unit, status=S.SUBMITTED)
    assert _warning(client, world.receiving_staff, proposed) == []
    assert _warning(client, world.unit_staff, proposed) != []


def test_query_count_does_not_grow_with_the_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.unit_staff)

    def queries(n: int) -> int:
        for _i in range(n):
            ReferralFactory(patient_name=f"Växer {n}", sending_unit=world.home_unit, status=S.SUBMITTED)
        with CaptureQueriesContext(connection) as captured:
            assert len(_found(client.post(SEARCH, {"q": f"växer {n}"}))) == n
        return len(captured)

    assert queries(2) == queries(8)
