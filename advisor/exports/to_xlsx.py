"""The comparison as an XLSX workbook: Summary, one sheet per design (its bill of materials,
servers and load, and database copy layout), Scenarios and Assumptions.

Totals are formulas over the line items (line = quantity x unit price, design = SUM, total
= upfront + Horizon_years x annual) and the Summary sheet points at the design sheets, so a
planner who edits a quantity, the budget or the horizon sees every total follow. Each
formula also carries its computed value, so readers that do not calculate (openpyxl,
previewers) show the same figures as the JSON response.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from advisor.domain import ServerReport, service_heading
from advisor.exports.base import Options, Rendered, quote_filename
from advisor.exports.model import Comparison, DesignColumn, GoalResult
from advisor.exports.safety import neutralise_formula
from advisor.exports.servers import (
    LAYOUT_RULE,
    failover_example,
    is_mailbox,
    layout_grid,
    past_text,
    roles_text,
    survivor_lines,
    within,
)
from advisor.exports.summary import design_facts, header_rows, summary_rows
from advisor.exports.xlsx_frontier import downtime_block, frontier_sheet

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAPER_CODES = {"A4": 9, "Letter": 1}
BOM_HEADER = (
    "SKU",
    "Description",
    "Quantity",
    "Unit price",
    "Unit annual",
    "Upfront",
    "Annual",
    "Price basis",
)
FIRST_LINE_ROW = 4
OUTCOME_COLOURS = {
    "unaffected": "#D9EAD3",
    "failover": "#FCE8B2",
    "degraded": "#F6B26B",
    "outage": "#F4C7C3",
}
ACTIVE_COLOUR = "#D9EAD3"
PAST_COLOUR = "#F6B26B"
SHARED_SHEETS = ("Summary", "Frontier", "Scenarios", "Assumptions")
SERVERS_HEADER = (
    "Server",
    "Measure",
    "Capacity",
    "Normal",
    "After the worst failure",
    "Server failed",
    "Within capacity",
    "Notes",
)


def sheet_names(designs: Sequence[DesignColumn]) -> list[str]:
    """Unique sheet names of at most 31 characters without the characters Excel forbids."""
    names: list[str] = []
    for d in designs:
        letter = d.label.removeprefix("Option ")
        base = re.sub(r"[\[\]:*?/\\']", "_", f"{letter} {d.architecture}")[:31]
        name, n = base, 2
        while name.lower() in {x.lower() for x in [*names, *SHARED_SHEETS]}:
            name, n = f"{base[:27]} ({n})", n + 1
        names.append(name)
    return names


def _ref(sheet: str, row: int, col: int) -> str:
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!{xl_rowcol_to_cell(row, col)}"


class _Styles:
    def __init__(self, book: Workbook, currency: str):
        code = currency if re.fullmatch(r"[A-Z]{3}", currency) else ""
        unit = f' "{code}"' if code else ""
        money = f"#,##0.00{unit};[Red]-#,##0.00{unit}"
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True, "valign": "top"})
        self.italic = add({"italic": True, "font_color": "#555555"})
        self.warning = add({"bold": True, "font_color": "#8A1C14", "bg_color": "#FFF1CC"})
        self.head = add(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#1F4E78",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.text = add({"text_wrap": True, "valign": "top"})
        self.label = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF3F8"})
        self.integer = add({"num_format": "0", "valign": "top", "bg_color": "#FFF9E5"})
        self.money = add({"num_format": money, "valign": "top"})
        self.money_bold = add({"num_format": money, "bold": True, "valign": "top", "top": 1})
        self.money_input = add({"num_format": money, "valign": "top", "bg_color": "#FFF9E5"})
        self.percent = add({"num_format": "0%", "valign": "top"})
        self.outcome = {
            k: add({"bg_color": v, "valign": "top", "border": 1}) for k, v in OUTCOME_COLOURS.items()
        }
        self.whole = add({"num_format": "#,##0", "valign": "top"})
        self.number = add({"num_format": "#,##0.0#", "valign": "top"})
        self.share = add({"num_format": "0.0%", "valign": "top"})
        self.nines = add({"num_format": "0.0000%", "valign": "top"})
        self.preference = add({"num_format": "0", "align": "center", "valign": "top", "border": 1})
        self.active = add(
            {
                "num_format": "0",
                "align": "center",
                "valign": "top",
                "border": 1,
                "bold": True,
                "bg_color": ACTIVE_COLOUR,
            }
        )
        self.no_copy = add({"valign": "top", "border": 1})
        self.past = add({"text_wrap": True, "valign": "top", "bg_color": PAST_COLOUR})
        self.past_figure = add({"num_format": "#,##0.0#", "valign": "top", "bg_color": PAST_COLOUR})
        self.past_share = add({"num_format": "0.0%", "valign": "top", "bg_color": PAST_COLOUR})


@dataclass
class _Sheet:
    """A worksheet that only ever writes text as text, neutralised against formula injection."""

    ws: Worksheet
    s: _Styles

    def text(self, row: int, col: int, value: str, fmt: Any = None) -> None:
        self.ws.write_string(row, col, neutralise_formula(value), fmt or self.s.text)

    def money(self, row: int, col: int, cents: int | None, fmt: Any = None) -> None:
        if cents is None:
            self.ws.write_blank(row, col, None, fmt or self.s.money)
        else:
            self.ws.write_number(row, col, cents / 100, fmt or self.s.money)

    def figure(self, row: int, col: int, value: float, fmt: Any = None) -> None:
        """A number: whole ones without decimals, others with one or two; `fmt` to override."""
        whole = float(value).is_integer()
        self.ws.write_number(row, col, value, fmt or (self.s.whole if whole else self.s.number))

    def formula(self, row: int, col: int, formula: str, value: float | str, fmt: Any = None) -> None:
        self.ws.write_formula(row, col, formula, fmt or self.s.money, value)

    def header(self, row: int, titles: Sequence[str]) -> None:
        for col, title in enumerate(titles):
            self.text(row, col, title, self.s.head)

    def print_setup(self, paper: str, repeat_row: int | None = None) -> None:
        self.ws.set_landscape()
        self.ws.set_paper(PAPER_CODES[paper])
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        self.ws.set_footer("&LExchange HA quote comparison&RPage &P of &N")
        if repeat_row is not None:
            self.ws.repeat_rows(repeat_row)


@dataclass(frozen=True)
class _Totals:
    """Where a design sheet keeps its figures, for the Summary sheet's formulas."""

    upfront: str
    annual: str
    total: str
    budget_left: str | None


