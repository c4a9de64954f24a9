"""Searchset Bundles: `total`, `_count` and paging links (self, first, next, previous) over one or more
sources of rows (a Task search reads coordination Tasks, then per-unit Tasks), with a constant number of
queries per page: a count and a slice per source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.request import Request

from fhir.outcomes import Invalid

DEFAULT_COUNT = 25
MAX_COUNT = 100
PAGING = {"_count", "_page", "_summary", "_format"}


@dataclass
class Source:
    """Rows of one kind, ordered, and how one row becomes a resource."""

    rows: QuerySet[Any]
    prepare: Callable[[list[Any]], list[Any]]  # loads what a page of rows needs, in a constant number of queries
    resource: Callable[[Any], dict[str, Any]]


@dataclass
class Page:
    total: int
    rows: list[tuple[Source, Any]]
    number: int
    count: int


def count_of(request: Request) -> int:
    value = request.query_params.get("_count")
    if value is None:
        return DEFAULT_COUNT
    if not value.isdigit():
        raise Invalid(_("Give _count as a whole number."))
    return min(int(value), MAX_COUNT)


def page_number(request: Request) -> int:
    value = request.query_params.get("_page", "1")
    if not value.isdigit() or int(value) < 1:
        raise Invalid(_("Give _page as a whole number from 1."))
    return int(value)


def summary_count(request: Request) -> bool:
    value = request.query_params.get("_summary")
    if value is None:
        return False
    if value != "count":
        raise Invalid(_("Only _summary=count is supported."))
    return True


def paginate(request: Request, sources: Sequence[Source]) -> Page:
    count, number = count_of(request), page_number(request)
    totals = [source.rows.count() for source in sources]
    page = Page(total=sum(totals), rows=[], number=number, count=count)
    if summary_count(request) or count == 0:
        return page
    start, stop = (number - 1) * count, number * count
    offset = 0
    for source, total in zip(sources, totals, strict=True):
        lo, hi = max(start - offset, 0), min(stop - offset, total)
        if lo < hi:
            rows = source.prepare(list(source.rows[lo:hi]))
            page.rows.extend((source, row) for row in rows)
        offset += total
    return page


def searchset(request: Request, page: Page, *, included: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    base = request.build_absolute_uri(request.path)
    params = [(k, v) for k, values in request.query_params.lists() if k != "_page" for v in values]

    def link(relation: str, number: int) -> dict[str, str]:
        query = urlencode([*params, ("_page", str(number))])
        return {"relation": relation, "url": f"{base}?{query}"}

    links = [link("self", page.number), link("first", 1)]
    if page.count and page.number * page.count < page.total:
        links.append(link("next", page.number + 1))
    if page.number > 1:
        links.append(link("previous", page.number - 1))
    if request.method == "POST":
        # A POST _search carries what must not go in an address (a personnummer): its links would put it
        # there. The next page is asked for by sending the same body with _page.
        links = []
    entries = [
        {"fullUrl": _full_url(request, resource), "resource": resource, "search": {"mode": "match"}}
        for resource in (source.resource(row) for source, row in page.rows)
    ]
    entries += [
        {"fullUrl": _full_url(request, resource), "resource": resource, "search": {"mode": "include"}}
        for resource in included
    ]
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": page.total}
    if links:
        bundle["link"] = links
    if entries:
        bundle["entry"] = entries
    return bundle


def _full_url(request: Request, resource: dict[str, Any]) -> str:
    return request.build_absolute_uri(f"/fhir/R4/{resource['resourceType']}/{resource['id']}")


def not_in_the_address(request: Request, names: set[str]) -> None:
    """A personnummer never goes in an address (nor in a proxy's log or a browser's history): a search by
    the patient's identifier is sent with POST [type]/_search, its parameters in the form-encoded body."""
    in_address = {name for name, _value in parse_qsl(request._request.META.get("QUERY_STRING", ""))}
    if in_address & names:
        raise Invalid(_("Send the patient's identifier with POST …/_search, never in the address."))


def unknown_parameters(request: Request, known: set[str]) -> None:
    """Search is strict: a parameter we do not serve is a 400, never silently ignored (which would answer
    more than was asked for)."""
    unknown = sorted(set(request.query_params) - known - PAGING)
    if unknown:
        raise Invalid(_("Unknown search parameter: %(names)s.") % {"names": ", ".join(unknown)[:200]})
