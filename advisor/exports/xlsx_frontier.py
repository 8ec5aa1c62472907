"""The workbook's frontier sheet and each design sheet's expected-downtime block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from advisor.domain import service_heading
from advisor.exports.frontier import MEASURE_WORDS
from advisor.exports.model import Comparison, DesignColumn

FRONTIER_HEADER = (
    "Point",
    "Marker",
    "Architecture",
    "Design",
    "Cost",
    "Expected Outlook downtime (minutes a year)",
    "Within budget",
    "What it adds over the point before",
)
DOWNTIME_HEADER = (
    "Service",
    "Expected downtime (minutes a year)",
    "Availability",
    "Of which failovers (minutes)",
    "Planned patching (minutes)",
    "Slowed, degraded (minutes)",
)


class Sheet(Protocol):
    """What these blocks need of the workbook's sheet wrapper (to_xlsx._Sheet)."""

    ws: Any
    s: Any

    def text(self, row: int, col: int, value: str, fmt: Any = None) -> None: ...
    def money(self, row: int, col: int, cents: int | None, fmt: Any = None) -> None: ...
    def figure(self, row: int, col: int, value: float, fmt: Any = None) -> None: ...
    def header(self, row: int, titles: Sequence[str]) -> None: ...
    def print_setup(self, paper: str, repeat_row: int | None = None) -> None: ...


def frontier_sheet(sheet: Sheet, c: Comparison, paper: str) -> None:
    """The designs no other weighed design beats on both cost and expected Outlook downtime,
    cheapest first, with what each step adds; what the budget stands in the way of; the method."""
    s, h = sheet.s, c.header
    measure = MEASURE_WORDS.get(h.budget_applies_to, "Cost")
    sheet.text(0, 0, "What each step up costs and buys: cost against expected Outlook downtime", s.title)
    sheet.text(
        1,
        0,
        f"Cost is the budget's measure ({measure.lower()}); budget {h.money(h.budget_cents)}. "
        "Every architecture weighed, kept where no other design that meets the required goals is both "
        "cheaper and down less for Outlook.",
        s.italic,
    )
    sheet.header(3, [*FRONTIER_HEADER[:4], f"{measure} ({h.currency})", *FRONTIER_HEADER[5:]])
    row = 4
    for f in c.frontier:
        sheet.text(row, 0, f.letter, s.bold)
        sheet.text(row, 1, f"{f.mark} {f.shape.replace('_', ' ')}{'' if f.within_budget else ', hollow'}")
        sheet.text(row, 2, f.architecture)
        sheet.text(row, 3, f.title)
        sheet.money(row, 4, f.cost_cents)
        sheet.ws.write_number(row, 5, round(f.minutes, 2), s.number)
        sheet.text(row, 6, "yes" if f.within_budget else "no")
        sheet.text(row, 7, f.adds)
        row += 1
    row += 1
    if c.budget_sensitivity:
        sheet.text(row, 0, "The budget binds", s.bold)
        sheet.text(row, 3, c.budget_sensitivity)
        row += 2
    if c.availability_method:
        sheet.text(row, 0, "How expected downtime is estimated", s.bold)
        sheet.text(row, 3, c.availability_method)
    for col, width in enumerate((8, 16, 26, 44, 16, 18, 10, 70)):
        sheet.ws.set_column(col, col, width)
    sheet.ws.freeze_panes(4, 0)
    sheet.print_setup(paper, 3)


def downtime_block(sheet: Sheet, row: int, d: DesignColumn, services: Sequence[str]) -> int:
    """Each service's expected downtime a year as figures; returns the row after the block."""
    if d.availability is None:
        return row
    s = sheet.s
    sheet.text(row, 0, "Expected downtime a year (unplanned, failovers included)", s.bold)
    sheet.header(row + 1, DOWNTIME_HEADER)
    row += 2
    for service in services:
        a = d.availability.services.get(service)
        if a is None:
            continue
        sheet.text(row, 0, service_heading(service))
        sheet.ws.write_number(row, 1, a.expected_outage_minutes_per_year, s.number)
        sheet.ws.write_number(row, 2, a.availability, s.nines)
        sheet.ws.write_number(row, 3, a.failover_minutes_per_year, s.number)
        sheet.ws.write_number(row, 4, a.planned_minutes_per_year, s.number)
        sheet.ws.write_number(row, 5, a.degraded_minutes_per_year, s.number)
        row += 1
    return row + 1
