"""The action plans beside another app's page (the obstacles page of referrals), without that app importing
this one: the page's template loads this library and asks for the plans of its reader."""

from __future__ import annotations

from typing import Any

from django import template

from actionplans.selectors import categories_with_plans

register = template.Library()


@register.inclusion_tag("actionplans/_categories.html", takes_context=True)
def plans_beside_obstacles(context: dict[str, Any]) -> dict[str, Any]:
    """Each obstacle category with its action plans, those the page's reader may see."""
    return {"categories": categories_with_plans(context["request"].user)}