def _design_sheet(sheet: _Sheet, name: str, d: DesignColumn, c: Comparison, paper: str) -> _Totals:
    ws, s = sheet.ws, sheet.s
    sheet.text(0, 0, f"{d.label}: {d.architecture} — {d.title}", s.title)
    sheet.text(
        1, 0, f"{d.source}; {d.budget_text(c.header)}. Edit a quantity and the totals follow.", s.italic
    )
    sheet.header(FIRST_LINE_ROW - 1, BOM_HEADER)
    row = FIRST_LINE_ROW
    for line in d.lines:
        q, unit, annual = (xl_rowcol_to_cell(row, col) for col in (2, 3, 4))
        sheet.text(row, 0, line.sku)
        sheet.text(row, 1, line.description)
        ws.write_number(row, 2, line.quantity, s.integer)
        sheet.money(row, 3, line.unit_price_cents, s.money_input)
        sheet.money(row, 4, line.unit_annual_cents, s.money_input)
        sheet.formula(row, 5, f"={q}*{unit}", line.upfront_cents / 100)
        sheet.formula(row, 6, f"={q}*{annual}", line.annual_cents / 100)
        sheet.text(row, 7, line.basis)
        row += 1
    if not d.lines:
        row += 1  # an empty line, so the SUM never covers its own row
    first, last = FIRST_LINE_ROW + 1, max(row, FIRST_LINE_ROW + 1)
    sums, total_row, left_row = row, row + 1, row + 2
    upfront, annual = f"F{sums + 1}", f"G{sums + 1}"
    sheet.text(sums, 1, "Totals", s.bold)
    sheet.formula(sums, 5, f"=SUM(F{first}:F{last})", d.upfront_cents / 100, s.money_bold)
    sheet.formula(sums, 6, f"=SUM(G{first}:G{last})", d.annual_cents / 100, s.money_bold)
    own = d.own_terms(c.header)  # priced under its own scenario's terms: they stay on its sheet
    years, budget = f"E{total_row + 1}", f"E{left_row + 1}"
    if own:
        sheet.text(total_row, 1, "Total over this design's horizon: upfront + years x annual", s.bold)
        ws.write_number(total_row, 4, d.horizon_years, s.integer)
    else:
        sheet.text(total_row, 1, "Total over the horizon: upfront + Horizon_years x annual", s.bold)
        sheet.formula(total_row, 4, "=Horizon_years", d.horizon_years, s.integer)
        years = "Horizon_years"
    sheet.formula(total_row, 5, f"={upfront}+{years}*{annual}", d.total_cents / 100, s.money_bold)
    budget_left = None
    if d.budget_left_cents is not None:
        applies_to = (d.budget_applies_to if own else None) or c.header.budget_applies_to
        measure = f"F{total_row + 1}" if applies_to == "total" else upfront
        sheet.text(left_row, 1, f"Budget left (budget minus the {applies_to} cost)", s.bold)
        if own and d.budget_cents is not None:
            sheet.money(left_row, 4, d.budget_cents, s.money_input)
        else:
            budget = "Budget"
        sheet.formula(left_row, 5, f"={budget}-{measure}", d.budget_left_cents / 100)
        sheet.text(left_row + 1, 1, "Within budget", s.bold)
        within = "yes" if d.within_budget else "no"
        sheet.formula(left_row + 1, 5, f'=IF(F{left_row + 1}>=0,"yes","no")', within, s.text)
        budget_left = _ref(name, left_row, 5)
    row = left_row + 3
    row = _facts(sheet, row, "Design", design_facts(d.design))
    row = downtime_block(sheet, row, d, c.services)
    row = _servers_block(sheet, row, d)
    row = _layout_block(sheet, row, d)
    row = _facts(sheet, row, "Goals", [(g.words, _goal_text(g)) for g in d.goals] or [("none", "")])
    spofs = [(p.component, p.explanation) for p in d.single_points_of_failure]
    row = _facts(sheet, row, "Single points of failure", spofs or [("none", "")])
    if d.reasons:
        row = _facts(sheet, row, "Why it was not recommended", [("", r) for r in d.reasons])
    _facts(sheet, row, "Notes", [("", n) for n in d.notes])
    for col, width in enumerate((18, 62, 10, 14, 14, 15, 15, 55)):
        ws.set_column(col, col, width)
    ws.freeze_panes(FIRST_LINE_ROW, 0)
    sheet.print_setup(paper, FIRST_LINE_ROW - 1)
    return _Totals(_ref(name, sums, 5), _ref(name, sums, 6), _ref(name, total_row, 5), budget_left)


