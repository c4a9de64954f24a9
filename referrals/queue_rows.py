"""The rows of the SOT queue's table as HTML, written in Python.

The queue is the SOT representative's most used page; with its rows in the template, 25 rows of template
nodes were a quarter of the page's time. Every value goes through `format_html`, which escapes it: free
text and names are data here as everywhere, never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from referrals.queue_views import Row

DASH = "–"


def queue_rows_html(rows: list[Row]) -> SafeString:
    labels = {
        "focus": gettext("Focus"),
        "no_one": gettext("No one"),
        "release": gettext("Release the request"),
        "take": gettext("Take the request"),
        "waited": gettext("Waited too long"),
    }
    return mark_safe("".join(_row(row, labels) for row in rows))  # noqa: S308  each row is format_html's output


def _row(row: Row, labels: dict[str, str]) -> str:
    r = row.referral
    if getattr(r, "overdue", 1) == 0:  # annotated by selectors.sot_queue
        css = "table-danger"
    elif row.waited_too_long:
        css = "table-warning waited-too-long"
    else:
        css = ""
    focus = format_html(' <span class="badge text-bg-info">{}</span>', labels["focus"]) if r.is_main_focus else ""
    if row.handled_by_me:
        handler = format_html('<span class="fw-semibold">{}</span>', row.handler_label)
    elif row.handler_label:
        handler = format_html("{}", row.handler_label)
    else:
        handler = format_html('<span class="text-body-secondary">{}</span>', labels["no_one"])
    if row.handler_action:
        handler += format_html(
            '<br><button type="submit" form="handler-form" formaction="{}" class="btn btn-sm btn-link p-0 '
            'text-nowrap">{}<span class="visually-hidden"> {}</span></button>',
            row.handler_action,
            labels["release"] if row.handled_by_me else labels["take"],
            r.reference,
        )
    since = format_html(
        "{}<br>{}",
        timezone.localdate(r.status_changed_at).isoformat() if r.status_changed_at else DASH,
        ngettext("%(n)s working day", "%(n)s working days", row.days_in_status) % {"n": row.days_in_status},
    )
    if row.waited_too_long:
        since += format_html(
            '<br><span class="badge text-bg-warning" data-testid="waited-too-long">{}</span>', labels["waited"]
        )
    receiver = format_html("{}", r.receiving_unit if r.receiving_unit_id else DASH)
    if r.planned_date:
        receiver += format_html("<br>{}", r.planned_date.isoformat())
    cells = [
        ("", "", format_html('<a class="fw-semibold text-nowrap" href="{}">{}</a>{}', row.url, r.reference, focus)),
        ("", "", format_html('<span class="badge status-{}">{}</span>', r.status, row.status_label)),
        ("small", "handler", handler),
        ("small text-nowrap", "since", since),
        ("small", "", r.sending_unit),
        ("small", "", r.diagnosis_group or DASH),
        ("small", "", r.priority or DASH),
        ("", "", r.asa_display),
        (_late("small text-end", row.wait.is_past_target), "", row.days_to_target),
        (_late("small text-end", row.wait.is_overdue), "", row.days_to_deadline),
        ("small", "", receiver),
    ]
    body = format_html_join(
        "",
        "<td{}{}>{}</td>",
        (
            (format_html(' class="{}"', css) if css else "", format_html(' data-testid="{}"', tid) if tid else "", v)
            for css, tid, v in cells
        ),
    )
    return format_html('<tr class="{}" data-reference="{}">{}</tr>', css, r.reference, body)


def _late(css: str, late: bool) -> str:
    return f"{css} text-danger fw-semibold" if late else css
