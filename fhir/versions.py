"""A request's version, shared by its ServiceRequest and its Tasks: the number of events in its history
(every change through referrals' services writes one), so reading it writes nothing. Sent as
meta.versionId and as a weak ETag W/"n"; If-Match with another version is refused with 412."""

from __future__ import annotations

from typing import Any

from referrals.models import Referral, ReferralEvent


def version(referral: Referral) -> str:
    return str(ReferralEvent.objects.filter(referral_id=referral.pk).count())


def etag(number: str) -> str:
    return f'W/"{number}"'


def matches(header: str, number: str) -> bool:
    """If-Match: our weak ETag, its strong form, or `*`."""
    return any(part.strip() in ("*", etag(number), f'"{number}"') for part in header.split(","))


def versioned(resource: dict[str, Any], referral: Referral) -> dict[str, Any]:
    resource["meta"] = {"versionId": version(referral), **resource.get("meta", {})}
    return resource