def _measures(server: ServerReport) -> list[tuple[str, float, float, float, bool]]:
    """(measure, capacity, normal, worst failure, percent?) for each of a server's limits."""
    cap, normal, worst = server.capacity, server.normal, server.worst_failure
    copies = server.database_copies
    rows = [
        ("Active mailboxes", cap.mailboxes, normal.active_mailboxes, worst.active_mailboxes, False),
        (
            "CPU busy (capacity: what sizing allows)",
            cap.cpu_ceiling,
            normal.cpu_utilisation,
            worst.cpu_utilisation,
            True,
        ),
        ("Memory (GB)", cap.memory_gb, normal.memory_gb, worst.memory_gb, False),
        ("Disk IOPS", cap.iops, normal.iops, worst.iops, False),
        ("Disk space (GB)", cap.disk_gb, server.disk_gb, server.disk_gb, False),
        ("Database copies mounted", cap.database_copies, copies, copies, False),
    ]
    return rows if is_mailbox(server) else [rows[1], rows[2]]


def _servers_block(sheet: _Sheet, row: int, d: DesignColumn) -> int:
    """Each server's limits: its capacity, its load normally and after the one server failure
    that loads it most, marked where the load runs past the capacity; returns the row after it."""
    if not d.servers:
        return row
    s = sheet.s
    sheet.text(row, 0, "Servers and load", s.bold)
    sheet.header(row + 1, SERVERS_HEADER)
    row += 2
    for server in d.servers:
        fits = within(server)
        notes = f"{server.model}: {roles_text(server.roles)}"
        if not fits:
            notes += ". PAST SIZING: " + "; ".join(past_text(server))
        for i, (measure, capacity, normal, worst, share) in enumerate(_measures(server)):
            sheet.text(row, 0, server.name, s.bold if i == 0 else s.text)
            sheet.text(row, 1, measure)
            sheet.figure(row, 2, capacity, s.share if share else None)
            held = True
            for col, value in ((3, normal), (4, worst)):
                past = bool(capacity) and value > capacity + 1e-9
                held = held and not past
                fmt = (s.past_share if share else s.past_figure) if past else (s.share if share else None)
                sheet.figure(row, col, value, fmt)
            sheet.text(row, 5, server.worst_failure.failed or "none")
            sheet.text(row, 6, "yes" if held else "no", s.text if held else s.past)
            sheet.text(row, 7, notes if i == 0 else "", s.text if fits or i else s.past)
            row += 1
    return row + 1


