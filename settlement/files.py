"""A pair's settlement file for a month, CSV (Swedish Excel, `sot.tabular`) and XLSX, built on request.

No patient and no reference number: one line per diagnosis group × care form × unit price, with the
number of requests and the amount; requests without a price are lines of their own ("price missing").
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from capacity.models import CareType
from reports.months import month_label
from settlement.selectors import Pair, settlement_lines
from sot.tabular import csv_writer, neutralise

FORMATS = ("csv", "xlsx")


def filename(pair: Pair, month: date, fmt: str) -> str:
    return f"sot-avrakning-{month:%Y-%m}-{pair.sending.code}-{pair.receiving.code}.{fmt}"


def _rows(pair: Pair, month: date) -> tuple[list[list], list[str], list[list]]:
    care_forms = dict(CareType.choices)
    head = [
        [_("SOT settlement at cost price %(month)s") % {"month": month_label(month)}],
        [_("Sending region"), pair.sending.name],
        [_("Receiving region"), pair.receiving.name],
    ]
    header = [_("Diagnosis group"), _("Care form"), _("Unit price (SEK)"), _("Requests"), _("Amount (SEK)")]
    missing = _("price missing")
    lines = [
        [
            r["group"],
            str(care_forms.get(r["care_form"], _("not stated"))) if r["care_form"] else _("not stated"),
            r["unit_price"] if r["unit_price"] is not None else missing,
            r["patients"],
            r["amount"] if r["amount"] is not None else missing,
        ]
        for r in settlement_lines(pair, month=month)
    ]
    lines.append([_("Total"), "", "", pair.patients, Decimal(pair.amount)])
    if pair.without_price:
        lines.append([_("Of which price missing"), "", "", pair.without_price, ""])
    return head, header, lines


def to_csv(pair: Pair, month: date) -> bytes:
    head, header, lines = _rows(pair, month)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerows(head)
    writer.writerow([])
    writer.writerow(header)
    writer.writerows(lines)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(pair: Pair, month: date) -> bytes:
    head, header, lines = _rows(pair, month)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    workbook.properties.title = str(head[0][0])
    for row in [*head, [], header, *lines]:
        sheet.append([neutralise(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is never a formula
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for cell in sheet[len(head) + 2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (40, 20, 18, 12, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
