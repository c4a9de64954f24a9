"""The SOT representative's queue: the region's requests, filtered, sorted and paged, with who handles
each ("Ta ärendet" / "Släpp ärendet") and how long it has been in its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from audit.services import access_record_readings
from referrals.access import not_now, referral_for
from referrals.filters import QUEUE_FILTER_MODELS, QueueFilter, queue_filter_choices
from referrals.lifecycle import Action
from referrals.models import Referral, ReferralStatus, StateWaitLimit
from referrals.queue_entries import QueueEntry, queue_entries
from referrals.queue_rows import queue_rows_html
from referrals.selectors import QUEUE_STATUSES, queue_counts, sot_queue, wait_limits
from referrals.services.handling import referral_handler_release, referral_handler_take
from referrals.services.history import TransitionNotAllowed
from referrals.templatetags.sot_tags import days_left
from referrals.working_days import working_days_between
from sot import reference_cache

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25


@dataclass(frozen=True)
class Column:
    """A header of the queue's table; `sort` names its QueueOrdering parameter, if it sorts."""

    label: StrOrPromise
    sort: str = ""
    numeric: bool = False


COLUMNS = (
    Column(gettext_lazy("Reference"), "reference"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Handler"), "handler"),
    Column(gettext_lazy("In this status since"), "since"),
    Column(gettext_lazy("Sending unit"), "unit"),
    Column(gettext_lazy("Diagnosis group"), "group"),
    Column(gettext_lazy("Priority"), "priority"),
    Column("ASA", "asa"),
    Column(gettext_lazy("Days to target date"), "target", numeric=True),
    Column(gettext_lazy("Days left"), "deadline", numeric=True),
    Column(gettext_lazy("Receiving unit"), "receiver"),
)


@dataclass(frozen=True)
class Header:
    column: Column
    href: str = ""
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column only


@dataclass(frozen=True)
class Row:
    """One line of the queue, its words and links worked out here: 25 rows of template tags (a URL reversed,
    a status translated, days put in words, a form with its CSRF token, per row) were most of the page's time."""

    referral: QueueEntry
    days_in_status: int
    waited_too_long: bool
    url: str
    status_label: str
    days_to_target: str
    days_to_deadline: str
    is_past_target: bool
    is_overdue: bool
    handler_label: str
    handled_by_me: bool
    handler_action: str  # the URL of "Ta ärendet" or "Släpp ärendet"; empty when the request is closed


def _days_until(day: date | None, today: date) -> int | None:
    return (day - today).days if day else None  # as clock.wait_status: pauses move neither date


def _rows(
    request: AuthenticatedHttpRequest, entries: list[QueueEntry], *, today: date, limits: dict[str, int]
) -> list[Row]:
    # Each URL from one reversed pattern: the same path as reverse() gives for each pk, without 3 reverses a row.
    detail = reverse("referrals:detail", args=[0]).replace("/0/", "/{}/")
    take = reverse("work:handler_take", args=[0]).replace("/0/", "/{}/")
    release = reverse("work:handler_release", args=[0]).replace("/0/", "/{}/")
    statuses = dict(ReferralStatus.choices)
    rows = []
    for r in entries:
        mine = r.handler_id == request.user.pk
        handler = str(_("You")) if mine else r.handler_name
        is_open = r.is_open
        to_target = _days_until(r.medical_target_date, today)
        to_deadline = _days_until(r.care_guarantee_deadline, today)
        in_status = working_days_between(timezone.localdate(r.status_changed_at), today) if r.status_changed_at else 0
        limit = limits.get(r.status)
        rows.append(
            Row(
                referral=r,
                days_in_status=in_status,
                waited_too_long=limit is not None and in_status > limit,  # as selectors.waited_too_long
                url=detail.format(r.id),
                status_label=str(statuses[r.status]),
                days_to_target=days_left(to_target) if is_open else "–",
                days_to_deadline=days_left(to_deadline) if is_open else "–",
                is_past_target=to_target is not None and to_target < 0,
                is_overdue=to_deadline is not None and to_deadline < 0,
                handler_label=handler,
                handled_by_me=mine,
                handler_action=(release if mine else take).format(r.id) if is_open else "",
            )
        )
    return rows


@dataclass(frozen=True)
class _Kept:
    """What the queue page reads of reference data: the wait limits, the whole queue's filter panel and
    the regions' names; for the whole queue kept between requests as one entry (sot.reference_cache)."""

    limits: dict[str, int]
    panel: SafeString | None
    region_names: list[str]


@dataclass(frozen=True)
class _Page:
    page: Any
    entries: list[QueueEntry]
    counts: dict[str, int]
    filterset: QueueFilter | None
    kept: _Kept


@require_GET
@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    scopes = user_scopes(request.user)
    if not scopes.sot_regions:
        raise PermissionDenied
    today = timezone.localdate()
    if any(value for key, value in request.GET.items() if key != "page"):
        shown = _filtered_queue(request, today=today)
    else:
        shown = _whole_queue(request, today=today)
    access_record_readings(user=request.user, readings=shown.entries, what="work:queue")
    rows = _rows(request, shown.entries, today=today, limits=shown.kept.limits)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "filter": shown.filterset,
            "filter_panel": shown.kept.panel,
            "mine_on": forms.CheckboxInput().value_from_datadict(request.GET, MultiValueDict(), "mine"),
            "status_value": request.GET.get("status", ""),
            "page": shown.page,
            "rows": rows,
            "rows_html": queue_rows_html(rows),
            "headers": _headers(query),
            "counts": shown.counts,
            "regions": shown.kept.region_names,
            "query": query.urlencode(),
            "filtered": any(key != "sort" for key in query),
            "here": request.get_full_path(),
        },
    )


