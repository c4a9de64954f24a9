"""The FHIR interface's HTTP: JSON in and out as application/fhir+json (application/json accepted),
`_format` honoured, errors as OperationOutcome. Authentication, permission and rate limit are the REST
API's own (REST_FRAMEWORK's defaults: personal tokens, then the browser session; TokenRateThrottle)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from fhir.outcomes import FHIR_JSON
from fhir.outcomes import handler as outcome_handler

JSON_FORMATS = {"json", "application/json", "application/fhir+json", "application/json+fhir"}


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"
    charset = "utf-8"


class FhirJSONParser(JSONParser):
    media_type = FHIR_JSON


class FhirNegotiation(BaseContentNegotiation):
    """Always FHIR JSON: asked for by Accept (fhir+json, json or anything) or `_format`. An explicit
    `_format` that is not JSON (xml, turtle) is refused with 406."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> Any:
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        for parser in parsers:
            if parser.media_type == content_type:
                return parser
        return None

    def select_renderer(self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None) -> Any:
        asked = request.query_params.get("_format")
        if asked is not None and asked.strip().lower() not in JSON_FORMATS:
            raise exceptions.NotAcceptable()
        return next(iter(renderers)), FHIR_JSON


class FhirView(APIView):
    schema = None  # not part of the REST API's OpenAPI schema: the CapabilityStatement describes it
    renderer_classes = [FhirJSONRenderer]
    parser_classes = [FhirJSONParser, JSONParser]
    content_negotiation_class = FhirNegotiation

    def get_exception_handler(self) -> Any:
        return outcome_handler
