from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from referrals.models import ReferralStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, 0)


@register.simple_tag
def statuses(codes: str) -> list[tuple[str, StrOrPromise]]:
    """(code, label) pairs for the given status codes, for count tables."""
    labels = dict(ReferralStatus.choices)
    return [(code, labels[code]) for code in codes.split()]
