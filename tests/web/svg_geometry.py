"""Where a server-drawn SVG's lines and words lie, to check that no line runs through a label.

Text boxes are estimated as the drawing code does (no font metrics): 0.6 em a character, which
is wider than the drawings' own 0.56, so the check errs on the side of finding a crossing.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class TextBox:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def text_boxes(svg: str) -> list[TextBox]:
    boxes = []
    for t in ET.fromstring(svg).iter(f"{SVG}text"):
        if t.get("transform"):
            continue  # a rotated axis title lies beside the plot, clear of its lines
        words = "".join(t.itertext())
        size = float(t.get("font-size", "12"))
        width = len(words) * size * 0.6
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        anchor = t.get("text-anchor", "start")
        x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        boxes.append(TextBox(words, x0, y - size * 0.8, x0 + width, y + size * 0.2))
    return boxes


def segments(svg: str) -> list[tuple[float, float, float, float]]:
    found = []
    for line in ET.fromstring(svg).iter(f"{SVG}line"):
        found.append(tuple(float(line.get(k, "0")) for k in ("x1", "y1", "x2", "y2")))
    for poly in ET.fromstring(svg).iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in (poly.get("points") or "").split()]
        found.extend((a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points))
    return found  # type: ignore[return-value]


def crosses(segment: tuple[float, float, float, float], box: TextBox) -> bool:
    """Whether the segment passes through the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box.x0), (dx, box.x1 - x1), (-dy, y1 - box.y0), (dy, box.y1 - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def lines_through_words(svg: str) -> list[str]:
    """Each label a line runs through, with the line."""
    return [
        f"{box.text!r} crossed by line {segment}"
        for segment in segments(svg)
        for box in text_boxes(svg)
        if crosses(segment, box)
    ]
