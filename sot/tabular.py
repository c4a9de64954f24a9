"""Cells for spreadsheets: free text is data, never a formula (CSV and XLSX alike).

Excel, LibreOffice and Google Sheets start a formula, or a DDE command, when a cell begins with
`=`, `+`, `-` or `@`, and a leading tab or carriage return can hide such a character. OWASP's
CSV-injection guidance: prefix such a cell with a single quote, so the spreadsheet shows it as text.
Only strings are neutralised: numbers (a negative one too) are written as numbers.

CSV files here are for Swedish Excel: `;` between cells and a decimal comma (12,5), so a decimal is
read as a number and never as a date. The monthly report and the access-log export both use this.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.utils import formats

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"


def neutralise(value: Any) -> Any:
    """A string that a spreadsheet would take for a formula, prefixed with `'`; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_cell(value: Any) -> str:
    """One CSV cell: text neutralised, a decimal with a decimal comma, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def printed_cell(value: Any) -> str:
    """One cell of a printed table (the PDF): numbers as the reader's language writes them (Swedish:
    123 456,50 with a non-breaking space), None empty, anything else as text (escaped where it is drawn)."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return formats.number_format(value, decimal_pos=2 if isinstance(value, Decimal) else None, force_grouping=True)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def csv_writer(out: Any) -> _Writer:
    """A writer of semicolon-separated rows whose every cell goes through csv_cell."""
    return _Writer(csv.writer(out, delimiter=CSV_DELIMITER))


class _Writer:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Any) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)
