"""Reading pages by meaning: elements by their semantic attributes, a field's error through aria-describedby.

Never by the generated ids of crispy-forms or by Bootstrap classes, which change with the markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def elements(body: str, tag: str | None = None, **attrs: str) -> list[Element]:
    """Every element of the page with the tag (if given) and these attribute values (data_x for data-x)."""
    tree = _Tree()
    tree.feed(body)
    tree.close()
    wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
    return [
        e
        for e in tree.elements
        if (tag is None or e.tag == tag) and all(e.attrs.get(k) == v for k, v in wanted.items())
    ]


def texts(body: str, tag: str | None = None, **attrs: str) -> list[str]:
    """The text of each matching element, with its whitespace collapsed."""
    return [" ".join(e.text.split()) for e in elements(body, tag, **attrs)]


def field_error(body: str, name: str) -> str:
    """The text a form field is described by, once it is marked invalid (aria-invalid, aria-describedby):
    what a screen reader reads out as the field's error. Fails if the field is not marked invalid."""
    (control,) = [e for e in elements(body) if e.attrs.get("name") == name and e.tag in ("input", "select", "textarea")]
    assert control.attrs.get("aria-invalid") == "true", f"{name} is not marked invalid"
    described_by = control.attrs.get("aria-describedby", "").split()
    return " ".join(text for ref in described_by for text in texts(body, id=ref))
