from typing import Any

from django import template

from referrals.models import ReferralStatus

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, 0)


@register.simple_tag
def statuses(codes: str) -> list[tuple[str, str]]:
    """(code, label) pairs for the given status codes, for count tables."""
    labels = dict(ReferralStatus.choices)
    return [(code, labels[code]) for code in codes.split()]
