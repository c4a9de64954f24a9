"""Fictitious but well-formed HSA-ids for the demo's regions (care providers) and units, so that the local
OpenID Connect provider of `make run` can sign in as any role (README "Sign-in with SITHS").

Stable: derived from the code, the same on every machine. Only set where no HSA-id is set already.
"""

from __future__ import annotations

import hashlib

DEMO_HSA_PREFIX = "SE2321000255-"  # an organisation number's form; the local part says care provider or unit


def demo_hsa_id(kind: str, code: str) -> str:
    """'V' (vårdgivare, a region) or 'E' (enhet, a unit) and eight hex digits of the code's SHA-1."""
    return f"{DEMO_HSA_PREFIX}{kind}{hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()[:8].upper()}"


def seed_demo_hsa_ids() -> int:
    from organisations.models import Region, Unit  # here: demo.oidc_provider uses demo_hsa_id without Django

    changed = 0
    for region in Region.objects.filter(hsa_id__isnull=True):
        region.hsa_id = demo_hsa_id("V", region.code)
        region.save(update_fields=["hsa_id"])
        changed += 1
    for unit in Unit.objects.filter(hsa_id__isnull=True):
        unit.hsa_id = demo_hsa_id("E", unit.code)
        unit.save(update_fields=["hsa_id"])
        changed += 1
    return changed
