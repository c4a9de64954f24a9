"""The report's three files, all written from the same figures dictionary.

Free text (obstacle descriptions, names of groups and regions) is data in every format: the PDF escapes
it before ReportLab reads it as Paragraph markup (`_para`), and the CSV and XLSX cells go through
`sot.tabular`, so no cell starts a formula and numbers stay numbers.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.months import month_label, short_month_label
from sot.tabular import csv_writer, neutralise, printed_cell

PADDING = 6  # ReportLab's default left and right padding of a table cell and of a frame


def tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) for every table of the report, in order. Every format uses these."""
    return [
        (
            _("Summary"),
            [_("Measure"), _("Value")],
            [
                [_("Patients coordinated to care in another region"), figures["coordinated_total"]],
                [_("Requests submitted"), figures["submitted"]],
                [_("Closed without coordination"), figures["closed_total"]],
                [_("Declines"), figures["declines_total"]],
                [
                    _("Median days from submission to acceptance"),
                    "–" if figures["median_days_to_acceptance"] is None else figures["median_days_to_acceptance"],
                ],
                [_("Accepted after the care-guarantee deadline"), figures["accepted_after_deadline"]],
                [_("Withdrawn after acceptance"), figures["withdrawn_after_acceptance"]],
            ],
        ),
        (
            _("Coordinated patients"),
            [_("Diagnosis group"), _("Sending region"), _("Receiving region"), _("Patients")],
            [[r["group"], r["sending_region"], r["receiving_region"], r["patients"]] for r in figures["coordinated"]]
            + [[_("Total"), "", "", figures["coordinated_total"]]],
        ),
        (
            _("Per diagnosis group"),
            [_("Diagnosis group"), _("Patients")],
            [[r["group"], r["patients"]] for r in figures["coordinated_by_group"]],
        ),
        (
            _("Closed without coordination"),
            [_("Reason"), _("Requests")],
            [[r["reason"], r["count"]] for r in figures["closed_without_coordination"]],
        ),
        (_("Declines"), [_("Reason"), _("Requests")], [[r["reason"], r["count"]] for r in figures["declines"]]),
        (
            _("Obstacles by category"),
            [_("Category"), _("Obstacles")],
            [[r["category"], r["count"]] for r in figures["obstacles_by_category"]],
        ),
        (
            _("Obstacles to cooperation"),
            [_("Date"), _("Category"), _("Region"), _("Description")],
            [[o["date"], o["category"], o["region"], o["text"]] for o in figures["obstacles"]],
        ),
        action_plan_table(figures),
        *cost_tables(figures),
    ]


def cost_tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """The cost at cost price per sending → receiving region and diagnosis group (amounts as numbers)."""
    if "costs" not in figures:  # a report built before costs were part of it
        return []
    return [
        (
            _("Cost at cost price"),
            [
                _("Sending region"),
                _("Receiving region"),
                _("Diagnosis group"),
                _("Patients"),
                _("Cost (SEK)"),
                _("Price missing"),
            ],
            [
                [
                    r["sending_region"],
                    r["receiving_region"],
                    r["group"],
                    r["patients"],
                    Decimal(r["amount"]),
                    r["without_price"],
                ]
                for r in figures["costs"]
            ]
            + [
                [
                    _("Total"),
                    "",
                    "",
                    figures["coordinated_total"],
                    Decimal(figures["cost_total"]),
                    figures["cost_without_price"],
                ]
            ],
        )
    ]


def action_plan_table(figures: dict) -> tuple[str, list[str], list[list]]:
    """The action plans with their status at the month's end (reports built before plans existed have none)."""
    return (
        _("Action plans"),
        [
            _("Category"),
            _("Region"),
            _("Priority area"),
            _("Owner"),
            _("Target"),
            _("Status"),
            _("Since"),
            _("Comment"),
        ],
        [
            [
                p["category"],
                p["place"],
                p["title"],
                p["owner"],
                p["target"],
                p["status"],
                p["status_date"],
                p["comment"],
            ]
            for p in figures.get("action_plans", [])
        ],
    )


def title(figures: dict) -> str:
    month = month_label(figures["month"])
    return _("SOT monthly report %(month)s – %(scope)s") % {"month": month, "scope": figures["scope_label"]}


def to_csv(figures: dict) -> bytes:
    """One CSV file with a section per table (a blank line and the table's title between them)."""
    out = io.StringIO()
    # Swedish Excel opens semicolon-separated files directly and reads 12,5 as a number (sot/tabular.py)
    writer = csv_writer(out)
    writer.writerow([title(figures)])
    for name, header, rows in tables(figures):
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads åäö right


