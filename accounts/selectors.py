"""What a user is: the roles they hold and where. Every other module asks here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accounts.models import Membership, MembershipQuerySet, Role

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Scopes:
    """The ids of the places in which a user holds each role."""

    unit_staff_units: frozenset[int] = field(default_factory=frozenset)
    receiving_units: frozenset[int] = field(default_factory=frozenset)
    sot_regions: frozenset[int] = field(default_factory=frozenset)
    director_regions: frozenset[int] = field(default_factory=frozenset)
    director_healthcare_regions: frozenset[int] = field(default_factory=frozenset)
    is_administrator: bool = False

    @property
    def roles(self) -> frozenset[str]:
        held = set()
        if self.unit_staff_units:
            held.add(Role.UNIT_STAFF)
        if self.receiving_units:
            held.add(Role.RECEIVING_STAFF)
        if self.sot_regions:
            held.add(Role.SOT_REPRESENTATIVE)
        if self.director_regions or self.director_healthcare_regions:
            held.add(Role.HEALTH_DIRECTOR)
        return frozenset(held)


def user_scopes(user: User) -> Scopes:
    """Read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scopes()
    cached = getattr(user, "_sot_scopes", None)
    if cached is not None:
        return cached
    buckets: dict[str, set[int]] = {
        "unit_staff_units": set(),
        "receiving_units": set(),
        "sot_regions": set(),
        "director_regions": set(),
        "director_healthcare_regions": set(),
    }
    rows = Membership.objects.filter(user=user).values_list("role", "unit_id", "region_id", "healthcare_region_id")
    for role, unit_id, region_id, healthcare_region_id in rows:
        if role == Role.UNIT_STAFF:
            buckets["unit_staff_units"].add(unit_id)
        elif role == Role.RECEIVING_STAFF:
            buckets["receiving_units"].add(unit_id)
        elif role == Role.SOT_REPRESENTATIVE:
            buckets["sot_regions"].add(region_id)
        elif role == Role.HEALTH_DIRECTOR and region_id:
            buckets["director_regions"].add(region_id)
        elif role == Role.HEALTH_DIRECTOR:
            buckets["director_healthcare_regions"].add(healthcare_region_id)
    scopes = Scopes(**{k: frozenset(v) for k, v in buckets.items()}, is_administrator=user.is_staff)
    user._sot_scopes = scopes
    return scopes


def roles_on_request(
    user: User, *, sending_unit_id: int, sending_region_id: int, receiving_unit_id: int | None
) -> frozenset[str]:
    """The roles the user holds on a request sent by one unit (of one region) and perhaps proposed to
    another: staff of the sending unit, SOT representative of the sending region, staff of the receiving
    unit. Given as ids, so that the access log can ask too without knowing the request model."""
    scopes = user_scopes(user)
    roles = set()
    if sending_unit_id in scopes.unit_staff_units:
        roles.add(Role.UNIT_STAFF)
    if sending_region_id in scopes.sot_regions:
        roles.add(Role.SOT_REPRESENTATIVE)
    if receiving_unit_id is not None and receiving_unit_id in scopes.receiving_units:
        roles.add(Role.RECEIVING_STAFF)
    return frozenset(roles)


def memberships_of(user: User) -> MembershipQuerySet:
    return Membership.objects.for_user(user).order_by("role", "id")
