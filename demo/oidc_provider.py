"""The local OpenID Connect provider of `make run` (oidc-provider-mock), with one user per SOT role whose
claims are named as Inera's IdP names them. `python -m demo.oidc_provider --port 8001` (README
"Sign-in with SITHS"). Its authorize page lists the users below; any other `sub` may be typed too."""

from __future__ import annotations

import json
import sys
from typing import Any

from demo.hsa import DEMO_HSA_PREFIX, demo_hsa_id

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"

# sub, given name, surname, system role, unit code (or None), region code, acr
DEMO_SITHS_USERS = [
    ("vardpersonal", "Siv", "Lindahl", "SOT;Vardpersonal", "sus-lund-ortopedi", "skane", LOA3),
    ("mottagning", "Mats", "Kron", "SOT;Mottagning", "kalmar-ortopedi", "kalmar", LOA3),
    ("samordnare", "Hanna", "Ström", "SOT;Samordnare", None, "skane", LOA3),
    ("direktor", "Olof", "Dahl", "SOT;Direktor", None, "skane", LOA3),
    ("okant-uppdrag", "Ulla", "Ek", "SOT;Vardpersonal", "okand-enhet", "okand-vardgivare", LOA3),
    ("svag-inloggning", "Sven", "Ek", "SOT;Vardpersonal", "sus-lund-ortopedi", "skane", LOA2),
]


def demo_claims() -> list[dict[str, Any]]:
    users = []
    for number, (sub, given, family, system_role, unit, region, acr) in enumerate(DEMO_SITHS_USERS, start=1):
        claims: dict[str, Any] = {
            "sub": sub,
            "employeeHsaId": f"{DEMO_HSA_PREFIX}P{number:04d}",
            "givenName": given,
            "surname": family,
            "commissionHsaId": f"{DEMO_HSA_PREFIX}C{number:04d}",
            "healthCareProviderHsaId": demo_hsa_id("V", region),
            "systemRole": [system_role],
            "acr": acr,
        }
        if unit:
            claims["healthCareUnitHsaId"] = demo_hsa_id("E", unit)
        users.append(claims)
    return users


def main() -> None:
    from oidc_provider_mock.__main__ import run

    arguments = list(sys.argv[1:])
    for claims in demo_claims():
        arguments += ["--user-claims", json.dumps(claims, ensure_ascii=False)]
    run.main(arguments, prog_name="demo.oidc_provider")


if __name__ == "__main__":
    main()
