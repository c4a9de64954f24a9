""" "Nytt sedan senast": what happened to the requests a user may see since they last marked the list read.

A change feed, not a list of patients: each item is the time, the kind of event, the request's reference
and the units, read with `values()` so that no patient data (name, personnummer, phone) is even fetched.
That is why the page writes no access-log entry: it shows no patient data (patientdatalagen 4 kap. 3 §
concerns reads of patient data, and the request page, where the patient is, logs its reads).

Who sees which request is decided by `referrals.selectors.referrals_visible_to` alone; the events are
those of the requests in that queryset, so the feed shows nothing the request page's timeline would not.

"Last visit" is the user's read mark (`accounts.NewsReadMark`), moved only by "Markera som läst". Opening
the page does not move it: a coordinator who glances at the list, is called away and comes back still
finds what was new, and the start page's count stays until they say they have read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Case, DateTimeField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import NewsReadMark, Role
from accounts.selectors import user_scopes
from organisations.models import Unit
from referrals.models import EventKind, ReferralEvent, ReferralStatus
from referrals.selectors import referrals_visible_to

if TYPE_CHECKING:
    from accounts.models import User

NEWS_KINDS = (
    EventKind.SUBMITTED,
    EventKind.PROPOSED,
    EventKind.DECLINED,
    EventKind.ACCEPTED,
    EventKind.COMPLETED,
    EventKind.WITHDRAWN,
)
# Before a user has ever marked the list read, it starts this many days back.
FIRST_VISIT_DAYS = 14
# The page lists at most this many items, newest first, and says how many there are in all.
NEWS_LIMIT = 200
# The roles that see requests; a health director or an administrator sees no request, so has no feed.
NEWS_ROLES = frozenset({Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE, Role.RECEIVING_STAFF})


@dataclass(frozen=True)
class NewsItem:
    at: datetime
    kind: str
    kind_label: str
    referral_id: int
    reference: str
    sending_unit: str
    receiving_unit: str


@dataclass(frozen=True)
class News:
    since: datetime
    marked: bool  # False: the user has never marked the list read, so it starts FIRST_VISIT_DAYS back
    items: list[NewsItem]
    total: int

    @property
    def first_visit_days(self) -> int:
        return FIRST_VISIT_DAYS

    @property
    def newest(self) -> datetime | None:
        return self.items[0].at if self.items else None


def has_news_feed(user: User) -> bool:
    return bool(user_scopes(user).roles & NEWS_ROLES)


def news_since(user: User, *, now: datetime | None = None) -> tuple[datetime, bool]:
    """Where the user's news start: their read mark, or FIRST_VISIT_DAYS back if they have none."""
    mark = NewsReadMark.objects.filter(user=user).values_list("read_until", flat=True).first()
    if mark is not None:
        return mark, True
    return (now or timezone.now()) - timedelta(days=FIRST_VISIT_DAYS), False


def _news_events(user: User, *, since: datetime | Coalesce) -> QuerySet[ReferralEvent]:
    # The user's own steps are not news to them.
    return (
        ReferralEvent.objects.filter(referral__in=referrals_visible_to(user), kind__in=NEWS_KINDS, at__gt=since)
        .exclude(actor_id=user.pk)
        .order_by()
    )


def news_count(user: User, *, now: datetime | None = None) -> int:
    """How many items the list holds for the user, in one query: the read mark is read inside it."""
    if not has_news_feed(user):
        return 0
    mark = NewsReadMark.objects.filter(user_id=user.pk).values("read_until")[:1]
    first_visit = (now or timezone.now()) - timedelta(days=FIRST_VISIT_DAYS)
    since = Coalesce(Subquery(mark), Value(first_visit), output_field=DateTimeField())
    return _news_events(user, since=since).count()


def news_for(user: User, *, limit: int = NEWS_LIMIT) -> News:
    """The user's news, newest first: a constant number of queries however many items there are."""
    since, marked = news_since(user)
    events = _news_events(user, since=since)
    # A decline (and a withdrawal of a proposed or accepted request) clears the request's receiving unit,
    # so its event has none: the unit it concerned is the one of the request's latest proposal before it.
    proposed_unit = (
        ReferralEvent.objects.filter(
            referral_id=OuterRef("referral_id"), kind=EventKind.PROPOSED, at__lte=OuterRef("at")
        )
        .order_by("-at", "-id")
        .values("receiving_unit_id")[:1]
    )
    rows = list(
        events.annotate(
            unit_id=Case(
                When(
                    kind__in=[EventKind.DECLINED, EventKind.WITHDRAWN],
                    from_status__in=[ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED],
                    then=Subquery(proposed_unit),
                ),
                default=F("receiving_unit_id"),
                output_field=BigIntegerField(),
            )
        )
        .order_by("-at", "-id")
        .values("at", "kind", "referral_id", "referral__reference", "referral__sending_unit_id", "unit_id")[:limit]
    )
    total = len(rows) if len(rows) < limit else events.count()
    unit_ids = {row["referral__sending_unit_id"] for row in rows} | {row["unit_id"] for row in rows if row["unit_id"]}
    units = {unit.pk: str(unit) for unit in Unit.objects.filter(pk__in=unit_ids).select_related("hospital")}
    labels = dict(EventKind.choices)
    items = [
        NewsItem(
            at=row["at"],
            kind=row["kind"],
            kind_label=str(labels[row["kind"]]),
            referral_id=row["referral_id"],
            reference=row["referral__reference"],
            sending_unit=units.get(row["referral__sending_unit_id"], ""),
            receiving_unit=units.get(row["unit_id"], "") if row["unit_id"] else "",
        )
        for row in rows
    ]
    return News(since=since, marked=marked, items=items, total=total)


def news_mark_read(*, user: User, until: datetime | None, now: datetime | None = None) -> datetime:
    """Mark the user's news read up to `until` (the newest item the page showed), or up to now.

    The page sends the time of the newest item it showed, so that what arrived while the user read is
    still new afterwards. The mark never moves back and never past now.
    """
    current = now or timezone.now()
    target = min(until, current) if until is not None else current
    mark, created = NewsReadMark.objects.get_or_create(user=user, defaults={"read_until": target})
    if not created and target > mark.read_until:
        mark.read_until = target
        mark.save(update_fields=["read_until", "marked_at"])
    return mark.read_until
