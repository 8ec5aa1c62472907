"""The comparison as a paginated PDF (A4 or Letter, landscape), drawn with ReportLab.

Every piece of untrusted text goes through escape_markup before it reaches a Paragraph, so
markup in a project name or a catalog description prints as the characters typed.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from advisor.domain import OUTCOMES, service_heading
from advisor.exports.base import Options, Rendered, quote_filename
from advisor.exports.diagram import SPOF_RED, Fonts, design_diagram
from advisor.exports.model import Comparison, DesignColumn, Scenario
from advisor.exports.pdf_frontier import downtime_rows, frontier_drawing
from advisor.exports.safety import escape_markup, printable
from advisor.exports.servers import (
    LAYOUT_RULE,
    capacity_lines,
    failover_example,
    is_mailbox,
    layout_grid,
    load_text,
    mailboxes_text,
    number,
    past_text,
    roles_text,
    within,
    worst_when,
)
from advisor.exports.summary import design_facts, header_rows, summary_rows

PAGE_SIZES = {"A4": landscape(A4), "Letter": landscape(LETTER)}
MARGIN = 13 * mm
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
)
OUTCOME_FILLS = {
    "unaffected": colors.HexColor("#D9EAD3"),
    "failover": colors.HexColor("#FCE8B2"),
    "degraded": colors.HexColor("#F6B26B"),
    "outage": colors.HexColor("#F4C7C3"),
}
# What each outcome means, printed above the scenario grid (the fills are not the only key).
OUTCOME_WORDS = {
    "unaffected": "keeps running",
    "failover": "brief automatic interruption",
    "degraded": "stays up but slow: a surviving server runs past its sizing",
    "outage": "down until someone acts or the part is repaired",
}
PAST_FILL = colors.HexColor("#F6B26B")
KEEP_ROWS = 24  # a table this short moves to the next page whole rather than split
ACTIVE_FILL = colors.HexColor("#D9EAD3")
HEAD_FILL = colors.HexColor("#1F4E78")
LABEL_FILL = colors.HexColor("#EEF3F8")
GRID = colors.HexColor("#A6ACAF")


@functools.cache
def fonts() -> Fonts:
    """DejaVu Sans from the system (wide Unicode coverage); else ReportLab's bundled Vera;
    else the built-in Helvetica (Latin-1 only)."""
    candidates = [(d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf") for d in FONT_DIRS]
    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates.append((bundled / "Vera.ttf", bundled / "VeraBd.ttf"))
    for regular, bold in candidates:
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("QuoteSans", str(regular)))
                pdfmetrics.registerFont(TTFont("QuoteSans-Bold", str(bold)))
            except Exception:  # a broken font file: try the next one
                continue
            return Fonts("QuoteSans", "QuoteSans-Bold")
    return Fonts("Helvetica", "Helvetica-Bold")


class _Styles:
    def __init__(self, f: Fonts):
        def style(name: str, size: float, font: str | None = None, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font or f.regular, fontSize=size, leading=size * 1.25, **kw)

        self.title = style("title", 17, f.bold, spaceAfter=4)
        self.h2 = style("h2", 12.5, f.bold, spaceBefore=4, spaceAfter=4, textColor=HEAD_FILL)
        self.h3 = style("h3", 9.5, f.bold, spaceBefore=6, spaceAfter=3)
        self.body = style("body", 8.5)
        self.notice = style("notice", 8, textColor=colors.HexColor("#444444"), spaceBefore=3, spaceAfter=3)
        self.cell = style("cell", 7.5)
        self.small = style("small", 6.8)
        self.cell_bold = style("cell_bold", 7.5, f.bold)
        self.head = style("head", 7.5, f.bold, textColor=colors.white)
        self.money = style("money", 7.5, alignment=2)
        self.money_bold = style("money_bold", 7.5, f.bold, alignment=2)
        self.red = style("red", 7.5, f.bold, textColor=SPOF_RED)
        self.warning = style("warning", 10, f.bold, textColor=SPOF_RED, spaceBefore=2, spaceAfter=4)
        self.small_red = style("small_red", 6.8, f.bold, textColor=SPOF_RED)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape_markup(text), style)


def _section(title: str, style: ParagraphStyle) -> list[Flowable]:
    """A heading that never ends a page alone: it starts a new page when less than 35 mm is left."""
    return [CondPageBreak(35 * mm), _p(title, style)]


def _kept(note: Paragraph, table: Table, rows: int) -> list[Flowable]:
    """A note and its table on one page when the table is short; a long one splits by rows."""
    return [KeepTogether([note, table])] if rows <= KEEP_ROWS else [note, table]


def _lines(parts: Sequence[str], style: ParagraphStyle) -> Paragraph:
    return Paragraph("<br/>".join(escape_markup(p) for p in parts), style)


def _table(
    rows: list[list[Any]], widths: Sequence[float], head: bool = True, extra: Sequence[Any] = ()
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if head else 0)
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    table.setStyle(TableStyle([*commands, *extra]))
    return table


class _Document:
    def __init__(self, comparison: Comparison, options: Options):
        self.c, self.f = comparison, fonts()
        self.s = _Styles(self.f)
        self.page = PAGE_SIZES[options.paper]
        self.width = self.page[0] - 2 * MARGIN

    def money(self, cents: int | None) -> str:
        return "" if cents is None else self.c.header.money(cents)

    def text(self, value: str | int | None, money: bool) -> str:
        if money and isinstance(value, int):
            return self.money(value)
        return "—" if value is None or value == "" else str(value)

    def story(self) -> list[Flowable]:
        h, s = self.c.header, self.s
        story: list[Flowable] = [
            _p(f"{h.project or 'Exchange high availability'}: quote comparison", s.title),
            *(_p(warning, s.warning) for warning in self.c.lifecycle_warnings),
            self.header_table(),
            _p(h.notice, s.notice),
            _p("Side by side", s.h2),
            self.summary_table(),
            *self.frontier(),
        ]
        for d in self.c.designs:
            story += [PageBreak(), *self.design_section(d)]
        story += [PageBreak(), *self.assumptions()]
        return story

    def header_table(self) -> Table:
        s = self.s
        items = header_rows(self.c)
        cells = [[_p(r.label, s.cell_bold), _p(self.text(r.values[0], r.money), s.cell)] for r in items]
        half = (len(cells) + 1) // 2
        left, right = cells[:half], cells[half:] + [["", ""]] * (2 * half - len(cells))
        rows = [a + b for a, b in zip(left, right, strict=True)]
        w = self.width
        fill = [("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("BACKGROUND", (2, 0), (2, -1), LABEL_FILL)]
        return _table(rows, [0.13 * w, 0.37 * w, 0.13 * w, 0.37 * w], head=False, extra=fill)

    def summary_table(self) -> Table:
        s, designs = self.s, self.c.designs
        n = max(1, len(designs))
        label_w = 34 * mm
        col_w = (self.width - label_w) / n
        small = n > 4
        cell = s.small if small else s.cell
        rows: list[list[Any]] = [
            [_p("", s.head), *(_lines([d.label, d.architecture], s.head) for d in designs)]
        ]
        extra: list[Any] = [("BACKGROUND", (0, 1), (0, -1), LABEL_FILL)]
        for row in summary_rows(self.c):
            out: list[Any] = [_p(row.label, s.cell_bold)]
            for value in row.values:
                style = cell
                if row.money:
                    style = s.money_bold if row.key == "total" else s.money
                elif (
                    (row.key == "within_budget" and value == "no")
                    or (row.key in ("goals_missed", "single_points_of_failure") and value != "none")
                    or (row.key == "server_load" and "PAST SIZING" in str(value))
                    or (row.key == "lifecycle" and str(value).startswith("OUT OF SUPPORT"))
                ):
                    style = s.small_red if small else s.red
                out.append(_p(self.text(value, row.money), style))
            rows.append(out)
        return _table(rows, [label_w, *[col_w] * n], extra=extra)

    def design_section(self, d: DesignColumn) -> list[Flowable]:
        s, h = self.s, self.c.header
        cost = (
            f"Upfront {self.money(d.upfront_cents)}; annual {self.money(d.annual_cents)}; total over "
            f"{d.horizon_years} years {self.money(d.total_cents)}; {d.budget_text(h)}. Source: {d.source}."
        )
        facts = [[_p(k, s.cell_bold), _p(v, s.cell)] for k, v in design_facts(d.design)]
        facts_table = _table(
            facts, [46 * mm, 56 * mm], head=False, extra=[("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)]
        )
        drawing = design_diagram(d, self.f)
        top = Table([[drawing, facts_table]], colWidths=[drawing.width + 12, None])
        top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out: list[Flowable] = [
            _p(f"{d.label}: {d.architecture} — {d.title}", s.h2),
            _p(cost, s.body),
            *([_p(d.compared_with_first, s.body)] if d.compared_with_first else []),
            Spacer(1, 3 * mm),
            top,
            *self.downtime(d),
            *_section("Bill of materials", s.h3),
            self.bom_table(d),
            *self.goals(d),
            *self.spofs(d),
            *self.servers(d),
            *self.layout(d),
            *_section("Failure scenarios: what one failure does to each service", s.h3),
            _p(
                "; ".join(f"{o}: {OUTCOME_WORDS[o]}" for o in OUTCOMES if o in OUTCOME_WORDS) + ".",
                s.notice,
            ),
            self.scenario_table(d),
        ]
        if d.reasons:
            out += [*_section("Why it was not recommended", s.h3), *(_p(f"• {r}", s.body) for r in d.reasons)]
        out += [*_section("Notes", s.h3), *(_p(f"• {n}", s.body) for n in d.notes)]
        return out

    def bom_table(self, d: DesignColumn) -> Table:
        s, w = self.s, self.width
        head = ["SKU", "Description", "Quantity", "Unit price", "Unit annual", "Upfront", "Annual"]
        rows: list[list[Any]] = [[_p(t, s.head) for t in head]]
        for line in d.lines:
            rows.append(
                [
                    _p(line.sku, s.cell),
                    _p(line.description, s.cell),
                    _p(str(line.quantity), s.money),
                    _p(self.money(line.unit_price_cents), s.money),
                    _p(self.money(line.unit_annual_cents), s.money),
                    _p(self.money(line.upfront_cents), s.money),
                    _p(self.money(line.annual_cents), s.money),
                ]
            )
        rows.append(
            [
                "",
                _p("Totals", s.cell_bold),
                "",
                "",
                "",
                _p(self.money(d.upfront_cents), s.money_bold),
                _p(self.money(d.annual_cents), s.money_bold),
            ]
        )
        rows.append(
            [
                "",
                _p(f"Total over {d.horizon_years} years: upfront + {d.horizon_years} x annual", s.cell_bold),
                "",
                "",
                "",
                _p(self.money(d.total_cents), s.money_bold),
                "",
            ]
        )
        money_w = 0.1 * w
        widths = [0.12 * w, w - 0.12 * w - 0.06 * w - 4 * money_w, 0.06 * w, *[money_w] * 4]
        return _table(rows, widths, extra=[("BACKGROUND", (0, -2), (-1, -1), LABEL_FILL)])

    def goals(self, d: DesignColumn) -> list[Flowable]:
        if not d.goals:
            return []
        s, w = self.s, self.width
        rows: list[list[Any]] = [
            [_p(t, s.head) for t in ("Goal", "Priority", "Result", "Worst outcome", "Why")]
        ]
        extra = []
        for i, g in enumerate(d.goals, start=1):
            rows.append(
                [
                    _p(g.words, s.cell),
                    _p(g.priority, s.cell),
                    _p("met" if g.met else "missed", s.cell if g.met else s.red),
                    _p(g.worst_outcome, s.cell),
                    _p(g.explanation, s.cell),
                ]
            )
            extra.append(("BACKGROUND", (3, i), (3, i), OUTCOME_FILLS.get(g.worst_outcome, colors.white)))
        return [
            *_section("Goals", s.h3),
            _table(rows, [0.16 * w, 0.08 * w, 0.07 * w, 0.09 * w, 0.6 * w], extra=extra),
        ]

    def frontier(self) -> list[Flowable]:
        """What each step up costs and buys: the chart, its points as a table, the budget's bind."""
        c, s, w = self.c, self.s, self.width
        if not c.frontier:
            return []
        h = c.header
        measure = "total" if h.budget_applies_to == "total" else "upfront"
        rows: list[list[Any]] = [
            [
                _p(t, s.head)
                for t in ("Point", "Design", measure.capitalize(), "Outlook down a year", "Budget")
            ]
        ]
        for f in c.frontier:
            rows.append(
                [
                    _p(f"{f.mark} {f.letter}", s.cell_bold),
                    _lines([f.title, f.adds], s.cell),
                    _p(self.money(f.cost_cents), s.money),
                    _p(f"{f.minutes:,.1f} min" if f.minutes < 10 else f"{f.minutes:,.0f} min", s.cell),
                    _p("within" if f.within_budget else "over", s.cell if f.within_budget else s.red),
                ]
            )
        drawing = frontier_drawing(c.frontier, h.budget_cents, h.currency, h.budget_applies_to, self.f)
        room = w - drawing.width - 14
        table = _table(rows, [0.08 * room, 0.5 * room, 0.17 * room, 0.13 * room, 0.12 * room])
        side = Table([[drawing, table]], colWidths=[drawing.width + 14, room])
        side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out: list[Flowable] = [
            *_section("What each step up costs and buys: cost against expected Outlook downtime", s.h2),
            _p(
                "Every architecture weighed, kept where no other design that meets the required goals is "
                f"both cheaper ({measure}, the budget's measure) and down less for Outlook. Filled markers "
                "are within the budget, hollow ones over it; the dashed line is the budget.",
                s.notice,
            ),
            side,
        ]
        if c.budget_sensitivity:
            out.append(_p(f"The budget binds: {c.budget_sensitivity}", s.body))
        return out

    def downtime(self, d: DesignColumn) -> list[Flowable]:
        s, w = self.s, self.width
        found = downtime_rows(d, self.c.services)
        if not found:
            return []
        heads = ("Service", "Expected down a year", "Availability", "Of which failovers", "Planned patching")
        rows: list[list[Any]] = [[_p(t, s.head) for t in (*heads, "Slowed (degraded)")]]
        rows += [[_p(v, s.cell) for v in r] for r in found]
        return [
            *_section(
                "Expected downtime (unplanned, failovers included; patching and slow time apart)", s.h3
            ),
            _table(rows, [0.2 * w, 0.14 * w, 0.22 * w, 0.14 * w, 0.14 * w, 0.16 * w]),
        ]

    def spofs(self, d: DesignColumn) -> list[Flowable]:
        s, w = self.s, self.width
        title = _section("Single points of failure", s.h3)
        if not d.single_points_of_failure:
            return [*title, _p("None: no single component's loss causes an outage.", s.body)]
        rows: list[list[Any]] = [
            [_p(t, s.head) for t in ("Component", "Kind", "Services cut off", "Explanation")]
        ]
        for p in d.single_points_of_failure:
            services = ", ".join(service_heading(x) for x in p.services)
            rows.append(
                [
                    _p(p.component, s.red),
                    _p(p.kind.replace("_", " "), s.cell),
                    _p(services, s.cell),
                    _p(p.explanation, s.cell),
                ]
            )
        return [*title, _table(rows, [0.1 * w, 0.1 * w, 0.16 * w, 0.64 * w])]

    def servers(self, d: DesignColumn) -> list[Flowable]:
        """Each server's capacity, its load normally and after the failure that loads it most."""
        if not d.servers:
            return []
        s, w = self.s, self.width
        head = ["Server", "Model and roles", "Capacity", "Normal load", "After the worst failure", "Sizing"]
        rows: list[list[Any]] = [[_p(t, s.head) for t in head]]
        extra: list[Any] = []
        for i, server in enumerate(d.servers, start=1):
            mailbox = is_mailbox(server)
            normal, worst = server.normal, server.worst_failure
            fits = within(server)
            rows.append(
                [
                    _p(server.name, s.cell_bold),
                    _lines([server.model, roles_text(server.roles)], s.small),
                    _lines(capacity_lines(server), s.small),
                    _lines(
                        [mailboxes_text(normal.active_mailboxes)] * mailbox + [load_text(normal, mailbox)],
                        s.small,
                    ),
                    _lines(
                        [mailboxes_text(worst.active_mailboxes)] * mailbox
                        + [load_text(worst, mailbox), worst_when(server)],
                        s.small,
                    ),
                    _lines(["within sizing"] if fits else ["PAST SIZING", *past_text(server)], s.small),
                ]
            )
            if not fits:
                extra.append(("BACKGROUND", (5, i), (5, i), PAST_FILL))
        widths = [0.07 * w, 0.15 * w, 0.22 * w, 0.16 * w, 0.18 * w, 0.22 * w]
        return [
            *_section("Servers and load", s.h3),
            *_kept(
                _p(
                    "What each Exchange server carries within its sizing, normally, and after the one "
                    "server failure that loads it most.",
                    s.notice,
                ),
                _table(rows, widths, extra=extra),
                len(rows),
            ),
        ]

    def layout(self, d: DesignColumn) -> list[Flowable]:
        """The database copy layout: databases down, servers across, activation preferences."""
        grid = layout_grid(d.servers, d.copy_layout)
        if not grid.rows:
            return []
        s, w = self.s, self.width
        head = ["Database", "Mailboxes", "Size (GB)", *grid.servers]
        rows: list[list[Any]] = [[_p(t, s.head) for t in head]]
        extra: list[Any] = []
        for i, row in enumerate(grid.rows, start=1):
            cells = []
            for j, pref in enumerate(row.preferences, start=3):
                cells.append(
                    _p("" if pref is None else f"{pref}" + (" active" if pref == 1 else ""), s.money)
                )
                if pref == 1:
                    extra.append(("BACKGROUND", (j, i), (j, i), ACTIVE_FILL))
            rows.append(
                [
                    _p(row.database, s.cell_bold),
                    _p(number(row.mailboxes, 0), s.money),
                    _p(number(row.size_gb), s.money),
                    *cells,
                ]
            )
        totals = [grid.copies_on(j) for j in range(len(grid.servers))]
        rows.append(
            [
                _p("Total", s.cell_bold),
                _p(number(grid.mailboxes, 0), s.money_bold),
                _p(number(grid.size_gb), s.money_bold),
                *(_p(f"{n} copies, {a} active", s.money_bold) for n, a in totals),
            ]
        )
        extra.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_FILL))
        server_w = min(0.12 * w, 0.7 * w / max(1, len(grid.servers)))
        widths = [0.1 * w, 0.08 * w, 0.08 * w, *[server_w] * len(grid.servers)]
        table = _table(rows, widths, extra=extra)
        table.hAlign = "LEFT"
        return [
            *_section("Database copy layout", s.h3),
            *_kept(_p(f"{LAYOUT_RULE} {failover_example(d.copy_layout)}", s.notice), table, len(rows)),
        ]

    def scenario_table(self, d: DesignColumn) -> Table:
        s, w = self.s, self.width
        services = list(self.c.services)
        head = ["Component", "Description", *(service_heading(x) for x in services), "Explanation"]
        rows: list[list[Any]] = [[_p(t, s.head) for t in head]]
        extra: list[Any] = []
        for i, row in enumerate(grid_rows(d, services), start=1):
            rows.append(
                [
                    _p(row.component, s.red if row.spof else s.cell),
                    _p(row.description, s.small),
                    *(_p(o, s.cell) for o in row.outcomes),
                    _p(row.explanation, s.small_red if row.spof else s.small),
                ]
            )
            for j, outcome in enumerate(row.outcomes, start=2):
                extra.append(("BACKGROUND", (j, i), (j, i), OUTCOME_FILLS.get(outcome, colors.white)))
        outcome_w = 0.075 * w
        widths = [0.08 * w, 0.16 * w, *[outcome_w] * len(services), w * (0.76 - 0.075 * len(services))]
        return _table(rows, widths, extra=extra)

    def assumptions(self) -> list[Flowable]:
        s, w, c = self.s, self.width, self.c
        rows: list[list[Any]] = [[_p(t, s.head) for t in ("Topic", "Value", "Basis")]]
        rows += [[_p(a.topic, s.cell_bold), _p(a.value, s.cell), _p(a.basis, s.cell)] for a in c.assumptions]
        prices: list[list[Any]] = [[_p(t, s.head) for t in ("SKU", "Description", "Price basis")]]
        prices += [[_p(b.sku, s.cell), _p(b.description, s.cell), _p(b.basis, s.cell)] for b in c.price_bases]
        return [
            _p("Price basis and assumptions", s.h2),
            _p(c.header.notice, s.notice),
            _table(rows, [0.16 * w, 0.34 * w, 0.5 * w]),
            *(
                [_p("How expected downtime is estimated", s.h3), _p(c.availability_method, s.body)]
                if c.availability_method
                else []
            ),
            Spacer(1, 4 * mm),
            KeepTogether([_p("Price basis per item", s.h3), _table(prices, [0.14 * w, 0.4 * w, 0.46 * w])]),
        ]


