"""The rows every format shows the same way: the header's facts and the side-by-side summary."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain import Design, windows_name
from advisor.exports.frontier import minutes_text, nines_text
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
        ("windows", "Windows", windows_name(h.windows)),
        ("mailboxes", "Mailboxes and databases", f"{h.mailboxes} mailboxes, {h.databases} databases"),
        ("goals", "Goals", "; ".join(g.words() for g in h.goals) or "none"),
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
    return (
        "; ".join(f"{s.component} ({s.kind.replace('_', ' ')})" for s in d.single_points_of_failure) or "none"
    )


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
        row("goals_met", "Goals met", ["; ".join(g.words for g in d.goals_met) or "none" for d in designs]),
        row(
            "goals_missed",
            "Goals missed",
            ["; ".join(g.words for g in d.goals_missed) or "none" for d in designs],
        ),
        row(
            "expected_outlook_downtime",
            "Expected Outlook downtime a year",
            [downtime_text(d, "outlook") for d in designs],
        ),
        row("single_points_of_failure", "Single points of failure", [spof_text(d) for d in designs]),
    ]


# A design's facts by their contract names, in words a customer reads (PDF and XLSX).
DESIGN_LABELS: dict[str, str] = {
    "exchange_servers": "Exchange servers",
    "dedicated_cas_servers": "Dedicated Client Access servers",
    "dag": "Database availability group (DAG)",
    "cas_array": "CAS array",
    "load_balancers": "Load-balancer units",
    "witness": "File share witness",
    "windows_edition": "Windows Server edition",
    "exchange_edition": "Exchange edition",
    "server_model": "Server model",
    "database_copies": "Copies of each database",
    "domain_controllers_added": "Domain controllers to buy",
    "load_balancer_model": "Load-balancer model",
    "cas_server_model": "Client Access server model",
    "cas_windows_edition": "Client Access servers' Windows edition",
    "cas_exchange_edition": "Client Access servers' Exchange edition",
    "disk_model": "Disk model",
    "disks_per_server": "Disks per server",
}
WITNESS_WORDS = {
    "existing": "on an existing server",
    "buy": "on a server bought for it",
    "cas_server": "on a Client Access server",
    "none": "none",
}


def design_facts(design: Design) -> list[tuple[str, str]]:
    """(label, value) for each of a design's facts that has a value (Exchange 2013 and later
    have no CAS array, so that fact is left out for them)."""
    out = []
    for key, value in design.facts().items():
        if value is None or (key == "cas_array" and design.spec.http_clients):
            continue
        shown = WITNESS_WORDS.get(str(value), str(value)) if key == "witness" else plain(value)
        out.append((DESIGN_LABELS.get(key, key.replace("_", " ").capitalize()), shown))
    return out


def downtime_text(d: DesignColumn, service: str) -> str:
    """'24 minutes (99.9954%)', or 'not estimated'."""
    found = d.availability.services.get(service) if d.availability is not None else None
    if found is None:
        return "not estimated"
    return (
        f"{minutes_text(found.expected_outage_minutes_per_year)} minutes ({nines_text(found.availability)})"
    )
