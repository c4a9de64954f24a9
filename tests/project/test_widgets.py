"""sot.widgets.FastSelect writes the same select as Django's template: same options, same selection, escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms

from sot.widgets import FastSelect

CHOICES = [
    ("", "– alla –"),
    ("a&b", '<script>alert("x")</script>'),
    ("1", "Ortopedi, Lund"),
    ("Grupp <b>", [("2", "Höft"), ("3", "Knä & fot")]),
    ("1", "the same value again"),
]


class Options(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.select: dict[str, str | None] = {}
        self.options: list[tuple[str | None, bool, str | None]] = []  # value, selected, optgroup
        self.groups: list[str | None] = []
        self.texts: list[str] = []
        self.group: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "select":
            self.select = values
        elif tag == "optgroup":
            self.group = values["label"]
            self.groups.append(self.group)
        elif tag == "option":
            self.options.append((values["value"], "selected" in values, self.group))
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "optgroup":
            self.group = None

    def handle_data(self, data: str) -> None:
        if self.texts and data.strip():
            self.texts[-1] += data.strip()


def parsed(html: str) -> Options:
    parser = Options()
    parser.feed(html)
    return parser


def test_the_same_options_selection_and_attributes_as_django() -> None:
    attrs = {"class": "form-select", "id": "id_unit", "aria-describedby": 'x" onmouseover="y'}
    ours = parsed(FastSelect(choices=CHOICES).render("unit", "1", attrs=attrs))
    django = parsed(forms.Select(choices=CHOICES).render("unit", "1", attrs=attrs))
    assert ours.options == django.options
    assert ours.texts == django.texts
    assert ours.groups == django.groups == ["Grupp <b>"]
    assert ours.select == django.select == {"name": "unit", **attrs}
    # Only the first option with the selected value is selected, as Django does.
    assert [value for value, selected, _group in ours.options if selected] == ["1"]


def test_labels_and_values_are_text_never_markup() -> None:
    html = FastSelect(choices=CHOICES).render("unit", None)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'value="a&amp;b"' in html and "<b>" not in html


def test_nothing_selected_for_an_unknown_value() -> None:
    ours = parsed(FastSelect(choices=CHOICES).render("unit", "999"))
    assert not any(selected for _value, selected, _group in ours.options)
