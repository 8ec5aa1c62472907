"""The PDF's frontier chart (a ReportLab drawing from the geometry the web chart uses too) and
the expected-downtime table of a design."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from advisor.domain import service_heading
from advisor.exports.diagram import Fonts
from advisor.exports.frontier import FrontierRow, chart, minutes_text, nines_count, nines_text
from advisor.exports.model import DesignColumn

INK = colors.HexColor("#1B1F24")
GRID = colors.HexColor("#D0D7DE")
BUDGET = colors.HexColor("#8A1C14")
WIDTH, HEIGHT = 340.0, 230.0


def frontier_drawing(
    rows: Sequence[FrontierRow], budget_cents: int | None, currency: str, applies_to: str, fonts: Fonts
) -> Drawing:
    """Cost against expected Outlook downtime: lettered markers of distinct shapes, filled within
    the budget and hollow over it, joined by a line; the budget a dashed line."""
    c = chart(rows, budget_cents, currency, applies_to, width=WIDTH, height=HEIGHT, font=9)
    d = Drawing(WIDTH, HEIGHT)

    def flip(y: float) -> float:  # the geometry's y grows downwards, ReportLab's upwards
        return HEIGHT - y

    for x, label in c.x_ticks:
        d.add(Line(x, flip(c.top), x, flip(c.bottom), strokeColor=GRID, strokeWidth=0.6))
        d.add(
            String(x, flip(c.bottom) - 11, label, fontName=fonts.regular, fontSize=7.5, textAnchor="middle")
        )
    for y, label in c.y_ticks:
        d.add(Line(c.left, flip(y), c.right, flip(y), strokeColor=GRID, strokeWidth=0.6))
        d.add(
            String(c.left - 4, flip(y) - 2.5, label, fontName=fonts.regular, fontSize=7.5, textAnchor="end")
        )
    d.add(Line(c.left, flip(c.top), c.left, flip(c.bottom), strokeColor=INK, strokeWidth=0.9))
    d.add(Line(c.left, flip(c.bottom), c.right, flip(c.bottom), strokeColor=INK, strokeWidth=0.9))
    d.add(
        String((c.left + c.right) / 2, 6, c.x_title, fontName=fonts.regular, fontSize=8, textAnchor="middle")
    )
    title = Group(
        String(0, 0, "Outlook minutes down a year", fontName=fonts.regular, fontSize=8, textAnchor="middle")
    )
    title.translate(10, flip((c.top + c.bottom) / 2))
    title.rotate(90)
    d.add(title)
    if c.budget_x is not None:
        d.add(
            Line(
                c.budget_x,
                flip(c.top - 6),
                c.budget_x,
                flip(c.bottom),
                strokeColor=BUDGET,
                strokeWidth=1.4,
                strokeDashArray=[4, 3],
            )
        )
        right = c.budget_x > (c.left + c.right) / 2
        d.add(
            String(
                c.budget_x + (-3 if right else 3),
                flip(c.top) - 3,
                c.budget_label,
                fontName=fonts.bold,
                fontSize=7.5,
                fillColor=BUDGET,
                textAnchor="end" if right else "start",
            )
        )
    if len(c.points) > 1:
        d.add(
            PolyLine(
                [v for p in c.points for v in (p.x, flip(p.y))],
                strokeColor=INK,
                strokeWidth=0.8,
                fillColor=None,
            )
        )
    for p in c.points:
        d.add(_marker(p.row.shape, p.x, flip(p.y), p.row.within_budget))
        d.add(
            String(
                p.label_x,
                flip(p.label_y),
                p.row.letter,
                fontName=fonts.bold,
                fontSize=9,
                textAnchor="start" if p.anchor == "start" else "end",
            )
        )
    return d


def _label(x: float, y: float, text: str, font: str, anchor: str) -> String:
    return String(x, y, text, fontName=font, fontSize=7.5, textAnchor=anchor)


def _marker(shape: str, x: float, y: float, filled: bool, r: float = 4.2) -> Rect | Circle | Polygon:
    paint = {"fillColor": INK if filled else colors.white, "strokeColor": INK, "strokeWidth": 1.1}
    if shape == "circle":
        return Circle(x, y, r, **paint)
    if shape == "square":
        return Rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, **paint)
    points: list[tuple[float, float]]
    if shape == "diamond":
        points = [(0, r * 1.2), (r * 1.2, 0), (0, -r * 1.2), (-r * 1.2, 0)]
    elif shape == "triangle_down":
        points = [(-r * 1.1, r * 0.8), (r * 1.1, r * 0.8), (0, -r * 1.1)]
    elif shape == "cross":
        a, b = r, r * 0.38
        points = [(-b, a), (b, a), (b, b), (a, b), (a, -b), (b, -b), (b, -a), (-b, -a), (-b, -b), (-a, -b)]
        points += [(-a, b), (-b, b)]
    else:  # triangle
        points = [(0, r * 1.1), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)]
    return Polygon([v for dx, dy in points for v in (x + dx, y + dy)], **paint)


def downtime_rows(d: DesignColumn, services: Sequence[str]) -> list[tuple[str, str, str, str, str, str]]:
    """(service, expected minutes, availability, failovers, planned, degraded) for each service."""
    if d.availability is None:
        return []
    out = []
    for service in services:
        a = d.availability.services.get(service)
        if a is None:
            continue
        out.append(
            (
                service_heading(service),
                f"{minutes_text(a.expected_outage_minutes_per_year)} min",
                f"{nines_text(a.availability)} ({nines_count(a.availability)})",
                f"{minutes_text(a.failover_minutes_per_year)} min",
                f"{minutes_text(a.planned_minutes_per_year)} min",
                f"{minutes_text(a.degraded_minutes_per_year)} min",
            )
        )
    return out