@dataclass(frozen=True)
class GridRow:
    component: str
    description: str
    outcomes: tuple[str, ...]
    explanation: str
    spof: bool


def grid_rows(d: DesignColumn, services: Sequence[str]) -> list[GridRow]:
    """The scenario grid as printed: one row per component, except that database copies
    alike (same state, same outcomes) share one row, so 40 databases do not take 80 rows.
    A scenario with an outage is a single point of failure, already explained above it."""
    explained = {p.component: p.explanation for p in d.single_points_of_failure}
    groups: dict[tuple[Any, ...], list[Scenario]] = {}
    for scenario in d.failure_scenarios:
        outcomes = tuple(scenario.outcomes.get(x, "") for x in services)
        spof = explained.get(scenario.component) == scenario.explanation
        key: tuple[Any, ...] = (scenario.component,)
        if scenario.kind == "database":
            key = ("database", scenario.description.split(" ")[0], outcomes, spof)
        groups.setdefault(key, []).append(scenario)
    rows = []
    for members in groups.values():
        first = members[0]
        outcomes = tuple(first.outcomes.get(x, "") for x in services)
        spof = explained.get(first.component) == first.explanation
        why = "Single point of failure: see the table above." if spof else first.explanation
        if len(members) == 1:
            rows.append(GridRow(first.component, first.description, outcomes, why, spof))
            continue
        names = [m.component for m in members]
        listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        state = first.description.split(" ")[0]
        why = why if spof else f"Each alike; for {first.component}: {first.explanation}"
        rows.append(GridRow(f"{len(members)} {state} copies", listed, outcomes, why, spof))
    return rows


