"""Patient search and the open-request warning: reads only, narrowing what `selectors.referrals_visible_to`
lets the user see, never widening it.

A search finds a patient's requests by personnummer or samordningsnummer (any accepted format) or by the
name the sending unit recorded. Closed, completed and withdrawn requests are found too, as history. Each
search is access-logged: one entry per request shown, and one for a patient searched for by number whose
requests the user may not see (the log then says who looked for whom, and the page reveals nothing).

The warning tells the sending region's staff that the patient already has an open request from the same
region (a duplicate is usually a mistake). Each region is its own care provider: another region's
requests are never counted, and within the region only the requests the user may see are named; the
others are counted, except another unit's drafts, which nobody outside that unit sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import user_scopes
from audit.models import AccessAction, AccessLogEntry
from audit.services import access_record_many
from referrals.models import OPEN_STATUSES, Patient, Referral, ReferralStatus
from referrals.selectors import referral_roles, referrals_visible_to
from sot.personal_numbers import normalize_personal_number

if TYPE_CHECKING:
    from accounts.models import User

SEARCH_WHAT = "referrals:search"  # the access log's code for the search page, as for every page: its URL name
SEARCH_ROLES = frozenset({Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE, Role.RECEIVING_STAFF})
HISTORY_STATUSES = (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED)
MAX_ROWS = 50
MIN_NAME_LENGTH = 2

ERROR_EMPTY = _("Enter a personnummer, a samordningsnummer or a name.")
ERROR_NAME_TOO_SHORT = _("Enter at least two letters of the name.")

# Digits with the separators a personnummer may be written with: this is a number, not a name.
_NUMBER_LIKE = re.compile(r"^[0-9\s+-]*[0-9][0-9\s+-]*$")
_REFERENCE = re.compile(r"^SOT-[0-9]{4}-[0-9]{1,6}$", re.IGNORECASE)


@dataclass(frozen=True)
class SearchQuery:
    """What was typed, understood: the 12-digit numbers it may mean, a request reference, or a name."""

    numbers: tuple[str, ...] = ()
    reference: str = ""
    name: str = ""

    @property
    def by_number(self) -> bool:
        return bool(self.numbers)


@dataclass
class SearchResult:
    query: SearchQuery
    referrals: list[Referral] = field(default_factory=list)
    truncated: bool = False


def may_search(user: User) -> bool:
    """Unit staff, SOT representatives and receiving staff search among what they may see; directors and
    administrators see no patient, so they have no search."""
    return bool(user_scopes(user).roles & SEARCH_ROLES)


def personal_number_candidates(typed: str) -> tuple[str, ...]:
    """The 12-digit numbers a typed personnummer may mean; ValidationError in Swedish if it is none.

    As in the access log's search (audit/forms.py): ten digits without '+' carry no century for sure
    (people over 100 are often written with '-'), so both possible centuries are searched; twelve digits
    or a '+' name one."""
    number = normalize_personal_number(typed)
    if len(re.sub(r"\D", "", typed)) == 12 or "+" in typed:
        return (number,)
    return (number, f"{int(number[:2]) - 1:02d}{number[2:]}")


def search_query_parse(typed: str) -> SearchQuery:
    text = " ".join((typed or "").split())
    if not _NUMBER_LIKE.match(text) and not _REFERENCE.match(text):
        # A name as records write it, "Efternamn, Förnamn": the comma (or semicolon) separates words.
        text = " ".join(re.sub(r"[,;]", " ", text).split())
    if not text:
        raise ValidationError(ERROR_EMPTY, code="empty")
    if _NUMBER_LIKE.match(text):
        return SearchQuery(numbers=personal_number_candidates(text))
    if _REFERENCE.match(text):
        return SearchQuery(reference=text.upper())
    if len(text) < MIN_NAME_LENGTH:
        raise ValidationError(ERROR_NAME_TOO_SHORT, code="short")
    return SearchQuery(name=text)


def _name_condition(name: str) -> Q:
    """Every typed word is part of the name, in any order ('svensson anna' and 'Svens' find 'Anna
    Svensson'); each word matches as typed, save for case (å, ä and ö are not a, a and o)."""
    condition = Q()
    for word in name.split():
        condition &= _word_condition(word)
    return condition


def _word_condition(word: str) -> Q:
    """Case-insensitive 'contains'. PostgreSQL folds å, ä and ö itself; SQLite's LIKE folds ASCII only, so
    the usual spellings of the typed word are asked for too ('åsa' finds 'Åsa Öberg')."""
    condition = Q(patient_name__icontains=word)
    for variant in {word.lower(), word.upper(), word.capitalize(), word.title()}:
        condition |= Q(patient_name__contains=variant)
    return condition


def referrals_found(user: User, query: SearchQuery) -> QuerySet[Referral]:
    """The requests the query finds among those the user may see: open first, then history, newest first."""
    found = referrals_visible_to(user)
    if query.numbers:
        found = found.filter(patient__personal_number__in=query.numbers)
    elif query.reference:
        found = found.filter(reference__iexact=query.reference)
    else:
        found = found.filter(_name_condition(query.name))
    return (
        found.select_related(
            "patient",
            "sending_unit__hospital__region",
            "receiving_unit__hospital__region",
        )
        .annotate(history=Case(When(status__in=HISTORY_STATUSES, then=Value(1)), default=Value(0)))
        .order_by("history", "-created_at", "-id")
    )


def patient_search(*, user: User, query: SearchQuery) -> SearchResult:
    """Run the search and write its access-log entries (one per request shown, and one per patient searched
    for by number whose requests none of the rows show)."""
    rows = list(referrals_found(user, query)[: MAX_ROWS + 1])
    result = SearchResult(query=query, referrals=rows[:MAX_ROWS], truncated=len(rows) > MAX_ROWS)
    access_record_many(user=user, referrals=result.referrals, what=SEARCH_WHAT)
    if query.numbers:
        shown = {r.patient_id for r in result.referrals}
        unseen = Patient.objects.filter(personal_number__in=query.numbers).exclude(pk__in=shown)
        roles = ",".join(sorted(user_scopes(user).roles & SEARCH_ROLES))
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=user, role=roles, patient=patient, action=AccessAction.READ, what=SEARCH_WHAT)
            for patient in unseen
        )
    return result


@dataclass(frozen=True)
class OpenRequests:
    """The patient's other open requests from the same region: named if the user may see them, else counted."""

    visible: Sequence[Referral]
    hidden: int

    @property
    def total(self) -> int:
        return len(self.visible) + self.hidden


def open_requests_in_region(user: User, referral: Referral) -> OpenRequests | None:
    """The warning for a request's page, or None. Shown to the sending side only (its unit staff and its
    region's SOT representatives): a receiving unit in another region never learns of them."""
    if not referral.is_open:
        return None
    if not referral_roles(user, referral) & {Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE}:
        return None
    visible = referrals_visible_to(user).filter(pk=OuterRef("pk"))
    others = list(
        Referral.objects.filter(
            patient_id=referral.patient_id,
            status__in=OPEN_STATUSES,
            sending_unit__hospital__region_id=referral.sending_unit.hospital.region_id,
        )
        .exclude(pk=referral.pk)
        .annotate(may_see=Exists(visible))
        .select_related("sending_unit__hospital")
        .order_by("created_at", "id")
    )
    shown = [other for other in others if other.may_see]
    # Another unit's draft is its own working copy, disclosed to nobody until it is submitted: not counted.
    hidden = sum(1 for other in others if not other.may_see and other.status != ReferralStatus.DRAFT)
    if not shown and not hidden:
        return None
    return OpenRequests(visible=shown, hidden=hidden)
