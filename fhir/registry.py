"""What the FHIR interface serves, per resource type: its interactions and search parameters. The
CapabilityStatement is written from this table, so it lists exactly what is served."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # FHIR's search parameter types: token, reference, date, string
    documentation: str


@dataclass(frozen=True)
class ResourceType:
    name: str
    search: Callable[[Request, User], dict[str, Any]]
    read: Callable[[Request, User, str], dict[str, Any]] | None
    params: tuple[Param, ...] = ()
    create: Callable[[Request, User], Any] | None = None
    update: Callable[[Request, User, str], Any] | None = None
    includes: tuple[str, ...] = ()
    documentation: str = ""
    versioned: bool = False  # meta.versionId, ETag and vread of the current version (fhir/versions.py)

    @property
    def served(self) -> tuple[str, ...]:
        return tuple(
            code
            for code, present in (
                ("read", self.read is not None),
                ("vread", self.versioned and self.read is not None),
                ("search-type", True),
                ("create", self.create is not None),
                ("update", self.update is not None),
            )
            if present
        )

    @property
    def param_names(self) -> set[str]:
        return {p.name for p in self.params} | ({"_include"} if self.includes else set())


TYPES: dict[str, ResourceType] = {}


def register(resource_type: ResourceType) -> ResourceType:
    TYPES[resource_type.name] = resource_type
    return resource_type
