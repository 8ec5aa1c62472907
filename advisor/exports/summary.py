"""The rows every format shows the same way: the header's facts and the side-by-side summary."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.exports.model import Comparison, DesignColumn
from advisor.exports.servers import load_summary

Value = str | int | None


@dataclass(frozen=True)
class Row:
    """One row: `key` is the JSON-style name (CSV), `label` the words (XLSX, PDF).
    With `money`, the values are integer cents."""

    key: str
    label: str
    values: tuple[Value, ...]
    money: bool = False


def header_rows(comparison: Comparison) -> list[Row]:
    h = comparison.header
    rows: list[tuple[str, str, Value]] = [
        ("project", "Project", h.project),
        ("customer", "Customer", h.customer),
        ("prepared_by", "Prepared by", h.prepared_by),
        ("date", "Date", h.date),
        ("catalog", "Price book", f"{h.catalog_id} {h.catalog_version}, as of {h.catalog_as_of}"),
        ("currency", "Currency", h.currency),
        ("budget", "Budget", h.budget_cents),
        ("budget_applies_to", "Budget applies to", f"{h.budget_applies_to} cost"),
        ("horizon_years", "Horizon (years)", str(h.horizon_years)),
        ("exchange", "Exchange", h.exchange),
        ("windows", "Windows", h.windows),
        ("mailboxes", "Mailboxes and databases", f"{h.mailboxes} mailboxes, {h.databases} databases"),
        ("goals", "Goals", "; ".join(g.text() for g in h.goals) or "none"),
    ]
    return [Row(key, label, (value,), money=key == "budget") for key, label, value in rows]


def _servers(d: DesignColumn) -> str:
    design = d.design
    text = f"{design.exchange_servers} Exchange ({design.server_model})"
    if design.dedicated_cas_servers:
        text += f" + {design.dedicated_cas_servers} Client Access ({design.cas_server_model or ''})"
    if design.load_balancers:
        units = design.load_balancers
        text += f" + {units} load balancer{'s' if units > 1 else ''} ({design.load_balancer_model or ''})"
    return text


def _editions(d: DesignColumn) -> str:
    return f"Windows {d.design.windows_edition}, Exchange {d.design.exchange_edition}"


def _within(d: DesignColumn) -> str:
    return "no budget given" if d.within_budget is None else ("yes" if d.within_budget else "no")


def plain(value: object) -> str:
    """A design fact in words: yes and no for flags."""
    return "yes" if value is True else "no" if value is False else str(value)


def spof_text(d: DesignColumn) -> str:
    return "; ".join(f"{s.component} ({s.kind})" for s in d.single_points_of_failure) or "none"


def summary_rows(comparison: Comparison) -> list[Row]:
    designs = comparison.designs
    years = comparison.header.horizon_years
    total = (
        "Total over each design's horizon"
        if any(d.horizon_years != years for d in designs)
        else f"Total over {years} years"
    )

    def row(key: str, label: str, values: list[Value], money: bool = False) -> Row:
        return Row(key, label, tuple(values), money)

    return [
        row("architecture", "Architecture", [d.architecture for d in designs]),
        row("title", "What it is", [d.title for d in designs]),
        row("source", "Source", [d.source for d in designs]),
        row("servers", "Servers", [_servers(d) for d in designs]),
        row(
            "server_load",
            "Server load, normally and after one server fails",
            [load_summary(d.servers) for d in designs],
        ),
        row("editions", "Editions", [_editions(d) for d in designs]),
        row("lifecycle", "Support", [d.support_text for d in designs]),
        row("upfront", "Upfront", [d.upfront_cents for d in designs], money=True),
        row("annual", "Annual", [d.annual_cents for d in designs], money=True),
        row("total", total, [d.total_cents for d in designs], money=True),
        row("within_budget", "Within budget", [_within(d) for d in designs]),
        row("budget_left", "Budget left", [d.budget_left_cents for d in designs], money=True),
        row("over_budget_by", "Over budget by", [d.over_budget_by_cents for d in designs], money=True),
        row("goals_met", "Goals met", ["; ".join(g.name for g in d.goals_met) or "none" for d in designs]),
        row(
            "goals_missed",
            "Goals missed",
            ["; ".join(g.name for g in d.goals_missed) or "none" for d in designs],
        ),
        row("single_points_of_failure", "Single points of failure", [spof_text(d) for d in designs]),
    ]
