"""The patient letter (PDF, Swedish): who may print it and when, what it says, and free text kept as data."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessAction, AccessLogEntry
from referrals.access import PATIENT_LETTER_NOT_YET
from referrals.letter import _fonts, patient_letter_pdf, swedish_date
from referrals.models import Referral, ReferralStatus
from tests.factories import ReferralFactory
from tests.i18n import shown

S = ReferralStatus


def _letter_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    """Extracted text with its line breaks as spaces: a long sentence wraps at the page's width."""
    return " ".join(text.split())


def _accepted(world, **fields) -> Referral:
    world.home_unit.phone, world.home_unit.function_email = "010-100 01 00", "ortopedi.lund@example.se"
    world.home_unit.save()
    world.neighbour_unit.phone, world.neighbour_unit.function_email = "010-200 02 00", "ortopedi.karlskrona@example.se"
    world.neighbour_unit.save()
    hospital = world.neighbour_unit.hospital
    hospital.name, hospital.address = "Blekingesjukhuset Karlskrona", "Sjukhusvägen 3\n371 85 Karlskrona"
    hospital.save()
    fields = {"status": S.ACCEPTED, "contact_name": "Anna Berg", "contact_phone": "046-17 10 00", **fields}
    referral = ReferralFactory(sending_unit=world.home_unit, receiving_unit=world.neighbour_unit, **fields)
    Referral.objects.filter(pk=referral.pk).update(planned_date=date(2026, 12, 8))
    referral.refresh_from_db()
    return referral


def _url(referral: Referral) -> str:
    return reverse("referrals:patient_letter", args=[referral.pk])


def test_url_carries_no_personal_data(world):
    referral = _accepted(world)
    assert _url(referral) == f"/requests/{referral.pk}/letter.pdf"


def test_personas(client, world):
    referral = _accepted(world)
    url = _url(referral)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # Outside the request's scope: not visible at all.
    for persona in ("other_region_staff", "director", "administrator", "nobody"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
    # The receiving region's SOT representative sees the request but is not one of those who print the letter.
    client.force_login(world.other_sot)
    assert client.get(url).status_code == 403
    for persona in ("unit_staff", "sot", "receiving_staff"):
        client.force_login(getattr(world, persona))
        response = client.get(url)
        assert response.status_code == 200, persona
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="patientbrev-{referral.reference}.pdf"'
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF")
    assert client.post(url).status_code == 405


def test_download_is_access_logged_as_an_export(client, world):
    referral = _accepted(world)
    client.force_login(world.receiving_staff)
    client.get(_url(referral))
    entry = AccessLogEntry.objects.get(referral=referral, user=world.receiving_staff)
    assert (entry.action, entry.what) == (AccessAction.EXPORT, "referrals:patient_letter")


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.COMPLETED, S.WITHDRAWN])
def test_before_acceptance_a_message_on_the_request_page(client, world, status):
    referral = ReferralFactory(sending_unit=world.home_unit, status=status)
    client.force_login(world.unit_staff)
    response = client.get(_url(referral))
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [shown(PATIENT_LETTER_NOT_YET)]
    assert not AccessLogEntry.objects.filter(referral=referral, action=AccessAction.EXPORT).exists()


def test_request_page_offers_the_letter_to_those_who_may_print_it(client, world):
    referral = _accepted(world)
    detail = reverse("referrals:detail", args=[referral.pk])
    link = f'href="{_url(referral)}"'
    for persona in ("unit_staff", "sot", "receiving_staff"):
        client.force_login(getattr(world, persona))
        assert link in client.get(detail).content.decode(), persona
    client.force_login(world.other_sot)
    assert link not in client.get(detail).content.decode()
    proposed = ReferralFactory(sending_unit=world.home_unit, status=S.PROPOSED, receiving_unit=world.neighbour_unit)
    client.force_login(world.unit_staff)
    page = client.get(reverse("referrals:detail", args=[proposed.pk])).content.decode()
    assert _url(proposed) not in page
    assert "data-print-page" in page  # the print button is always there


def test_swedish_date():
    assert swedish_date(date(2026, 12, 8)) == "tisdag 8 december 2026"
    assert swedish_date(date(2027, 1, 1)) == "fredag 1 januari 2027"