def to_xlsx(figures: dict) -> bytes:
    workbook = Workbook()
    workbook.properties.title = title(figures)
    workbook.remove(workbook.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0D6EFD")
    for name, header, rows in tables(figures):
        sheet = workbook.create_sheet(title=name[:31])
        _append(sheet, header)
        for cell in sheet[1]:
            cell.font, cell.fill = header_font, header_fill
        for row in rows:
            _append(sheet, row)
        sheet.freeze_panes = "A2"
        for column, label in zip(sheet.columns, header, strict=False):
            width = max([len(str(label)), *(len(str(c.value or "")) for c in column)])
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 80)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append(sheet: Any, row: list) -> None:
    """One row of cells: text neutralised and always a text cell (openpyxl takes "=…" for a formula),
    without the control characters XML cannot hold; numbers as numbers."""
    sheet.append([neutralise(ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v) for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _chart(figures: dict) -> Drawing:
    groups = figures["coordinated_by_group"][:12]
    height = 40 + 18 * max(len(groups), 1)
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 70 * mm, 20
    chart.width, chart.height = 95 * mm, height - 30
    chart.data = [[g["patients"] for g in reversed(groups)] or [0]]
    chart.categoryAxis.categoryNames = [g["group"][:40] for g in reversed(groups)] or [_("No patients")]
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, (max(chart.data[0]) or 1) // 5)
    chart.bars[0].fillColor = colors.HexColor("#0D6EFD")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 8
    chart.barLabels.dx = 6
    drawing.add(chart)
    return drawing


def _trend_chart(figures: dict, styles: Any) -> list:
    """The coordinated patients of the twelve months up to the report's, one bar per month with its number
    on it (readable without colour). Reports built before the trend was stored have none."""
    trend = figures.get("trend")
    if not trend:
        return []
    months = [short_month_label(date.fromisoformat(f"{m}-01")) for m in trend["months"]]
    values = trend["coordinated"]
    drawing = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 12 * mm
    chart.width, chart.height = 152 * mm, 52 * mm
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = months or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, (max(values or [0]) or 1) // 5)
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#0D6EFD")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return [
        Spacer(1, 6 * mm),
        _para(_("Coordinated patients, the last 12 months"), styles["Heading2"]),
        drawing,
    ]


def to_pdf(figures: dict) -> bytes:
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(out, pagesize=A4, title=title(figures), author="SOT")
    story = [
        _para(title(figures), styles["Title"]),
        _para(
            _("Patients per diagnosis group coordinated to care in another region, and obstacles to cooperation."),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    width = document.width - 2 * PADDING  # the frame pads its content too
    summary = tables(figures)[0]
    story.append(_table(summary[1], summary[2], width))
    story += [Spacer(1, 8 * mm), _para(_("Coordinated patients per diagnosis group"), styles["Heading2"])]
    story += [_chart(figures)]
    story += _trend_chart(figures, styles)
    story += [PageBreak()]
    for name, header, rows in tables(figures)[1:]:
        story.append(_para(name, styles["Heading2"]))
        story.append(_table(header, rows, width) if rows else _para(_("None this month."), styles["Normal"]))
        story.append(Spacer(1, 5 * mm))
    document.build(story)
    return out.getvalue()


def _para(text: str, style: Any) -> Paragraph:
    """Text as a Paragraph, printed literally. ReportLab reads a Paragraph's text as markup (<b>, <a href>,
    <img src>, entities), so every text is escaped here, and only here; line breaks are kept."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _widths(header: list, rows: list[list], available: float) -> list[float]:
    """Column widths that fill the page: when the texts fit on one line each, every column grows in
    proportion; otherwise a column keeps its natural width when it is narrower than a fair share of
    what is left, and the wide columns share the rest equally, their texts wrapping (max-min fair)."""
    natural = [
        max(stringWidth(str(c), "Helvetica-Bold" if i == 0 else "Helvetica", 10) for i, c in enumerate(column))
        + 2 * PADDING
        + 1
        for column in zip(header, *rows, strict=True)
    ]
    if sum(natural) <= available:
        return [w * available / sum(natural) for w in natural]
    widths = list(natural)
    wide, left = set(range(len(natural))), available
    while wide:
        share = left / len(wide)
        narrow = {i for i in wide if natural[i] <= share}
        if not narrow:
            for i in wide:
                widths[i] = share
            break
        wide -= narrow
        left -= sum(natural[i] for i in narrow)
    return widths


def _table(header: list, rows: list[list], available: float) -> Table:
    styles = getSampleStyleSheet()
    body = [[_para(printed_cell(cell), styles["BodyText"]) for cell in row] for row in rows]
    # Header cells are plain strings, which ReportLab draws as they are; a row taller than a page splits.
    table = Table([header, *body], colWidths=_widths(header, rows, available), repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0D6EFD")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
