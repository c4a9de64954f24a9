"""A demo price list (cost price, självkostnad): every receiving region × diagnosis group × care form,
for last year and this year. Made-up but plausible amounts, the same on every run."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from capacity.models import CareType
from catalog.models import DiagnosisGroup
from organisations.models import Region
from settlement.models import PriceListEntry

BASE = {CareType.DAY_SURGERY: 28_000, CareType.INPATIENT: 74_000}


def seed_demo_prices() -> int:
    """Create the entries that are missing (an administrator's changes are kept); returns how many."""
    this_year = timezone.localdate().year
    created = 0
    for r, region in enumerate(Region.objects.order_by("code")):
        for g, group in enumerate(DiagnosisGroup.objects.order_by("sort_order", "code")):
            for care_form, base in BASE.items():
                for year in (this_year - 1, this_year):
                    amount = base + 1_500 * (g % 9) + 800 * (r % 5)
                    amount = amount * (103 if year == this_year else 100) // 100  # prices rise ~3 % a year
                    _entry, made = PriceListEntry.objects.get_or_create(
                        receiving_region=region,
                        diagnosis_group=group,
                        year=year,
                        care_form=care_form,
                        defaults={"price": Decimal(amount).quantize(Decimal("1.00"))},
                    )
                    created += made
    return created
