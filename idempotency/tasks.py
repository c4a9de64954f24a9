from __future__ import annotations

from celery import shared_task


@shared_task(name="idempotency.purge_expired_claims")
def purge_expired_claims() -> int:
    """Thin task: expired form-token and Idempotency-Key claims (and the API answers they keep) go."""
    from idempotency.claims import claims_purge

    return claims_purge()
