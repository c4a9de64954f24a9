"""Words for the access log's codes: the page or step in `what` and the roles in `role`, for people reading it.

The log stores stable codes (URL names, role values) so that it can be queried; administrators read them
in their own language. A code without a label here (an older or newer page) is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

ADMINISTRATOR = "administrator"

# What administrators browsing or searching the access log itself are logged as.
ADMIN_BROWSE = "admin:accesslog"
ADMIN_PATIENT_SEARCH = "admin:accesslog:patient"
ADMIN_ENTRY = "admin:accesslog:entry"

WHAT_LABELS = {
    "referrals:list": _("The unit's requests (list)"),
    "referrals:create": _("New coordination request"),
    "referrals:detail": _("Request page"),
    "referrals:search": _("Patient search"),
    "referrals:edit": _("Edit draft"),
    "referrals:submit": _("Submit to SOT"),
    "referrals:withdraw": _("Withdraw"),
    "referrals:pause_add": _("Record paused waiting"),
    "referrals:take": _("Take into review"),
    "referrals:propose": _("Propose a receiving unit"),
    "referrals:accept": _("Accept the patient"),
    "referrals:decline": _("Decline the patient"),
    "referrals:complete": _("Mark care as given"),
    "referrals:close": _("Close without coordination"),
    "referrals:contact": _("Record contact between the units"),
    "referrals:correct_group": _("Correct the diagnosis group"),
    "work:queue": _("SOT queue"),
    "work:inbox": _("The inbox (receiving unit)"),
    "api:referrals": _("API: list of requests"),
    "api:referral": _("API: one request"),
    "api:proposals": _("API: proposed receiving units"),
    "fhir:ServiceRequest": _("FHIR: request (ServiceRequest)"),
    "fhir:Patient": _("FHIR: patient (Patient)"),
    "fhir:Task": _("FHIR: coordination (Task)"),
    "access log export": _("Export of the access log"),
    ADMIN_BROWSE: _("The access log (administration)"),
    ADMIN_PATIENT_SEARCH: _("Patient search in the access log"),
    ADMIN_ENTRY: _("An entry of the access log"),
}


def what_label(what: str) -> str:
    label = WHAT_LABELS.get(what)
    return str(label) if label is not None else what


def role_label(role: str) -> str:
    """'sot_representative,unit_staff' → 'SOT-ansvarig, Verksamhet' (in the active language)."""
    labels = []
    for value in filter(None, (part.strip() for part in role.split(","))):
        if value == ADMINISTRATOR:
            labels.append(str(_("Administrator")))
        elif value in Role.values:
            labels.append(str(Role(value).label))
        else:
            labels.append(value)
    return ", ".join(labels)
