"""The cost-downtime frontier drawn as SVG on the server: no script, no style attributes (the
strict Content Security Policy allows it inline), markers told apart by shape and letter rather
than colour, the budget a dashed line, and a <title>/<desc> for screen readers (the page adds a
table listing the same points)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from advisor.domain import Budget, Recommendations
from advisor.exports.frontier import Chart, FrontierRow, Placed, chart, frontier_rows, minutes_text
from advisor.web.diagram import FONT

INK = "#1b1f24"
GRID = "#d0d7de"
LINE = "#4a5560"
BUDGET = "#8a1c14"
FONT_SIZE = 11


def _text(
    x: float,
    y: float,
    text: str,
    size: float = FONT_SIZE,
    anchor: str = "middle",
    bold: bool = False,
    fill: str = INK,
    extra: str = "",
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{weight}{extra}>'
        f"{escape(text)}</text>"
    )


def marker(shape: str, x: float, y: float, filled: bool, r: float = 5.5) -> str:
    """One marker: filled when within budget, hollow (white inside) when over it."""
    fill = INK if filled else "#ffffff"
    paint = f'fill="{fill}" stroke="{INK}" stroke-width="1.6"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {paint}/>'
    if shape == "cross":
        a, b = r, r * 0.38
        pts = [
            (-b, -a),
            (b, -a),
            (b, -b),
            (a, -b),
            (a, b),
            (b, b),
            (b, a),
            (-b, a),
            (-b, b),
            (-a, b),
            (-a, -b),
            (-b, -b),
        ]
    elif shape == "diamond":
        pts = [(0, -r * 1.2), (r * 1.2, 0), (0, r * 1.2), (-r * 1.2, 0)]
    elif shape == "triangle_down":
        pts = [(-r * 1.1, -r * 0.8), (r * 1.1, -r * 0.8), (0, r * 1.1)]
    else:  # triangle
        pts = [(0, -r * 1.1), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)]
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in pts)
    return f'<polygon points="{points}" {paint}/>'


def render_frontier(
    rows: Sequence[FrontierRow], budget_cents: int | None, currency: str, applies_to: str, id_prefix: str
) -> Markup:
    """The chart of cost against expected Outlook downtime, as an accessible SVG element."""
    c = chart(rows, budget_cents, currency, applies_to, font=FONT_SIZE)
    parts: list[str] = [_axes(c)]
    parts.extend(_budget(c))
    if len(c.points) > 1:
        path = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in c.points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.2"/>')
    for p in c.points:
        parts.append(_point(p, currency))
    title = "Cost against expected Outlook downtime: the frontier"
    desc = "; ".join(
        f"{p.row.letter}: {p.row.title}, {p.row.cost_cents / 100:,.2f} {currency}, "
        f"{minutes_text(p.row.minutes)} minutes a year, {'within' if p.row.within_budget else 'over'} budget"
        for p in c.points
    )
    if c.budget_label:
        desc += f". Dashed line: {c.budget_label}."
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {c.width:.0f} {c.height:.0f}" '
        f'width="{c.width:.0f}" height="{c.height:.0f}" role="img" class="frontier-chart" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="{FONT}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{c.width:.0f}" height="{c.height:.0f}" fill="#ffffff"/>'
    )
    return Markup(head + "".join(parts) + "</svg>")


def _rule(x1: float, y1: float, x2: float, y2: float) -> str:
    """A grid line (a <path>, so no label check mistakes it for a connecting line)."""
    return f'<path d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" stroke="{GRID}" stroke-width="1"/>'


def _axes(c: Chart) -> str:
    out = []
    for x, label in c.x_ticks:
        out.append(_rule(x, c.top, x, c.bottom))
        out.append(_text(x, c.bottom + 14, label, 10))
    for y, label in c.y_ticks:
        out.append(_rule(c.left, y, c.right, y))
        out.append(_text(c.left - 5, y + 3.5, label, 10, anchor="end"))
    out.append(
        f'<path d="M{c.left:.1f},{c.top:.1f} V{c.bottom:.1f} H{c.right:.1f}" fill="none" '
        f'stroke="{INK}" stroke-width="1.2"/>'
    )
    out.append(_text((c.left + c.right) / 2, c.height - 8, c.x_title, 10.5))
    mid = (c.top + c.bottom) / 2
    out.append(
        _text(12, mid, "Outlook minutes down a year", 10.5, extra=f' transform="rotate(-90 12 {mid:.1f})"')
    )
    return "".join(out)


def _budget(c: Chart) -> list[str]:
    if c.budget_x is None:
        return []
    x = c.budget_x
    anchor, dx = ("end", -4) if x > (c.left + c.right) / 2 else ("start", 4)
    return [
        f'<line x1="{x:.1f}" y1="{c.top - 6:.1f}" x2="{x:.1f}" y2="{c.bottom:.1f}" stroke="{BUDGET}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>',
        _text(x + dx, c.top + 4, c.budget_label, 10, anchor=anchor, bold=True, fill=BUDGET),
    ]


def _point(p: Placed, currency: str) -> str:
    row = p.row
    tip = (
        f"{row.letter}: {row.title}, {row.cost_cents / 100:,.2f} {currency}, "
        f"{minutes_text(row.minutes)} minutes a year"
    )
    return (
        f'<g class="point"><title>{escape(tip)}</title>'
        f"{marker(row.shape, p.x, p.y, row.within_budget)}"
        f"{_text(p.label_x, p.label_y, row.letter, FONT_SIZE + 1, anchor=p.anchor, bold=True)}</g>"
    )


def frontier_context(response: Recommendations, budget: Budget) -> dict[str, Any]:
    """What the result page's frontier section needs: its rows and its chart (None without)."""
    rows = frontier_rows(response.frontier, budget.applies_to)
    currency = response.catalog.currency
    chart_svg = (
        render_frontier(rows, budget.amount_cents, currency, budget.applies_to, "frontier") if rows else None
    )
    return {"frontier": rows, "frontier_chart": chart_svg}
