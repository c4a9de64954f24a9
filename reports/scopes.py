"""What a report covers: one region, one healthcare region, or all regions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from organisations.models import HealthcareRegion, Region

ALL = "all"


@dataclass(frozen=True)
class Scope:
    kind: str  # "all", "region" or "healthcare_region"
    region: Region | None = None
    healthcare_region: HealthcareRegion | None = None

    @property
    def key(self) -> str:
        if self.region:
            return f"region:{self.region.code}"
        if self.healthcare_region:
            return f"healthcare-region:{self.healthcare_region.code}"
        return ALL

    @property
    def label(self) -> str:
        if self.region:
            return self.region.name
        if self.healthcare_region:
            return self.healthcare_region.name
        return _("All regions")

    @property
    def slug(self) -> str:
        return self.key.replace(":", "-")

    def regions_q(self, path: str) -> Q:
        """A filter on the region at `path` (e.g. "sending_unit__hospital__region")."""
        if self.region:
            return Q(**{f"{path}_id": self.region.pk})
        if self.healthcare_region:
            return Q(**{f"{path}__healthcare_region_id": self.healthcare_region.pk})
        return Q()


def scope_from_key(key: str) -> Scope:
    """'all', 'region:skane' or 'healthcare-region:sodra'; raises ValueError for anything else."""
    if key == ALL:
        return Scope(ALL)
    kind, _sep, code = key.partition(":")
    if kind == "region":
        return Scope("region", region=Region.objects.get(code=code))
    if kind == "healthcare-region":
        return Scope("healthcare_region", healthcare_region=HealthcareRegion.objects.get(code=code))
    raise ValueError(key)
