"""The server-made SVG charts: accessible names, texts escaped, no inline style, series told apart by shape."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from reports.charts import bar_chart, legend_key, line_chart

MONTHS = ["okt 26", "nov 26"]


def test_line_chart_names_itself_escapes_texts_and_tells_series_apart_without_colour():
    svg = line_chart('Grupper <b>&"', MONTHS, [("<script>x</script>", [1, 2]), ("Två", [None, 3]), ("Tre", [0, 0])])
    root = ElementTree.fromstring(svg)  # noqa: S314 - well-formed: every text escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-label") == 'Grupper <b>&"'
    title = root.find(f"{ns}title")
    assert title is not None and title.text == 'Grupper <b>&"'
    assert "<script>" not in svg and "style=" not in svg
    labels = [t.text or "" for t in root.iter(f"{ns}text") if t.get("class") == "sot-chart-label"]
    assert sorted(labels) == sorted(["<script>x</script>", "Två", "Tre"])  # each line named at its end
    series = [g for g in root.findall(f"{ns}g") if "sot-chart-series" in (g.get("class") or "")]
    assert [len(g.findall(f"{ns}circle")) for g in series] == [2, 0, 0]  # a missing month leaves a gap
    assert len(series[1].findall(f"{ns}rect")) == 1 and len(series[2].findall(f"{ns}path")) == 2  # other shapes
    dashes = [p.get("stroke-dasharray") for g in series for p in g.findall(f"{ns}polyline")]
    assert dashes == [None, "2 3"]  # the second has one point only: no line; the third is dotted


def test_each_name_at_a_lines_end_has_the_lines_marker_and_a_long_name_is_shortened_not_cut():
    """Seen in Chromium: names cut at 24 characters ("Öron-, näs- och halssjuk") with nothing to tell which
    line each belongs to without colour."""
    long = "Öron-, näs- och halssjukvård, planerad"
    svg = line_chart("Grupper", MONTHS, [(long, [1, 2]), ("Två", [3, 3])])
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    (ends,) = [g for g in root.findall(f"{ns}g") if g.get("class") == "sot-chart-ends"]
    labels = ends.findall(f"{ns}text")
    assert [t.text for t in labels] == ["Två", long[:26] + "…"]  # the higher line's first
    titles = [t.find(f"{ns}title") for t in labels]
    assert [title.text if title is not None else None for title in titles] == ["Två", long]
    markers = [g.get("class") for g in ends.findall(f"{ns}g")]
    assert markers == ["sot-chart-series sot-chart-series-1", "sot-chart-series sot-chart-series-0"]


def test_bar_chart_carries_its_numbers():
    svg = bar_chart("Samordnade", MONTHS, [4, 17])
    values = re.findall(r'class="sot-chart-value">(\d+)<', svg)
    assert values == ["4", "17"] and "style=" not in svg
    ElementTree.fromstring(svg)  # noqa: S314 - our own output


def test_legend_key_matches_the_series_shape():
    assert "<rect" in legend_key(1) and 'stroke-dasharray="6 3"' in legend_key(1)
    assert 'aria-hidden="true"' in legend_key(0)
