"""Reference data kept between requests: the choice lists of the pages people open all day (the SOT queue's
hospitals, units, diagnosis groups and priorities), which are the same for every user of a region and
change a few times a year. Never patient data: only what `watch`ed models hold.

Kept in Django's configured cache (Redis in production, so every process sees one copy). Each watched
model has a version key; a change to one of its rows (save or delete) gives it a new version when its
transaction commits, so every list read from that model is read again on its next use, in every process.
A list also expires after `TIMEOUT` seconds, which bounds how long a change made without signals (a
queryset's update(), a raw UPDATE, a migration) can go unseen. When the cache does not answer (Redis
stopped), the list is read from the database as if nothing were kept: slower, never wrong, never an error page.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

T = TypeVar("T")
TIMEOUT = 600  # seconds
PREFIX = "reference:"


def _prefix() -> str:
    # The database's name too: two databases served with one Redis (a restored copy, a benchmark's) have
    # rows with the same ids and must not find each other's lists.
    return f"{PREFIX}{connection.settings_dict['NAME']}:"


def _version_key(model: type[models.Model]) -> str:
    return f"{_prefix()}version:{model._meta.label_lower}"


def _new_version(model: type[models.Model]) -> None:
    try:
        cache.set(_version_key(model), uuid.uuid4().hex, None)
    except Exception:
        logger.warning("reference cache: no new version for %s", model._meta.label_lower, exc_info=True)


def _changed(sender: type[models.Model], **kwargs: Any) -> None:
    # After the commit, never before: a list read inside the changing transaction must not be kept under a
    # new version if the transaction rolls back, and one read elsewhere before the commit is old.
    transaction.on_commit(lambda: _new_version(sender))


def watch(*watched: type[models.Model]) -> None:
    """Give `watched` models a new version whenever one of their rows is saved or deleted (AppConfig.ready)."""
    for model in watched:
        uid = f"reference-cache-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)


def kept(name: str, compute: Callable[[], T], *, models: Sequence[type[models.Model]]) -> T:
    """`compute()`, kept under `name` until one of `models` changes (or TIMEOUT passes). The versions are read
    before `compute` runs, so a change committed while it runs makes the next call read again."""
    version_keys = [_version_key(model) for model in models]
    key = f"{_prefix()}{name}"
    try:
        found = cache.get_many([*version_keys, key])
    except Exception:
        return compute()
    versions = tuple(found.get(version_key) for version_key in version_keys)
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (versions, value), TIMEOUT)
    except Exception:
        logger.warning("reference cache: %s not kept", name, exc_info=True)
    return value
