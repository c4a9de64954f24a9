"""HSA-ids: the identifiers the HSA catalogue gives care providers, units and people.

An HSA-id is "SE", the ten digits of the organisation number of the organisation that issued it, a hyphen
and a local part of letters and digits chosen by that organisation (for instance SE2321000016-15CQ).
At most 31 characters in all.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
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


def hsa_id_field(**kwargs: Any) -> models.CharField:
    """The `hsa_id` of a model: optional (not every place has one yet), unique, in the catalogue's format."""
    return models.CharField(
        _("HSA-id"),
        max_length=HSA_ID_MAX_LENGTH,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_hsa_id],
        **kwargs,
    )


def hsa_id_format(name: str) -> models.CheckConstraint:
    """The database's check of that format, named `<name>_hsa_id_format`."""
    return models.CheckConstraint(
        condition=Q(hsa_id__isnull=True) | Q(hsa_id__regex=HSA_ID_PATTERN), name=f"{name}_hsa_id_format"
    )
