"""Whether the search form is offered: asked of referrals.search, never decided by role in a template."""

from __future__ import annotations

from typing import Any

from django import template

from referrals.search import may_search

register = template.Library()


@register.simple_tag
def may_search_patients(user: Any) -> bool:
    return may_search(user)
