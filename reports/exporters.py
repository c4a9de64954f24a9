"""The report's three files, all written from the same figures dictionary."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


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
    ]


def title(figures: dict) -> str:
    return _("SOT monthly report %(month)s – %(scope)s") % {"month": figures["month"], "scope": figures["scope_label"]}


def to_csv(figures: dict) -> bytes:
    """One CSV file with a section per table (a blank line and the table's title between them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Swedish Excel opens semicolon-separated files directly
    writer.writerow([title(figures)])
    for name, header, rows in tables(figures):
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads åäö right


def to_xlsx(figures: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0D6EFD")
    for name, header, rows in tables(figures):
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font, cell.fill = header_font, header_fill
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for column, label in zip(sheet.columns, header, strict=False):
            width = max([len(str(label)), *(len(str(c.value or "")) for c in column)])
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 80)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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


def to_pdf(figures: dict) -> bytes:
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(out, pagesize=A4, title=title(figures), author="SOT")
    story = [
        Paragraph(title(figures), styles["Title"]),
        Paragraph(
            _("Patients per diagnosis group coordinated to care in another region, and obstacles to cooperation."),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    summary = tables(figures)[0]
    story.append(_table(summary[1], summary[2]))
    story += [Spacer(1, 8 * mm), Paragraph(_("Coordinated patients per diagnosis group"), styles["Heading2"])]
    story += [_chart(figures), PageBreak()]
    for name, header, rows in tables(figures)[1:]:
        story.append(Paragraph(name, styles["Heading2"]))
        story.append(_table(header, rows) if rows else Paragraph(_("None this month."), styles["Normal"]))
        story.append(Spacer(1, 5 * mm))
    document.build(story)
    return out.getvalue()


def _table(header: list, rows: list[list]) -> Table:
    styles = getSampleStyleSheet()
    body = [[Paragraph(str(cell), styles["BodyText"]) for cell in row] for row in rows]
    table = Table([header, *body], repeatRows=1)
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
