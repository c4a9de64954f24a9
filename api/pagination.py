from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StrictPageNumberPagination(PageNumberPagination):
    """`page` is a positive whole number or absent; anything else is a 400, not silently page 1."""

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isdigit():
            raise exceptions.ValidationError({self.page_query_param: [_("Give the page as a whole number.")]})
        return value