def _layout_block(sheet: _Sheet, row: int, d: DesignColumn) -> int:
    """The database copy layout as the Exchange Role Requirements Calculator lays it out: a row
    per database, a column per server, the activation preference in the cells."""
    grid = layout_grid(d.servers, d.copy_layout)
    if not grid.rows:
        return row
    s, ws = sheet.s, sheet.ws
    sheet.text(row, 0, "Database copy layout", s.bold)
    sheet.text(row + 1, 1, f"{LAYOUT_RULE} {failover_example(d.copy_layout)}", s.italic)
    titles = ("Database", "Copies by activation preference", "Mailboxes", "Size (GB)", *grid.servers)
    sheet.header(row + 2, titles)
    row += 3
    for entry in grid.rows:
        placed = sorted(
            (p, name) for name, p in zip(grid.servers, entry.preferences, strict=True) if p is not None
        )
        words = ", ".join(f"{name} ({p}{', active' if p == 1 else ''})" for p, name in placed)
        sheet.text(row, 0, entry.database, s.bold)
        sheet.text(row, 1, words)
        sheet.figure(row, 2, entry.mailboxes)
        sheet.figure(row, 3, entry.size_gb)
        for col, pref in enumerate(entry.preferences, start=4):
            if pref is None:
                ws.write_blank(row, col, None, s.no_copy)
            else:
                ws.write_number(row, col, pref, s.active if pref == 1 else s.preference)
        row += 1
    sheet.text(row, 0, "Total", s.bold)
    sheet.figure(row, 2, grid.mailboxes)
    sheet.figure(row, 3, grid.size_gb)
    for col in range(len(grid.servers)):
        copies, active = grid.copies_on(col)
        sheet.text(row, 4 + col, f"{copies} copies, {active} active", s.bold)
    return row + 2


def _goal_text(g: GoalResult) -> str:
    state = "met" if g.met else "MISSED"
    why = f": {g.explanation}" if g.explanation else ""
    return f"{state} ({g.priority}; worst outcome {g.worst_outcome}){why}"


def _facts(sheet: _Sheet, row: int, title: str, pairs: Sequence[tuple[str, str]]) -> int:
    """A titled block of (name, text) rows in columns A and B; returns the row after it."""
    sheet.text(row, 0, title, sheet.s.bold)
    for i, (key, value) in enumerate(pairs, start=1):
        sheet.text(row + i, 0, key, sheet.s.text)
        sheet.text(row + i, 1, value, sheet.s.text)
    return row + len(pairs) + 2


def _summary_sheet(
    sheet: _Sheet, book: Workbook, c: Comparison, totals: Sequence[_Totals], paper: str
) -> None:
    ws, s, h = sheet.ws, sheet.s, c.header
    sheet.text(0, 0, f"Quote comparison: {h.project or 'Exchange high availability'}", s.title)
    sheet.text(1, 0, h.notice, s.italic)
    if c.lifecycle_warnings:
        sheet.text(2, 0, " ".join(c.lifecycle_warnings), s.warning)
    row = 3
    for item in header_rows(c):
        sheet.text(row, 0, item.label, s.label)
        value = item.values[0]
        if item.key == "budget":
            sheet.money(row, 1, h.budget_cents, s.money_input)
            book.define_name("Budget", f"=Summary!$B${row + 1}")
        elif item.key == "horizon_years":
            ws.write_number(row, 1, h.horizon_years, s.integer)
            book.define_name("Horizon_years", f"=Summary!$B${row + 1}")
        else:
            sheet.text(row, 1, str(value or ""))
        row += 1
    row += 1
    table = row
    sheet.text(table, 0, "", s.head)
    for col, d in enumerate(c.designs, start=1):
        sheet.text(table, col, d.name, s.head)
    rows = {r.key: r for r in summary_rows(c)}
    positions = {key: table + 1 + i for i, key in enumerate(rows)}
    for key, item in rows.items():
        r = positions[key]
        label = item.label
        if key == "total" and not any(d.horizon_years != h.horizon_years for d in c.designs):
            sheet.formula(r, 0, '="Total over "&Horizon_years&" years"', item.label, s.label)
        else:
            sheet.text(r, 0, label, s.label)
        for col, (d, t) in enumerate(zip(c.designs, totals, strict=True), start=1):
            _summary_cell(sheet, key, r, col, d, t, positions, item.values[col - 1])
    sheet.text(table + len(rows) + 2, 0, h.notice, s.italic)
    ws.set_column(0, 0, 26)
    ws.set_column(1, max(1, len(c.designs)), 34)
    ws.freeze_panes(table + 1, 1)
    sheet.print_setup(paper, table)


