"""Demo accounts: one named account per role in several regions, and a staff account per unit.

Created once and left alone afterwards (a changed password stays changed). Only with DEBUG on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Membership, Role, User
from organisations.models import HealthcareRegion, Region, Unit, taking_part_q

DEMO_PASSWORD = "sot-demo-2026"  # noqa: S105  (demo accounts exist only with DEBUG on)
# Each unit's staff account, which acts in the demo history, is named by this prefix and the unit code.
UNIT_STAFF_PREFIX = "personal."


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: administrator
    scope: str  # unit code, region code or healthcare region code


# One named account per role, in several regions. The README lists them.
DEMO_ACCOUNTS = [
    DemoAccount("vardpersonal.skane", "Sara", "Lindqvist", Role.UNIT_STAFF, "sus-lund-ortopedi"),
    DemoAccount("vardpersonal.ostergotland", "Johan", "Ek", Role.UNIT_STAFF, "linkoping-kirurgi"),
    DemoAccount("sot.skane", "Maria", "Holm", Role.SOT_REPRESENTATIVE, "skane"),
    DemoAccount("sot.blekinge", "Per", "Nyström", Role.SOT_REPRESENTATIVE, "blekinge"),
    DemoAccount("sot.kronoberg", "Anna", "Sjöberg", Role.SOT_REPRESENTATIVE, "kronoberg"),
    DemoAccount("sot.halland", "Erik", "Wallin", Role.SOT_REPRESENTATIVE, "halland"),
    DemoAccount("sot.ostergotland", "Karin", "Berg", Role.SOT_REPRESENTATIVE, "ostergotland"),
    DemoAccount("sot.jonkoping", "Lars", "Åberg", Role.SOT_REPRESENTATIVE, "jonkoping"),
    DemoAccount("sot.kalmar", "Eva", "Strand", Role.SOT_REPRESENTATIVE, "kalmar"),
    DemoAccount("mottagning.kalmar", "Nils", "Forsberg", Role.RECEIVING_STAFF, "kalmar-ortopedi"),
    DemoAccount("mottagning.halland", "Ida", "Lund", Role.RECEIVING_STAFF, "halmstad-ortopedi"),
    DemoAccount("direktor.skane", "Birgitta", "Ahl", Role.HEALTH_DIRECTOR, "skane"),
    DemoAccount("direktor.sodra", "Gustav", "Palm", Role.HEALTH_DIRECTOR, "sodra"),
    DemoAccount("admin", "Alva", "Admin", None, ""),
]


def seed_demo_accounts() -> dict[str, User]:
    """The named demo accounts, plus one staff account per unit of the regions taking part in SOT (the others'
    units neither send nor receive), to act in the demo history and publish the demo capacity."""
    # Hashing is slow by design; hash the shared demo password once, not once per account.
    password_hash = make_password(DEMO_PASSWORD)
    users = {account.username: _seed_named_account(account, password_hash) for account in DEMO_ACCOUNTS}
    for unit in Unit.objects.filter(taking_part_q("hospital__region__", on=timezone.localdate())):
        user = _get_or_create(
            f"{UNIT_STAFF_PREFIX}{unit.code}",
            password_hash,
            {"first_name": "Koordinator", "last_name": unit.name, "email": f"{unit.code}@example.org"},
        )
        _ensure_membership(user, Role.UNIT_STAFF, unit.code)
        _ensure_membership(user, Role.RECEIVING_STAFF, unit.code)
    return users


def unit_staff_accounts() -> dict[str, User]:
    """The staff account of each unit (`personal.<unit code>`), by unit code."""
    users = User.objects.filter(username__startswith=UNIT_STAFF_PREFIX)
    return {u.username.removeprefix(UNIT_STAFF_PREFIX): u for u in users}


def _seed_named_account(account: DemoAccount, password_hash: str) -> User:
    user = _get_or_create(
        account.username,
        password_hash,
        {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@example.org",
            "is_staff": account.role is None,
            "is_superuser": account.role is None,
        },
    )
    if account.role is not None:
        _ensure_membership(user, account.role, account.scope)
    return user


def _get_or_create(username: str, password_hash: str, defaults: dict[str, str | bool]) -> User:
    """The account, created with the demo password if it is new; an existing one is left as it is."""
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def _ensure_membership(user: User, role: str, scope: str) -> None:
    if role in (Role.UNIT_STAFF, Role.RECEIVING_STAFF):
        Membership.objects.get_or_create(user=user, role=role, unit=Unit.objects.get(code=scope))
    elif role == Role.SOT_REPRESENTATIVE or Region.objects.filter(code=scope).exists():
        Membership.objects.get_or_create(user=user, role=role, region=Region.objects.get(code=scope))
    else:
        Membership.objects.get_or_create(
            user=user, role=role, healthcare_region=HealthcareRegion.objects.get(code=scope)
        )