def test_letter_says_where_when_and_whom_to_call(client, world):
    referral = _accepted(world, needs_interpreter=True, interpreter_language="arabiska", needs_transport=True)
    client.force_login(world.unit_staff)
    text = _letter_text(client.get(_url(referral)).content)
    flat = _flat(text)
    assert "Blekingesjukhuset Karlskrona" in text
    assert world.neighbour_unit.name in text
    assert "Sjukhusvägen 3" in text and "371 85 Karlskrona" in text
    assert "tisdag 8 december 2026" in text
    assert "010-200 02 00" in text and "ortopedi.karlskrona@example.se" in text  # the receiving unit
    assert "010-100 01 00" in text and "ortopedi.lund@example.se" in text  # the sending unit
    assert "Anna Berg" in text and "046-17 10 00" in text  # the sending unit's contact person
    assert referral.patient_name in text
    assert referral.reference in text
    assert "Tolk: en tolk på arabiska bokas" in flat
    assert "ring Ortopedi Karlskrona, Blekingesjukhuset Karlskrona, 010-200 02 00." in flat
    assert "Resa: " in flat and "ring Anna Berg på Ortopedi Lund, " in flat and ", 046-17 10 00" in flat
    assert referral.patient.personal_number not in text  # least data: the letter names the patient only


def test_journey_and_escort_sentences_follow_the_request(world):
    with_help = _flat(_letter_text(patient_letter_pdf(_accepted(world, needs_transport=True, needs_escort=True))))
    on_own = _flat(_letter_text(patient_letter_pdf(_accepted(world))))
    assert "Resa: transport till sjukhuset ordnas åt dig." in with_help
    assert "Resa: en ledsagare får resa med dig" in with_help
    assert "Resa: du reser själv till sjukhuset." in on_own
    assert "Resa: ingen ledsagare är planerad." in on_own
    assert "Tolk: ingen tolk är bokad." in on_own


def test_letter_is_swedish_whatever_the_users_language(client, world):
    referral = _accepted(world)
    client.force_login(world.unit_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _letter_text(client.get(_url(referral)).content)
    assert "Planerat datum" in text and "tisdag 8 december 2026" in text


def test_hostile_free_text_is_printed_literally(world):
    referral = _accepted(
        world,
        patient_name="<b>x</b> & Co",
        interpreter_language='=HYPERLINK("http://evil.example","klicka")',
        needs_interpreter=True,
        contact_name='<a href="http://evil.example">Ring</a>',
    )
    text = _letter_text(patient_letter_pdf(referral))
    assert "<b>x</b> & Co" in text
    assert '=HYPERLINK("http://evil.example","klicka")' in text
    assert '<a href="http://evil.example">Ring</a>' in _flat(text)
    assert b"/URI" not in patient_letter_pdf(referral)  # no link was made of the text


def test_unusual_letters_in_a_name_are_drawn(world):
    if _fonts()[0] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed: Helvetica draws Latin-1 only")
    referral = _accepted(world, patient_name="Łukasz Şahin")
    assert "Łukasz Şahin" in _letter_text(patient_letter_pdf(referral))


def test_letter_needs_an_accepted_request(world):
    with pytest.raises(ValueError):
        patient_letter_pdf(ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW))


def test_the_units_to_call_are_named_with_hospital_town_and_phone(world):
    """Before: 'ring Ortopedi, 010-…' – every hospital has an Ortopedi; the patient could not tell which."""
    referral = _accepted(world, needs_transport=True)
    receiving, sending = world.neighbour_unit, world.home_unit
    receiving.name, sending.name = "Ortopedi", "Ortopedi"
    receiving.save()
    sending.save()
    receiving.hospital.name, receiving.hospital.address = "Länssjukhuset", "Lasarettsvägen 1\n391 85 Kalmar"
    receiving.hospital.save()
    sending.hospital.name, sending.hospital.address = "Skånes universitetssjukhus Lund", "Entrégatan 7\n222 42 Lund"
    sending.hospital.save()
    flat = _flat(_letter_text(patient_letter_pdf(Referral.objects.get(pk=referral.pk))))
    assert "ring Ortopedi, Länssjukhuset, Kalmar, 010-200 02 00." in flat  # the town from the postcode line
    assert "ring Anna Berg på Ortopedi, Skånes universitetssjukhus Lund, 046-17 10 00." in flat  # not 'Lund' twice
    assert "ring Ortopedi, 010" not in flat


def test_a_unit_without_phone_or_postcode_is_named_with_its_hospital(world):
    referral = _accepted(world)
    receiving = world.neighbour_unit
    receiving.phone = ""
    receiving.save()
    receiving.hospital.address = "Sjukhusvägen 3"
    receiving.hospital.save()
    flat = _flat(_letter_text(patient_letter_pdf(Referral.objects.get(pk=referral.pk))))
    assert "ring Ortopedi Karlskrona, Blekingesjukhuset Karlskrona." in flat