def _region_names(regions: Any) -> list[str]:
    return [name for _pk, name in queue_filter_choices(regions)["regions"]]


def _filtered_queue(request: AuthenticatedHttpRequest, *, today: date) -> _Page:
    regions = user_scopes(request.user).sot_regions
    kept = _Kept(limits=wait_limits(), panel=None, region_names=_region_names(regions))

    def base() -> QuerySet[Referral]:
        return sot_queue(request.user, today=today)

    counts = queue_counts(base, user=request.user)
    filterset = QueueFilter(
        request.GET, queryset=base(), regions=regions, today=today, user=request.user, limits=kept.limits
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    object_list = cast("QuerySet[Any]", page.object_list)  # a slice of the filtered queryset
    entries = queue_entries(lambda: object_list)
    return _Page(page=page, entries=entries, counts=counts, filterset=filterset, kept=kept)


def _whole_queue(request: AuthenticatedHttpRequest, *, today: date) -> _Page:
    """The whole queue: no filter to apply, its page count from the status counts, the kept panel. Its
    queries depend on nothing but the user's scopes, the user (the handler) and the day: compiled once
    (sot.compiled_queries)."""
    scopes = user_scopes(request.user)
    kept = _kept_for_whole_queue(request, scopes.sot_regions, today=today)
    compiled_as = (scopes, request.user.pk, today)

    def base() -> QuerySet[Referral]:
        return sot_queue(request.user, today=today)

    counts = queue_counts(base, user=request.user, compiled_as=compiled_as)
    paginator = Paginator(Referral.objects.none(), PAGE_SIZE)
    paginator.count = sum(counts[status] for status in QUEUE_STATUSES)
    page = paginator.get_page(request.GET.get("page"))
    bottom, top = max(page.start_index() - 1, 0), page.end_index()
    entries = queue_entries(
        lambda: QueueFilter.open_requests(base())[bottom:top], compiled_as=(*compiled_as, bottom, top)
    )
    return _Page(page=page, entries=entries, counts=counts, filterset=None, kept=kept)


def _kept_for_whole_queue(request: AuthenticatedHttpRequest, regions: Any, *, today: date) -> _Kept:
    """The whole queue's filters as HTML, the wait limits and the regions' names: the same for every SOT
    representative of these regions in this language (no value chosen, nothing of the user), so kept
    between requests, in one entry, until a choice list's model or a limit changes (sot.reference_cache)."""

    def compute() -> _Kept:
        limits = wait_limits()
        blank = QueueFilter(
            QueryDict(),
            queryset=Referral.objects.none(),
            regions=regions,
            user=request.user,
            today=today,
            limits=limits,
        )
        panel = render_to_string("referrals/_queue_filters.html", {"filter": blank, "filtered": False, "sort": ""})
        return _Kept(limits=limits, panel=panel, region_names=_region_names(regions))

    key = f"queue-page:{get_language()}:" + ",".join(str(pk) for pk in sorted(regions))
    return reference_cache.kept(key, compute, models=[*QUEUE_FILTER_MODELS, StateWaitLimit])


def _headers(query: QueryDict) -> list[Header]:
    """Each sortable header links to the same filters sorted by its column, the other way if already so."""
    current = query.get("sort", "")
    headers = []
    for column in COLUMNS:
        if not column.sort:
            headers.append(Header(column))
            continue
        link = query.copy()
        aria_sort = ""
        if current == column.sort:
            aria_sort, link["sort"] = "ascending", f"-{column.sort}"
        elif current == f"-{column.sort}":
            aria_sort, link["sort"] = "descending", column.sort
        else:
            link["sort"] = column.sort
        headers.append(Header(column, href=f"?{link.urlencode()}", aria_sort=aria_sort))
    return headers


def _back(request: AuthenticatedHttpRequest) -> str:
    """Where the form came from (the queue with its filters, or the request's page); the queue otherwise."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("work:queue")


@require_POST
@login_required
def handler_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Ta ärendet": the request is the user's, in "Mina ärenden"."""
    referral, offered = referral_for(request, pk, action=Action.ASSIGN_HANDLER)
    if Action.ASSIGN_HANDLER not in offered:
        return not_now(request, referral, Action.ASSIGN_HANDLER)
    try:
        referral_handler_take(referral=referral, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You now handle %(ref)s.") % {"ref": referral.reference})
    return redirect(_back(request))


@require_POST
@login_required
def handler_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Släpp ärendet": the request has no handler until someone takes it on."""
    referral, offered = referral_for(request, pk, action=Action.ASSIGN_HANDLER)
    if Action.ASSIGN_HANDLER not in offered:
        return not_now(request, referral, Action.ASSIGN_HANDLER)
    try:
        referral_handler_release(referral=referral, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You released %(ref)s; it has no handler now.") % {"ref": referral.reference})
    return redirect(_back(request))