def _summary_cell(
    sheet: _Sheet, key: str, row: int, col: int, d: DesignColumn, t: _Totals, at: dict[str, int], value: Any
) -> None:
    left = xl_rowcol_to_cell(at["budget_left"], col)
    linked = {
        "upfront": (t.upfront, d.upfront_cents),
        "annual": (t.annual, d.annual_cents),
        "total": (t.total, d.total_cents),
    }
    if key in linked:
        ref, cents = linked[key]
        sheet.formula(row, col, f"={ref}", cents / 100, sheet.s.money_bold if key == "total" else None)
    elif t.budget_left is None and key in ("budget_left", "over_budget_by", "within_budget"):
        sheet.text(row, col, "no budget given" if key == "within_budget" else "")
    elif key == "budget_left":
        sheet.formula(row, col, f"={t.budget_left}", (d.budget_left_cents or 0) / 100)
    elif key == "over_budget_by":
        sheet.formula(row, col, f"=MAX(0,-{left})", d.over_budget_by_cents / 100)
    elif key == "within_budget":
        sheet.formula(row, col, f'=IF({left}>=0,"yes","no")', str(value), sheet.s.text)
    else:
        sheet.text(row, col, str(value))


def _scenarios_sheet(sheet: _Sheet, c: Comparison, paper: str) -> None:
    services = list(c.services)
    titles = [
        "Design",
        "Architecture",
        "Component",
        "Kind",
        "Description",
        *(service_heading(x) for x in services),
        "Explanation",
        "Load on the surviving servers",
    ]
    sheet.header(0, titles)
    row = 1
    for d in c.designs:
        for scenario in d.failure_scenarios:
            for col, value in enumerate(
                (d.label, d.architecture, scenario.component, scenario.kind, scenario.description)
            ):
                sheet.text(row, col, value)
            for i, service in enumerate(services, start=5):
                outcome = scenario.outcomes.get(service, "")
                sheet.text(row, i, outcome, sheet.s.outcome.get(outcome, sheet.s.text))
            sheet.text(row, 5 + len(services), scenario.explanation)
            survivors = survivor_lines(scenario.load, d.servers)
            if survivors:
                fits = all(load.within_sizing for load in (scenario.load or {}).values())
                fmt = sheet.s.text if fits else sheet.s.past
                sheet.text(row, 6 + len(services), "; ".join(survivors), fmt)
            row += 1
    widths = (10, 24, 12, 16, 34, *(13 for _ in services), 90, 60)
    for col, width in enumerate(widths):
        sheet.ws.set_column(col, col, width)
    sheet.ws.freeze_panes(1, 3)
    sheet.ws.autofilter(0, 0, max(row - 1, 1), len(titles) - 1)
    sheet.print_setup(paper, 0)


def _assumptions_sheet(sheet: _Sheet, c: Comparison, paper: str) -> None:
    s = sheet.s
    sheet.text(0, 0, c.header.notice, s.bold)
    sheet.header(2, ("Topic", "Value", "Basis"))
    row = 3
    for a in c.assumptions:
        sheet.text(row, 0, a.topic)
        sheet.text(row, 1, a.value)
        sheet.text(row, 2, a.basis)
        row += 1
    row += 1
    sheet.header(row, ("SKU", "Description", "Price basis"))
    for b in c.price_bases:
        row += 1
        sheet.text(row, 0, b.sku)
        sheet.text(row, 1, b.description)
        sheet.text(row, 2, b.basis)
    sheet.ws.set_column(0, 0, 24)
    sheet.ws.set_column(1, 1, 60)
    sheet.ws.set_column(2, 2, 90)
    sheet.ws.freeze_panes(3, 0)
    sheet.print_setup(paper, 2)


def render_xlsx(comparison: Comparison, options: Options) -> Rendered:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = _Styles(book, comparison.header.currency)
    summary = _Sheet(book.add_worksheet("Summary"), styles)
    names = sheet_names(comparison.designs)
    totals = [
        _design_sheet(_Sheet(book.add_worksheet(name), styles), name, d, comparison, options.paper)
        for name, d in zip(names, comparison.designs, strict=True)
    ]
    _summary_sheet(summary, book, comparison, totals, options.paper)
    if comparison.frontier:
        frontier_sheet(_Sheet(book.add_worksheet("Frontier"), styles), comparison, options.paper)
    _scenarios_sheet(_Sheet(book.add_worksheet("Scenarios"), styles), comparison, options.paper)
    _assumptions_sheet(_Sheet(book.add_worksheet("Assumptions"), styles), comparison, options.paper)
    book.set_properties({"title": "Exchange HA quote comparison", "comments": comparison.header.notice})
    book.close()
    return Rendered(buffer.getvalue(), MEDIA_TYPE, quote_filename(comparison, "xlsx"))
