"""Turn designs, quotes and analyses into the contract's response dictionaries (DESIGN.md)."""

from __future__ import annotations

from typing import Any

from advisor.architectures import ARCHITECTURE_INFO
from advisor.catalog import Catalog
from advisor.domain import Cost, Design, Request, cents_to_money, format_money
from advisor.failures import Analysis
from advisor.pricing import Quote


def cost_dict(cost: Cost, request: Request, catalog: Catalog, budget_given: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "upfront": cents_to_money(cost.upfront_cents),
        "annual": cents_to_money(cost.annual_cents),
        "total": cents_to_money(cost.total_cents),
        "currency": catalog.currency,
        "horizon_years": cost.horizon_years,
        "within_budget": None,
        "budget_left": None,
    }
    if budget_given:
        left = request.budget.amount_cents - cost.measure(request.budget.applies_to)
        out["within_budget"] = left >= 0
        out["budget_left"] = cents_to_money(left)
        out["budget_applies_to"] = request.budget.applies_to
    return out


def bill_dicts(quote: Quote) -> list[dict[str, Any]]:
    return [
        {
            "sku": line.sku,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": cents_to_money(line.unit_price_cents),
            "unit_annual": cents_to_money(line.unit_annual_cents),
            "upfront": cents_to_money(line.upfront_cents),
            "annual": cents_to_money(line.annual_cents),
        }
        for line in quote.lines
    ]


def goal_dicts(analysis: Analysis, request: Request) -> list[dict[str, Any]]:
    out = []
    for (failure, service), goal in request.goal_pairs().items():
        outcome, component = analysis.coverage[(failure, service)]
        entry: dict[str, Any] = {
            "failure": failure,
            "service": service,
            "priority": goal.priority,
            "weight": goal.weight,
            "met": outcome != "outage",
            "worst_outcome": outcome,
        }
        if outcome == "outage":
            entry["component"] = component
            entry["explanation"] = analysis.why_not(failure, service)
        out.append(entry)
    return out


def spof_dicts(analysis: Analysis) -> list[dict[str, Any]]:
    return [
        {"component": s.component, "kind": s.kind, "services": list(s.services), "explanation": s.explanation}
        for s in analysis.single_points_of_failure
    ]


def scenario_dicts(analysis: Analysis) -> list[dict[str, Any]]:
    return [
        {
            "component": s.component,
            "kind": s.kind,
            "description": s.description,
            "outcomes": s.outcomes,
            "explanation": s.explanation,
        }
        for s in analysis.scenarios
    ]


def notes(design: Design, analysis: Analysis, request: Request, catalog: Catalog, quote: Quote) -> list[str]:
    """What a planner must also do or know, with the rule behind each note."""
    out: list[str] = []
    topology = analysis.topology
    transport = topology.transport_servers
    if len(transport) > 1:
        out.append(
            f"Configure mail flow for redundancy at no cost: MX records (or the inbound "
            f"SMTP address) pointing at {', '.join(transport)}, and every one of them listed "
            "as a source server on the send connector (rule transport.redundancy)."
        )
    if design.dag:
        out.append("Turn on Datacenter Activation Coordination (DAC) mode for the DAG (rule dag.dac_mode).")
        out.append(
            f"With {design.database_copies} copies of each database, keep database disks "
            "on RAID; JBOD needs at least 3 copies (rule dag.storage_copies)."
        )
        if design.witness == "existing":
            out.append(
                "The witness file share goes on an existing server that is neither a DAG "
                "member nor, ideally, a domain controller (rule dag.witness)."
            )
        elif design.witness == "cas_server":
            out.append(
                "The witness file share goes on cas-1, a Hub Transport server outside the "
                "DAG, as Exchange 2010 does by default (rule dag.witness)."
            )
    if design.architecture == "dag_only":
        out.append(
            "Outlook clients connect to ex-1, the RpcClientAccessServer of every database; "
            "a CAS array created before the databases avoids re-homing later "
            "(rule ex2010.rpc_client_access)."
        )
    if design.architecture == "dedicated_cas_wnlb":
        out.append(
            "Windows NLB notices a server that stops answering but not a failed service; "
            "monitor the Exchange services on the NLB nodes (rule wnlb.server_health)."
        )
    if len(topology.domain_controllers) == 1:
        out.append(
            "With one domain controller, its loss stops every Exchange service; add a "
            "second global catalog (rule ad.global_catalog)."
        )
    out.append(
        "With one datacenter, a site outage takes every service down; surviving it needs a "
        "second site and the witness in a third (rule site.single)."
    )
    owned = request.environment.cals_owned
    if owned:
        out.append(
            f"{min(owned, request.mailboxes)} Exchange Standard CALs already owned are not "
            "bought again (rule licence.cal)."
        )
    out.append(
        "Windows Server CALs are assumed to be owned already: the users log on to the existing domain."
    )
    if request.budget.applies_to == "upfront" and quote.cost.annual_cents:
        out.append(
            f"Annual support and Software Assurance of "
            f"{format_money(quote.cost.annual_cents, catalog.currency)} a year are outside "
            "the upfront budget."
        )
    return out


def design_report(
    design: Design,
    quote: Quote,
    analysis: Analysis,
    request: Request,
    catalog: Catalog,
    budget_given: bool = True,
    extra_notes: list[str] | None = None,
) -> dict[str, Any]:
    """A recommendation's fields without `rank` (which is what `analyze` answers)."""
    return {
        "architecture": design.architecture,
        "title": ARCHITECTURE_INFO[design.architecture].title,
        "design": design.to_dict(),
        "bill_of_materials": bill_dicts(quote),
        "cost": cost_dict(quote.cost, request, catalog, budget_given),
        "goals": goal_dicts(analysis, request),
        "single_points_of_failure": spof_dicts(analysis),
        "failure_scenarios": scenario_dicts(analysis),
        "notes": [*(extra_notes or []), *notes(design, analysis, request, catalog, quote)],
        "catalog": catalog.summary(),
    }