def _numbered_canvas(doc: _Document) -> type[Canvas]:
    """A canvas that holds its pages until the end so each can say "page N of M"."""
    h, f = doc.c.header, doc.f
    left = printable(f"Quote comparison: {h.project}" if h.project else "Quote comparison")[:110]
    right = printable(" · ".join(x for x in (h.customer, h.prepared_by, h.date) if x))[:110]
    footer = printable(
        f"Estimates from price book {h.catalog_id} {h.catalog_version} (as of {h.catalog_as_of})"
    )

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = doc.page
            self.setFont(f.regular, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, height - 8 * mm, left)
            self.drawRightString(width - MARGIN, height - 8 * mm, right)
            self.drawString(MARGIN, 7 * mm, footer)
            self.drawRightString(width - MARGIN, 7 * mm, f"Page {self._pageNumber} of {total}")
            self.setStrokeColor(GRID)
            self.line(MARGIN, height - 9.5 * mm, width - MARGIN, height - 9.5 * mm)

    return NumberedCanvas


def render_pdf(comparison: Comparison, options: Options) -> Rendered:
    doc = _Document(comparison, options)
    buffer = io.BytesIO()
    h = comparison.header
    template = SimpleDocTemplate(
        buffer,
        pagesize=doc.page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Quote comparison: {h.project}" if h.project else "Quote comparison",
        author=h.prepared_by,
        subject=h.customer,
        creator="Exchange HA design-cost advisor",
    )
    template.build(doc.story(), canvasmaker=_numbered_canvas(doc))
    return Rendered(buffer.getvalue(), "application/pdf", quote_filename(comparison, "pdf"))
