"""The cost-downtime frontier as rows and as a chart's geometry, shared by the web page's SVG and
the PDF's drawing: each point's place, shape and label, the axes' ticks and the budget line.

Cost is the budget's measure (upfront, or total over the horizon); downtime is the expected
Outlook minutes a year. Each design gets a letter and a marker shape, so the chart reads without
colour; within budget is a filled marker, over budget a hollow one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.domain import FrontierPoint, ServiceAvailability, format_money

SERVICE = "outlook"
SHAPES = ("circle", "square", "triangle", "diamond", "triangle_down", "cross")
SHAPE_WORDS = {
    "circle": "●",
    "square": "■",
    "triangle": "▲",
    "diamond": "◆",
    "triangle_down": "▼",
    "cross": "✚",
}
MEASURE_WORDS = {"upfront": "Upfront cost", "total": "Total cost"}


@dataclass(frozen=True)
class FrontierRow:
    """One design on the frontier, as a chart and its table show it."""

    letter: str
    shape: str
    architecture: str
    title: str
    cost_cents: int  # by the budget's measure
    minutes: float  # expected Outlook minutes a year
    within_budget: bool
    adds: str

    @property
    def mark(self) -> str:
        return SHAPE_WORDS[self.shape]


def frontier_rows(points: Sequence[FrontierPoint], applies_to: str) -> tuple[FrontierRow, ...]:
    """The answer's frontier, lettered A, B, … cheapest first."""
    return tuple(
        FrontierRow(
            letter=_letter(i),
            shape=SHAPES[i % len(SHAPES)],
            architecture=p.architecture,
            title=p.title,
            cost_cents=p.cost.measure(applies_to),
            minutes=float(p.expected_outage_minutes_per_year.get(SERVICE, 0.0)),
            within_budget=p.within_budget,
            adds=p.adds,
        )
        for i, p in enumerate(points)
    )


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def minutes_text(minutes: float) -> str:
    """Expected minutes a year as people say them: '24', '1.9', '0.05'."""
    if minutes == 0:
        return "0"
    if minutes >= 10:
        return f"{minutes:,.0f}"
    if minutes >= 0.1:
        return f"{minutes:.1f}"
    return f"{minutes:.2f}"


def nines_text(availability: float) -> str:
    """0.999954 -> '99.9954%' (the nines written out, trailing zeros dropped)."""
    percent = f"{availability * 100:.4f}".rstrip("0").rstrip(".")
    return f"{percent}%"


def nines_count(availability: float) -> str:
    """0.999954 -> 'four nines'; counted from the digits, as planners say it."""
    if availability >= 1:
        return "no expected downtime"
    count = math.floor(-math.log10(max(1e-12, 1 - availability)))
    words = (
        "under one nine",
        "one nine",
        "two nines",
        "three nines",
        "four nines",
        "five nines",
        "six nines",
    )
    return words[count] if count < len(words) else f"{count} nines"


def downtime_sentence(service: ServiceAvailability) -> str:
    """'24 minutes a year (99.9954%)'."""
    return f"{minutes_text(service.expected_outage_minutes_per_year)} minutes a year"


# ---------- the chart's geometry ----------


@dataclass(frozen=True)
class Placed:
    """A point on the chart: its row, its centre and where its letter goes."""

    row: FrontierRow
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # 'start' or 'end'


@dataclass(frozen=True)
class Chart:
    """Everything a renderer draws, in the chart's own units (y grows downwards)."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    budget_x: float | None
    budget_label: str
    points: tuple[Placed, ...]
    x_title: str
    y_title: str


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _money_tick(cents: float, currency: str) -> str:
    units = cents / 100
    if units >= 1000:
        text = f"{units / 1000:,.1f}".removesuffix(".0")
        return f"{text}k"
    return f"{units:,.0f}"


def chart(
    rows: Sequence[FrontierRow],
    budget_cents: int | None,
    currency: str,
    applies_to: str,
    width: float = 360,
    height: float = 260,
    font: float = 11,
) -> Chart:
    """Where everything goes on a chart `width` x `height` (the web and PDF share it)."""
    left, right, top, bottom = 48.0, width - 14.0, 16.0, height - 44.0
    costs = [r.cost_cents for r in rows] + ([budget_cents] if budget_cents else [])
    low, high = min(costs), max(costs)
    pad = max((high - low) * 0.08, high * 0.02, 100)
    x_values = nice_ticks(max(0, low - pad), high + pad)
    y_values = nice_ticks(0, max([r.minutes for r in rows] + [1.0]) * 1.1)
    x0, x1 = x_values[0], x_values[-1]
    y1 = y_values[-1]

    def x(cents: float) -> float:
        return left + (cents - x0) / (x1 - x0) * (right - left)

    def y(minutes: float) -> float:
        return bottom - minutes / y1 * (bottom - top)

    budget_x = x(budget_cents) if budget_cents else None
    points = _place_labels(rows, x, y, font, (left, right, top, bottom), budget_x)
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=tuple((x(v), _money_tick(v, currency)) for v in x_values),
        y_ticks=tuple((y(v), f"{v:g}") for v in y_values),
        budget_x=budget_x,
        budget_label=f"Budget {format_money(budget_cents, currency)}" if budget_cents else "",
        points=tuple(points),
        x_title=f"{MEASURE_WORDS.get(applies_to, 'Cost')} ({currency})",
        y_title="Expected Outlook downtime, minutes a year",
    )


def _place_labels(
    rows: Sequence[FrontierRow],
    x: Callable[[float], float],
    y: Callable[[float], float],
    font: float,
    plot: tuple[float, float, float, float],
    budget_x: float | None,
) -> list[Placed]:
    """Each letter beside its marker where it overlaps no other letter or marker and no line
    (the line joining the points, the budget line) runs through it."""
    left, right, top, bottom = plot
    centres = [(x(r.cost_cents), y(r.minutes)) for r in rows]
    taken = [(cx - 7, cy - 7, cx + 7, cy + 7) for cx, cy in centres]
    lines = [(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(centres)]
    if budget_x is not None:
        lines.append((budget_x, top - 6, budget_x, bottom))
        taken.append((budget_x - 2, top - 14, budget_x + 2, top + 8))
    placed: list[Placed] = []
    w = font * 0.72 + 2
    for row, (cx, cy) in zip(rows, centres, strict=True):
        options = [
            (cx + dx, cy + dy, anchor)
            for dy in (-8, font + 5, -font - 12, 2 * font + 8, -2 * font - 14)
            for dx, anchor in ((9, "start"), (-9, "end"))
        ]
        chosen = options[0]
        for lx, ly, anchor in options:
            box = _label_box(lx, ly, anchor, w, font)
            inside = box[0] >= left + 2 and box[2] <= right and box[1] >= top - 12 and box[3] <= bottom - 1
            clear = not any(_overlaps(box, t) for t in taken) and not any(_through(s, box) for s in lines)
            if inside and clear:
                chosen = (lx, ly, anchor)
                break
        lx, ly, anchor = chosen
        taken.append(
            (lx, ly - font, lx + w, ly + 2) if anchor == "start" else (lx - w, ly - font, lx, ly + 2)
        )
        placed.append(Placed(row, cx, cy, lx, ly, anchor))
    return placed


def _label_box(x: float, y: float, anchor: str, w: float, font: float) -> tuple[float, float, float, float]:
    return (x, y - font, x + w, y + 2) if anchor == "start" else (x - w, y - font, x, y + 2)


def _through(segment: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether a segment passes through a box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        low, high = (max(low, t), high) if p < 0 else (low, min(high, t))
        if low > high:
            return False
    return True


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
