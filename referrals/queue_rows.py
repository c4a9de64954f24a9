"""The rows of the SOT queue's table as HTML, written in Python.

The queue is the SOT representative's most used page; with its rows in the template (and then with
`format_html`, whose lazy-aware escaping is called for every value), 25 rows were a third of the page's
time. Every value still goes through `_e`, the standard library's HTML escape (the same five characters
as Django's `escape`): free text and names are data here as everywhere, never markup."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from referrals.queue_views import Row

DASH = "–"


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def queue_rows_html(rows: list[Row]) -> SafeString:
    labels = {
        "focus": _e(gettext("Focus")),
        "no_one": _e(gettext("No one")),
        "release": _e(gettext("Release the request")),
        "take": _e(gettext("Take the request")),
        "waited": _e(gettext("Waited too long")),
    }
    # Every value in the rows went through _e.
    return mark_safe("".join(_row(row, labels) for row in rows))  # noqa: S308


def _row(row: Row, labels: dict[str, str]) -> str:
    r = row.referral
    if r.overdue == 0:  # annotated by selectors.sot_queue
        css = "table-danger"
    elif row.waited_too_long:
        css = "table-warning waited-too-long"
    else:
        css = ""
    reference = _e(r.reference)
    focus = f' <span class="badge text-bg-info">{labels["focus"]}</span>' if r.is_main_focus else ""
    if row.handled_by_me:
        handler = f'<span class="fw-semibold">{_e(row.handler_label)}</span>'
    elif row.handler_label:
        handler = _e(row.handler_label)
    else:
        handler = f'<span class="text-body-secondary">{labels["no_one"]}</span>'
    if row.handler_action:
        label = labels["release"] if row.handled_by_me else labels["take"]
        handler += (
            f'<br><button type="submit" form="handler-form" formaction="{_e(row.handler_action)}" '
            f'class="btn btn-sm btn-link p-0 text-nowrap">{label}<span class="visually-hidden"> {reference}</span>'
            "</button>"
        )
    since_day = timezone.localdate(r.status_changed_at).isoformat() if r.status_changed_at else DASH
    days = ngettext("%(n)s working day", "%(n)s working days", row.days_in_status) % {"n": row.days_in_status}
    since = f"{since_day}<br>{_e(days)}"
    if row.waited_too_long:
        since += f'<br><span class="badge text-bg-warning" data-testid="waited-too-long">{labels["waited"]}</span>'
    receiver = _e(r.receiving_unit_label) if r.receiving_unit_id else DASH
    if r.planned_date:
        receiver += f"<br>{r.planned_date.isoformat()}"
    target_css = _late("small text-end", row.is_past_target)
    deadline_css = _late("small text-end", row.is_overdue)
    return (
        f'<tr class="{css}" data-reference="{reference}">'
        f'<td><a class="fw-semibold text-nowrap" href="{_e(row.url)}">{reference}</a>{focus}</td>'
        f'<td><span class="badge status-{_e(r.status)}">{_e(row.status_label)}</span></td>'
        f'<td class="small" data-testid="handler">{handler}</td>'
        f'<td class="small text-nowrap" data-testid="since">{since}</td>'
        f'<td class="small">{_e(r.sending_unit_label)}</td>'
        f'<td class="small">{_e(r.diagnosis_group_name or DASH)}</td>'
        f'<td class="small">{_e(r.priority_name or DASH)}</td>'
        f"<td>{_e(r.asa_display)}</td>"
        f'<td class="{target_css}">{_e(row.days_to_target)}</td>'
        f'<td class="{deadline_css}">{_e(row.days_to_deadline)}</td>'
        f'<td class="small">{receiver}</td>'
        "</tr>"
    )


def _late(css: str, late: bool) -> str:
    return f"{css} text-danger fw-semibold" if late else css
