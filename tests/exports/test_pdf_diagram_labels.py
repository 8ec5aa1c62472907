"""No line of the PDF's design diagram runs through its words (a pair's label, a host's name)."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Line, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from advisor.exports import Comparison
from advisor.exports.diagram import design_diagram
from advisor.exports.to_pdf import fonts
from tests.web.svg_geometry import TextBox, crosses


def _crossings(column: object) -> list[str]:
    drawing = design_diagram(column, fonts())  # type: ignore[arg-type]
    lines = [(s.x1, s.y1, s.x2, s.y2) for s in drawing.contents if isinstance(s, Line)]
    found = []
    for s in drawing.contents:
        if not isinstance(s, String) or not s.text.strip():
            continue
        width = stringWidth(s.text, s.fontName, s.fontSize)
        x0 = {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}[s.textAnchor]
        box = TextBox(s.text, x0, s.y - s.fontSize * 0.2, x0 + width, s.y + s.fontSize * 0.75)
        found += [f"{s.text!r} crossed by {line}" for line in lines if crosses(line, box)]
    return found


@pytest.mark.parametrize("index", range(6))
def test_no_line_of_a_pdf_diagram_runs_through_its_words(six: Comparison, index: int) -> None:
    assert _crossings(six.designs[index]) == []
