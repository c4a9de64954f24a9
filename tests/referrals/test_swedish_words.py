"""Swedish that reads naturally: statuses and events by name, reasons and obstacle categories in words
(the timeline included), and days left as a sentence rather than a negative number."""

from __future__ import annotations

import pytest
from django.db import models
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from referrals import services
from referrals.models import EventKind, ObstacleCategory, ReferralEvent, ReferralStatus
from referrals.models.history import REASONS_BY_KIND
from tests.factories import ReferralFactory
from tests.i18n import shown_html


def _days(days: int | None, to: str = "", language: str = "sv") -> str:
    template = Template("{% load sot_tags %}{% days_left days to %}")
    with translation.override(language):
        return template.render(Context({"days": days, "to": to}))


@pytest.mark.parametrize(
    ("days", "to", "expected"),
    [
        (12, "deadline", "12 dagar kvar till vårdgarantidatum"),
        (1, "deadline", "1 dag kvar till vårdgarantidatum"),
        (0, "deadline", "i dag"),
        (-1, "deadline", "1 dag efter vårdgarantidatum"),
        (-40, "deadline", "40 dagar efter vårdgarantidatum"),
        (5, "target", "5 dagar kvar till medicinskt måldatum"),
        (-2, "target", "2 dagar efter medicinskt måldatum"),
        (3, "", "3 dagar kvar"),
        (-3, "", "3 dagar för sent"),
        (None, "deadline", "–"),
    ],
)
def test_days_left_in_swedish(days, to, expected):
    assert _days(days, to) == expected


@pytest.mark.parametrize(
    ("days", "to", "expected"),
    [
        (12, "deadline", "12 days left to the care-guarantee deadline"),
        (-1, "deadline", "1 day after the care-guarantee deadline"),
        (0, "", "today"),
        (-3, "", "3 days late"),
    ],
)
def test_days_left_in_english(days, to, expected):
    assert _days(days, to, language="en") == expected


@pytest.mark.parametrize(
    ("status", "swedish"),
    [
        (ReferralStatus.DRAFT, "Utkast"),
        (ReferralStatus.SUBMITTED, "Inskickad"),
        (ReferralStatus.IN_REVIEW, "Under handläggning"),
        (ReferralStatus.PROPOSED, "Föreslagen"),
        (ReferralStatus.ACCEPTED, "Accepterad"),
        (ReferralStatus.COMPLETED, "Vård given"),
        (ReferralStatus.WITHDRAWN, "Återkallad"),
        (ReferralStatus.CLOSED, "Avslutad utan samordning"),
    ],
)
def test_status_names(status, swedish):
    with translation.override("sv"):
        assert str(status.label) == swedish


def test_every_event_kind_and_obstacle_category_is_in_swedish():
    with translation.override("sv"):
        kinds: list[type[models.TextChoices]] = [EventKind, ObstacleCategory, *REASONS_BY_KIND.values()]
        for choices in kinds:
            for value, label in choices.choices:
                with translation.override("en"):
                    english = str(label)
                # IT and Transport are the same word in both languages.
                assert str(label) != english or english in {"IT", "Transport"}, (choices.__name__, value)


def test_the_timeline_shows_an_obstacle_category_in_words(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.IN_REVIEW)
    services.obstacle_record(
        by=world.sot,
        category=ObstacleCategory.ECONOMIC,
        text="Ersättningen mellan regionerna är inte avtalad.",
        region=world.home_region,
        referral=referral,
    )
    event = ReferralEvent.objects.get(referral=referral, kind=EventKind.OBSTACLE)
    assert event.reason == "economic"  # the stored code
    with translation.override("sv"):
        assert event.reason_display == "Ekonomi"
    client.force_login(world.sot)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert shown_html(ObstacleCategory.ECONOMIC.label) in body
    assert ": economic<" not in body


def test_the_detail_page_tells_days_after_the_deadline(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from referrals.models import Referral

    referral = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.SUBMITTED)
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(
        decision_date=today - timedelta(days=130), care_guarantee_deadline=today - timedelta(days=40)
    )
    client.force_login(world.unit_staff)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "40 dagar efter vårdgarantidatum" in body
    assert "-40" not in body
