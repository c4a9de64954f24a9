"""Environment parsing for settings: one place, loud on bad values.

Every setting that comes from the environment is read through these helpers so that
a typo in a deployment ("DEBUG=ture", "DATABASE_URL=postgress://…") stops the process
at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, overload

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from dj_database_url import DBConfig

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    @overload
    def str(self, name: builtins.str, default: builtins.str) -> builtins.str: ...
    @overload
    def str(self, name: builtins.str, default: None = None) -> builtins.str | None: ...
    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str | None:
        value = self.environ.get(name)
        if value is None:
            return default
        return value.strip()

    def bool(self, name: builtins.str, default: bool) -> bool:
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {value!r}.")

    def int(self, name: builtins.str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            result = default
        else:
            try:
                result = int(value.strip())
            except ValueError:
                raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None
        if minimum is not None and result < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {result}.")
        if maximum is not None and result > maximum:
            raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {result}.")
        return result

    def choice(self, name: builtins.str, choices: tuple[builtins.str, ...], default: builtins.str) -> builtins.str:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return default
        lowered = value.strip().lower()
        if lowered not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {'/'.join(choices)}, got {value!r}.")
        return lowered

    def list(self, name: builtins.str, default: list[builtins.str] | None = None) -> list[builtins.str]:
        value = self.environ.get(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def database(self, name: builtins.str, default: builtins.str) -> DBConfig:
        import dj_database_url

        url = self.str(name) or default
        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
        engine = config.get("ENGINE", "")
        if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
            raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL, got engine {engine!r}.")
        return config

    def redis_url(self, name: builtins.str) -> builtins.str | None:
        url = self.str(name)
        if not url:
            return None
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://, got {url!r}.")
        return url
