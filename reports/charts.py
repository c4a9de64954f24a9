"""Charts drawn on the server as inline SVG: no script, no inline style (our Content-Security-Policy allows
neither), readable without colour: each series has its own marker shape and line pattern, each line is
labelled at its end, bars carry their numbers, and the page shows the numbers in a table beside them."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 172, 16, 34
LABEL_CHARS = 27  # a line's name at its end, shortened with "…" beyond this (the whole name in its title)
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle-open")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


def _scale(values: list[Any]) -> float:
    top = max([v for v in values if v is not None] or [0])
    if top <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if top <= step * 4:
            return step * 4
    return top


def _frame(title: str, scale: float, months: list[str]) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="sot-chart" role="img" '
        f"aria-label={quoteattr(title)}><title>{escape(title)}</title>"
    ]
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        value = scale * i / 4
        text = f"{value:g}" if value != int(value) else f"{int(value)}"
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" class="sot-chart-grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="sot-chart-axis">{text}</text>')
    step = plot_w / max(len(months), 1)
    for i, month in enumerate(months):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="sot-chart-axis">'
            f"{escape(month)}</text>"
        )
    return parts


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" class="sot-chart-mark"/>'
    if kind in ("triangle", "diamond", "cross"):
        corners = {
            "triangle": f"M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} L{x - 4.5:.1f} {y + 3.5:.1f} Z",
            "diamond": f"M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z",
            "cross": f"M{x - 4:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 4:.1f} "
            f"M{x + 4:.1f} {y - 4:.1f} L{x - 4:.1f} {y + 4:.1f}",
        }
        css = "sot-chart-cross" if kind == "cross" else "sot-chart-mark"
        return f'<path d="{corners[kind]}" class="{css}"/>'
    if kind == "circle-open":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="sot-chart-open"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="sot-chart-mark"/>'


def line_chart(title: str, months: list[str], series: list[tuple[str, list]]) -> SafeString:
    """One line per series (at most six), each with its own marker and pattern and its name at its end.
    A month without a value (None) leaves a gap."""
    series = series[: len(MARKERS)]
    scale = _scale([v for _label, values in series for v in values])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months), 1)
    parts = _frame(title, scale, months)
    ends: list[tuple[float, int, str]] = []
    for n, (label, values) in enumerate(series):
        points = [
            (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * v / scale) for i, v in enumerate(values) if v is not None
        ]
        parts.append(f'<g class="sot-chart-series sot-chart-series-{n}">')
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash = f' stroke-dasharray="{DASHES[n]}"' if DASHES[n] else ""
            parts.append(f'<polyline points="{path}" class="sot-chart-line"{dash}/>')
        parts += [_marker(MARKERS[n], x, y) for x, y in points]
        parts.append("</g>")
        if points:
            ends.append((points[-1][1], n, label))
    # names at the lines' ends, moved apart so that they never overlap
    ends.sort()
    placed: list[float] = []
    for y, _n, _label in ends:
        placed.append(max(y, placed[-1] + 13) if placed else y)
    for i in range(len(placed) - 1, -1, -1):  # and never below the chart: move the stack up
        placed[i] = min(placed[i], HEIGHT - 8 - 13 * (len(placed) - 1 - i))
    parts.append('<g class="sot-chart-ends">')  # each name after its line's marker: which is which, without colour
    for y, (_y, n, label) in zip(placed, ends, strict=True):
        x = LEFT + plot_w + 10
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
        parts.append(f'<g class="sot-chart-series sot-chart-series-{n}">{_marker(MARKERS[n], x, y)}</g>')
        name = f"{escape(short)}<title>{escape(label)}</title>"
        parts.append(f'<text x="{x + 9}" y="{y + 4:.1f}" class="sot-chart-label">{name}</text>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def legend_key(n: int) -> SafeString:
    """The marker and line pattern of series `n`, small, for the row of its numbers in the table."""
    dash = f' stroke-dasharray="{DASHES[n]}"' if DASHES[n] else ""
    return mark_safe(  # noqa: S308 - no text in it
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 12" class="sot-chart-key" aria-hidden="true">'
        f'<g class="sot-chart-series sot-chart-series-{n}">'
        f'<line x1="1" y1="6" x2="29" y2="6" class="sot-chart-line"{dash}/>'
        f"{_marker(MARKERS[n], 15, 6)}</g></svg>"
    )


def bar_chart(title: str, months: list[str], values: list[int]) -> SafeString:
    """One bar per month with its number on top."""
    scale = _scale(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months), 1)
    parts = _frame(title, scale, months)
    for i, value in enumerate(values):
        h = plot_h * (value or 0) / scale
        x = LEFT + step * i + step * 0.15
        y = TOP + plot_h - h
        width = step * 0.7
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" class="sot-chart-bar"/>')
        centre = x + step * 0.35
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="sot-chart-value">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped texts only


def trend_sections(trends: dict, month_names: list[str]) -> list[dict]:
    """The figures page's sections: a title, a chart and the table of its numbers (rows of label and one
    value per month, the last month being the chosen one)."""
    from django.utils.translation import gettext as _

    def lines(title: str, rows: list[tuple[str, list]], key: str) -> dict:
        # the chart draws the six largest series; the table holds them all
        keyed = [
            {"label": label, "values": values, "key": legend_key(n) if n < len(MARKERS) else ""}
            for n, (label, values) in enumerate(rows)
        ]
        chart = line_chart(title, month_names, rows)
        return {"key": key, "title": title, "chart": chart, "rows": keyed, "more": len(rows) > len(MARKERS)}

    def plain(rows: list[tuple[str, list]]) -> list[dict]:
        return [{"label": label, "values": values, "key": ""} for label, values in rows]

    def series(rows: list[dict]) -> list[tuple[str, list]]:
        return [(row["label"], row["counts"]) for row in rows]

    return [
        {
            "key": "coordinated",
            "title": _("Patients coordinated to care in another region"),
            "chart": bar_chart(_("Patients coordinated to care in another region"), month_names, trends["coordinated"]),
            "rows": plain(
                [
                    (_("Coordinated patients"), trends["coordinated"]),
                    (_("Accepted after the care-guarantee deadline"), trends["accepted_after_deadline"]),
                    (_("Care recorded as given"), trends["care_given"]),
                    (_("Loop closure (%)"), trends["loop_closure"]),
                ]
            ),
        },
        lines(_("Per diagnosis group"), series(trends["coordinated_by_group"]), "groups"),
        lines(_("Per receiving region"), series(trends["coordinated_by_receiving_region"]), "receiving"),
        {
            "key": "submitted",
            "title": _("Requests submitted"),
            "chart": bar_chart(_("Requests submitted"), month_names, trends["submitted"]),
            "rows": plain([(_("Requests submitted"), trends["submitted"])]),
        },
        lines(
            _("Median days from submission to acceptance"),
            [(_("Median days"), trends["median_days_to_acceptance"])],
            "to-acceptance",
        ),
        lines(
            _("Loop closure: share of accepted whose care was given (%)"),
            [(_("Loop closure (%)"), trends["loop_closure"])],
            "loop",
        ),
        lines(
            _("Median days in each state"),
            [(row["state"], row["days"]) for row in trends["median_days_in_state"]],
            "states",
        ),
        lines(
            _("Open requests at month end by days waited (patient-chosen waiting excluded)"),
            series(trends["waiting_bands"]),
            "bands",
        ),
        lines(_("Declines by reason"), series(trends["declines_by_reason"]), "declines"),
        lines(_("Closed without coordination, by reason"), series(trends["closings_by_reason"]), "closings"),
        lines(_("Obstacles by category"), series(trends["obstacles_by_category"]), "obstacles"),
    ]
