"""HSA-ids: the identifiers the HSA catalogue gives care providers, units and people.

An HSA-id is "SE", the ten digits of the organisation number of the organisation that issued it, a hyphen
and a local part of letters and digits chosen by that organisation (for instance SE2321000016-15CQ).
At most 31 characters in all.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

HSA_ID_MAX_LENGTH = 31
# The same pattern as the database's check constraints (organisations.models).
HSA_ID_PATTERN = r"^SE[0-9]{10}-[A-Za-z0-9]{1,18}$"

validate_hsa_id = RegexValidator(
    HSA_ID_PATTERN,
    _(
        "Enter an HSA-id: SE, the ten digits of the organisation number, a hyphen and letters or digits, "
        "for instance SE2321000016-15CQ."
    ),
    code="invalid_hsa_id",
)


def normalise_hsa_id(value: str) -> str:
    """An HSA-id as the catalogue writes it: no surrounding space, "SE" in capitals."""
    value = value.strip()
    if value[:2].lower() == "se":
        value = "SE" + value[2:]
    return value
