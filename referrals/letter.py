"""The patient letter: a PDF (A4, Swedish) that tells the patient where and when the care is, whom to call at
both units, and how the interpreter, the journey and the escort are arranged. Patients say they will travel
for care when they get a coordinated care plan and clear contact paths (seed 001); this is that page.

Every text taken from the request or the reference data (names, addresses, the interpreter language) is
data: `_para` escapes it before ReportLab reads a Paragraph's text as markup, as reports/exporters does.
The letter is always in Swedish, whatever language the person printing it uses.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from organisations.models import Unit
from referrals.models import Referral

LETTER_LANGUAGE = "sv"
MARGIN = 20 * mm
# ReportLab's built-in Helvetica (what the monthly report uses) draws only Latin-1: a patient named Łukasz or
# Şahin would get black boxes. DejaVu Sans, where the system has it (Debian's fonts-dejavu-core), draws them.
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans when installed, else Helvetica."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "SOT-Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SOT-Sans", str(regular)))
        pdfmetrics.registerFont(TTFont("SOT-Sans-Bold", str(bold)))
    return "SOT-Sans", "SOT-Sans-Bold"


def swedish_date(value: date) -> str:
    """'tisdag 8 december 2026': the weekday and the date as a letter writes them."""
    with translation.override(LETTER_LANGUAGE):
        return date_format(value, "l j F Y")


def patient_letter_filename(referral: Referral) -> str:
    return f"patientbrev-{referral.reference}.pdf"


def patient_letter_pdf(referral: Referral, *, today: date | None = None) -> bytes:
    """The letter for an accepted request (it has a receiving unit and a planned date)."""
    receiving, planned = referral.receiving_unit, referral.planned_date
    if receiving is None or planned is None:
        raise ValueError("A patient letter needs a receiving unit and a planned date.")
    with translation.override(LETTER_LANGUAGE):
        return _build(referral, receiving=receiving, planned=planned, today=today or timezone.localdate())


def _build(referral: Referral, *, receiving: Unit, planned: date, today: date) -> bytes:
    regular, bold = _fonts()
    styles = _styles(regular, bold)
    sending = referral.sending_unit
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=MARGIN,
        title=_("Patient letter %(reference)s") % {"reference": referral.reference},
        author="SOT",
    )
    printed = today.isoformat()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        text = _("Reference %(reference)s · printed %(date)s · page %(page)d") % {
            "reference": referral.reference,
            "date": printed,
            "page": doc.page,
        }
        canvas.drawString(MARGIN, 12 * mm, text)
        canvas.restoreState()

    sender = f"{sending.name}, {sending.hospital.name}\n{sending.hospital.region.name}"
    story: list[Any] = [
        _two_columns(
            _para(sender, styles["small"]),
            _para(
                _("Date: %(date)s\nReference: %(reference)s") % {"date": printed, "reference": referral.reference},
                styles["small"],
            ),
            document.width,
        ),
        Spacer(1, 6 * mm),
        _para(_("To %(name)s") % {"name": referral.patient_name}, styles["body"]),
        Spacer(1, 2 * mm),
        _para(_("Your care at %(hospital)s") % {"hospital": receiving.hospital.name}, styles["title"]),
        _para(
            _(
                "You will receive care at a unit in another region. This letter tells you where and when, whom to "
                "call with questions, and how your journey is arranged. Keep it until your visit."
            ),
            styles["body"],
        ),
        _para(_("Where and when"), styles["heading"]),
        _facts(
            [
                (_("Hospital"), receiving.hospital.name),
                (_("Unit"), receiving.name),
                (_("Visiting address"), receiving.hospital.address or _("The receiving unit will tell you.")),
                (_("Planned date"), swedish_date(planned)),
            ],
            styles,
            document.width,
        ),
        _para(
            _("The receiving unit will tell you the time and where to report when you arrive."),
            styles["body"],
        ),
        _para(_("Contact paths"), styles["heading"]),
        _contacts(referral, receiving, styles, document.width),
        _para(
            _(
                "Questions about the visit, the time or how to prepare: call the receiving unit. Questions about "
                "the referral, the journey or your care at home: call your contact person at your own unit. "
                "Do not send details about your health by ordinary e-mail."
            ),
            styles["body"],
        ),
        _para(_("Interpreter, journey and escort"), styles["heading"]),
        *[_para(sentence, styles["body"]) for sentence in _arrangements(referral, receiving)],
        KeepTogether(
            [
                _para(_("Before your visit"), styles["heading"]),
                *[
                    _para("• " + line, styles["body"])
                    for line in (
                        _("Bring identification and a list of the medicines you take."),
                        _("Bring this letter."),
                        _(
                            "If you fall ill, for example with a fever or an infection, or cannot come: call the "
                            "receiving unit as soon as you can. The time can then go to another patient and you "
                            "will be given a new one."
                        ),
                        _("For medical advice call 1177. In an emergency call 112."),
                    )
                ],
            ]
        ),
    ]
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _arrangements(referral: Referral, receiving: Unit) -> list[str]:
    """The interpreter, the journey and the escort as the request has them, each saying whom to call."""
    own_contact = _own_contact(referral)
    sentences = []
    if referral.needs_interpreter:
        language = referral.interpreter_language or _("your language")
        sentences.append(
            _(
                "Interpreter: an interpreter in %(language)s is booked for your visit. If you no longer need one, "
                "or need another language, call %(unit)s."
            )
            % {"language": language, "unit": _unit_contact(receiving)}
        )
    else:
        sentences.append(
            _("Interpreter: none is booked. If you need an interpreter at the visit, call %(unit)s.")
            % {"unit": _unit_contact(receiving)}
        )
    if referral.needs_transport:
        sentences.append(
            _(
                "Journey: transport to the hospital is arranged for you. If you have not been told how and when "
                "you travel a week before the visit, call %(contact)s."
            )
            % {"contact": own_contact}
        )
    else:
        sentences.append(
            _(
                "Journey: you travel to the hospital on your own. If you need help with the journey or want to know "
                "which travel costs are paid, call %(contact)s."
            )
            % {"contact": own_contact}
        )
    if referral.needs_escort:
        sentences.append(
            _(
                "Journey: an escort may travel with you and stay with you at the visit. To say who comes with you, "
                "call %(contact)s."
            )
            % {"contact": own_contact}
        )
    else:
        sentences.append(
            _("Journey: no escort is planned. If you need someone to come with you, call %(contact)s.")
            % {"contact": own_contact}
        )
    return sentences


def _unit_contact(unit: Unit) -> str:
    """'Ortopedi, Länssjukhuset i Kalmar, 0480-810 00': a unit, where it is, and its phone, if it has one."""
    where = _unit_where(unit)
    return f"{where}, {unit.phone}" if unit.phone else where


def _unit_where(unit: Unit) -> str:
    """'Ortopedi, Länssjukhuset i Kalmar': a unit's name says only its specialty, so its hospital and town
    (from the visiting address's postcode line, unless the hospital's name says it) say which one it is."""
    parts = [unit.name, unit.hospital.name]
    town = _town(unit.hospital.address)
    if town and town.casefold() not in " ".join(parts).casefold():
        parts.append(town)
    return ", ".join(parts)


_POSTCODE_LINE = re.compile(r"^\s*(?:SE-?)?[0-9]{3}\s?[0-9]{2}\s+(?P<town>\S.*?)\s*$", re.IGNORECASE)


def _town(address: str) -> str:
    """'Sjukhusvägen 3\n371 85 Karlskrona' -> 'Karlskrona'; '' if no line starts with a postcode."""
    for line in reversed((address or "").splitlines()):
        if match := _POSTCODE_LINE.match(line):
            return match["town"]
    return ""


def _own_contact(referral: Referral) -> str:
    """'Anna Berg at Ortopedi, Skånes universitetssjukhus Lund, 046-17 10 00': the sending unit's contact person,
    else the unit itself."""
    sending = referral.sending_unit
    phone = referral.contact_phone or sending.phone
    who = (
        _("%(person)s at %(unit)s") % {"person": referral.contact_name, "unit": _unit_where(sending)}
        if referral.contact_name
        else _unit_where(sending)
    )
    return f"{who}, {phone}" if phone else who


def _contacts(referral: Referral, receiving: Unit, styles: dict[str, ParagraphStyle], width: float) -> Table:
    """The two units side by side: whom the patient calls at the receiving unit and at their own."""
    sending = referral.sending_unit
    missing = "–"
    rows = [
        ("", _("Receiving unit"), _("Your own unit")),
        (_("Unit"), f"{receiving.name}\n{receiving.hospital.name}", f"{sending.name}\n{sending.hospital.name}"),
        (_("Phone"), receiving.phone or missing, sending.phone or missing),
        (_("E-mail"), receiving.function_email or missing, sending.function_email or missing),
        (_("Contact person"), "", referral.contact_name or missing),
        (_("Contact person's phone"), "", referral.contact_phone or missing),
    ]
    table = Table(
        [
            [_para(label, styles["label"]), *(_para(v, styles["label" if i == 0 else "body"]) for v in values)]
            for i, (label, *values) in enumerate(rows)
        ],
        colWidths=[width * 0.26, width * 0.37, width * 0.37],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ]
        )
    )
    return table


def _facts(rows: list[tuple[str, str]], styles: dict[str, ParagraphStyle], width: float) -> Table:
    table = Table(
        [[_para(label, styles["label"]), _para(value, styles["body"])] for label, value in rows],
        colWidths=[width * 0.36, width * 0.64],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _two_columns(left: Any, right: Any, width: float) -> Table:
    table = Table([[left, right]], colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "letter-title", parent=base["Title"], fontName=bold, fontSize=15, alignment=0, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "letter-heading", parent=base["Heading2"], fontName=bold, fontSize=11.5, spaceBefore=6, spaceAfter=2
        ),
        "body": ParagraphStyle("letter-body", parent=base["BodyText"], fontName=regular, fontSize=10, leading=13),
        "label": ParagraphStyle("letter-label", parent=base["BodyText"], fontName=bold, fontSize=10, leading=13),
        "small": ParagraphStyle("letter-small", parent=base["BodyText"], fontName=regular, fontSize=9, leading=12),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """Text as a Paragraph, printed literally: ReportLab reads a Paragraph's text as markup (<b>, <a href>,
    <img src>, entities), so every text is escaped here, and only here; line breaks are kept."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return Paragraph(escape(text).replace("\n", "<br/>"), style)
