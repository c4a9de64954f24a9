"""Swedish personnummer and samordningsnummer: validation, normalisation, masking.

python-stdnum validates the format, the date and the Luhn digit of a personnummer and
decides the century from the separator ("+" for age 100 or more). It does not know
samordningsnummer (birth day + 60), so those are checked by moving the day back first.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

ERROR_FORMAT = _("Enter 10 or 12 digits, for example 19121212-1212 or 121212-1212.")
ERROR_DATE = _("The first digits are not a real date of birth.")
ERROR_FUTURE = _("The date of birth is after today. Check the number for typing errors.")
ERROR_CHECKSUM = _("The check digit does not match. Check the number for typing errors.")

_SHAPE = re.compile(r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$")
COORDINATION_DAY_OFFSET = 60


def normalize_personal_number(value: str) -> str:
    """Return the number as 12 digits (YYYYMMDDNNNC) or raise ValidationError in Swedish."""
    match = _SHAPE.match(re.sub(r"\s", "", value or ""))
    if not match:
        raise ValidationError(ERROR_FORMAT, code="format")
    century, date, sep, serial = match.group("century", "date", "sep", "serial")
    day = int(date[4:6])
    is_coordination = day > COORDINATION_DAY_OFFSET
    birth_day = day - COORDINATION_DAY_OFFSET if is_coordination else day
    date_for_check = f"{date[:4]}{birth_day:02d}"
    candidate = f"{century or ''}{date_for_check}{sep or '-'}{serial}"
    try:
        birth_date = personnummer.get_birth_date(candidate)
    except StdnumError:
        raise ValidationError(ERROR_DATE, code="date") from None
    # Ten digits name a year of the last hundred (the separator moves to "+" in the year one turns
    # 100, Folkbokföringslagen 18 §), so only this year's dates can lie ahead; twelve digits any.
    if birth_date > timezone.localdate():
        raise ValidationError(ERROR_FUTURE, code="future")
    try:
        luhn.validate(date + serial)
    except InvalidChecksum:
        raise ValidationError(ERROR_CHECKSUM, code="checksum") from None
    return f"{birth_date.year // 100:02d}{date}{serial}"


def mask_personal_number(normalised: str) -> str:
    """Birth date only, for lists: 19121212-****."""
    if len(normalised) != 12:
        return "********-****"
    return f"{normalised[:8]}-****"


def format_personal_number(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}" if len(normalised) == 12 else normalised


# Something shaped like a personnummer or samordningsnummer inside free text: 10 or 12 digits,
# optionally with "-", "+" or spaces before the last four, not part of a longer run of digits.
# Deliberately wide (no date or check-digit test): a text that leaves the patient's care is
# refused on the shape alone, since a mistyped number is still personal data.
_SHAPE_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}\s*[-+]?\s*[0-9]{4}(?![0-9])")

ERROR_PERSONAL_NUMBER_IN_TEXT = _(
    "The text seems to hold a personnummer or samordningsnummer. Remove it: this text leaves the patient's care."
)


def contains_personal_number(text: str) -> bool:
    return bool(_SHAPE_IN_TEXT.search(text or ""))


def validate_no_personal_number(text: str) -> None:
    """A form validator for texts that leave the patient's care."""
    if contains_personal_number(text):
        raise ValidationError(ERROR_PERSONAL_NUMBER_IN_TEXT, code="personal_number")
