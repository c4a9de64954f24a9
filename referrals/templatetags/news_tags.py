"""The start page's count of "Nytt sedan senast", computed where it is shown (templates/referrals/_news_badge.html)."""

from __future__ import annotations

from typing import Any

from django import template

from referrals.news import has_news_feed, news_count

register = template.Library()


@register.simple_tag(takes_context=True)
def news_badge(context: Any) -> dict[str, Any]:
    """Whether the user has a news list, and how many items are new on it (one query, or none)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_news_feed(user):
        return {"shown": False, "count": 0}
    return {"shown": True, "count": news_count(user)}
