"""A request's version, shared by its ServiceRequest and its Tasks: the number of events in its history
(every change through referrals' services writes one), so reading it writes nothing. Sent as
meta.versionId and as a weak ETag W/"n"; If-Match with another version is refused with 412."""

from __future__ import annotations

from typing import Any

from django.http import Http404

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


def referral_id_of(resource_type: str, pk: str) -> int | None:
    """The request a ServiceRequest or Task id stands for (whether the caller sees it is the read's to say)."""
    kind, _sep, number = pk.partition("-")
    if resource_type == "ServiceRequest" and pk.isdigit():
        return int(pk)
    if resource_type == "Task" and number.isdigit() and kind == "coordination":
        return int(number)
    if resource_type == "Task" and number.isdigit() and kind == "proposal":
        return ReferralEvent.objects.filter(pk=int(number)).values_list("referral_id", flat=True).first()
    return None


def current_version_only(resource_type: str, pk: str, vid: str) -> None:
    """vread serves the current version only: an older one is not kept as a resource (its events are in the
    request's history), so it is a 404, the same answer as for a resource the caller does not see."""
    referral_id = referral_id_of(resource_type, pk)
    if referral_id is None or str(ReferralEvent.objects.filter(referral_id=referral_id).count()) != vid:
        raise Http404
