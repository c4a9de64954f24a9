"""API rate limits, kept in the cache (Redis in production). A cache outage must not take the API down:
the limit is then not enforced (fail open, with a warning in the log) until the cache answers again."""

from __future__ import annotations

import logging
import time
from typing import Any

from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# After a failure, this process leaves the cache alone for a while instead of waiting on it per request.
PAUSE_AFTER_FAILURE = 10.0
_cache_down_until = 0.0


class TokenRateThrottle(SimpleRateThrottle):
    """Per token (or per user for browser sessions)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: Any) -> bool:
        global _cache_down_until
        if time.monotonic() < _cache_down_until:
            return True
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            _cache_down_until = time.monotonic() + PAUSE_AFTER_FAILURE
            logger.warning("API rate limit not enforced: the cache did not answer (%s)", type(exc).__name__)
            return True
