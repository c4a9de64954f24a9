"""The FHIR interface's views: the CapabilityStatement, and per resource type its search (and create)
and its read. What each does is in the registry (fhir/registry.py); who sees what in the selectors."""

from __future__ import annotations

from typing import Any, cast

from django.http import QueryDict
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import signed_in
from fhir import create as _create  # noqa: F401  registers ServiceRequest's create
from fhir import search_places as _places  # noqa: F401  registers its resource types
from fhir import search_requests as _requests  # noqa: F401  registers its resource types
from fhir import update as _update  # noqa: F401  registers Task's update
from fhir.capability import capability_statement
from fhir.http import FhirView
from fhir.registry import TYPES
from fhir.versions import current_version_only, etag


class Metadata(FhirView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(capability_statement(request))


class TypeLevel(FhirView):
    """GET: search; POST: create (where served)."""

    resource_type = ""

    def get(self, request: Request) -> Response:
        return Response(TYPES[self.resource_type].search(request, signed_in(request.user)))

    def post(self, request: Request) -> Response:
        create = TYPES[self.resource_type].create
        if create is None:
            return self.http_method_not_allowed(request)
        return create(request, signed_in(request.user))

    def get_allowed_methods(self) -> list[str]:
        served = TYPES.get(self.resource_type)
        methods = ["GET", "POST"] if served is not None and served.create is not None else ["GET"]
        return [*methods, "OPTIONS"]

    @property
    def allowed_methods(self) -> list[str]:
        return self.get_allowed_methods()


class TypeSearch(FhirView):
    """POST [type]/_search: the search with its parameters in a form-encoded body (and the address)."""

    resource_type = ""
    parser_classes = [FormParser]

    def post(self, request: Request) -> Response:
        params = request._request.GET.copy()
        body = cast(QueryDict, request.data)
        for name, values in body.lists():
            params.setlist(name, [*params.getlist(name), *values])
        params._mutable = False
        request._request.GET = cast(Any, params)  # what the searches read as request.query_params
        return Response(TYPES[self.resource_type].search(request, signed_in(request.user)))


class InstanceLevel(FhirView):
    resource_type = ""

    def get(self, request: Request, pk: str) -> Response:
        read = TYPES[self.resource_type].read
        if read is None:
            return self.http_method_not_allowed(request)
        return _with_etag(Response(read(request, signed_in(request.user), pk)))

    def put(self, request: Request, pk: str) -> Response:
        update = TYPES[self.resource_type].update
        if update is None:
            return self.http_method_not_allowed(request)
        return _with_etag(update(request, signed_in(request.user), pk))

    def get_allowed_methods(self) -> list[str]:
        served = TYPES.get(self.resource_type)
        methods = ["GET", "PUT"] if served is not None and served.update is not None else ["GET"]
        return [*methods, "OPTIONS"]

    @property
    def allowed_methods(self) -> list[str]:
        return self.get_allowed_methods()


class InstanceVersion(FhirView):
    """vread, GET [type]/[id]/_history/[vid]: the current version only (fhir/versions.py)."""

    resource_type = ""

    def get(self, request: Request, pk: str, vid: str) -> Response:
        read = TYPES[self.resource_type].read
        if read is None or not TYPES[self.resource_type].versioned:
            return self.http_method_not_allowed(request)
        current_version_only(self.resource_type, pk, vid)
        return _with_etag(Response(read(request, signed_in(request.user), pk)))


def _with_etag(response: Response) -> Response:
    """The resource's version as a weak ETag, where it has one (ServiceRequest, Task)."""
    meta = response.data.get("meta") if isinstance(response.data, dict) else None
    if isinstance(meta, dict) and "versionId" in meta:
        response["ETag"] = etag(meta["versionId"])
    return response


def type_view(name: str) -> Any:
    return TypeLevel.as_view(resource_type=name)


def search_view(name: str) -> Any:
    return TypeSearch.as_view(resource_type=name)


def instance_view(name: str) -> Any:
    return InstanceLevel.as_view(resource_type=name)


def version_view(name: str) -> Any:
    return InstanceVersion.as_view(resource_type=name)
