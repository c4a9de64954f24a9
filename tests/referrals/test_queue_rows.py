"""The queue's rows, written in Python for the page's speed: every value escaped, the same links and marks
as the request's own page, one form for the take/release buttons."""

from __future__ import annotations

from django.urls import reverse

from referrals.models import ReferralStatus
from tests.factories import ReferralFactory

S = ReferralStatus
QUEUE = reverse("work:queue")


def test_names_in_the_rows_are_text_not_markup(client, world):
    world.sot.first_name, world.sot.last_name = "<script>alert(1)</script>", '=HYPERLINK("x")'
    world.sot.save()
    world.home_unit.name = "<b>Ortopedi</b>"
    world.home_unit.save()
    ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, handler=world.sot)
    client.force_login(world.sot)
    html = client.get(QUEUE).content.decode()
    assert "<b>Ortopedi</b>" not in html and "&lt;b&gt;Ortopedi&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_each_row_links_to_its_request_and_its_take_button(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    client.force_login(world.sot)
    html = client.get(QUEUE).content.decode()
    assert f'href="{reverse("referrals:detail", args=[referral.pk])}"' in html
    assert f'formaction="{reverse("work:handler_take", args=[referral.pk])}"' in html
    assert html.count('id="handler-form"') == 1  # one form with one CSRF token for every row's button
    response = client.post(reverse("work:handler_take", args=[referral.pk]), {"next": QUEUE})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.handler_id == world.sot.pk
    html = client.get(QUEUE).content.decode()
    assert f'formaction="{reverse("work:handler_release", args=[referral.pk])}"' in html
