"""Turn designs, quotes and analyses into the typed results the use cases answer (DESIGN.md)."""

from __future__ import annotations

from datetime import date

from advisor.assess import Assessment
from advisor.availability import estimate
from advisor.catalog.model import Catalog
from advisor.domain import (
    AvailabilityReport,
    Budget,
    CatalogRef,
    CopyReport,
    CostReport,
    DatabaseLayout,
    Design,
    DesignReport,
    Front,
    GoalReport,
    LifecycleReport,
    Quote,
    Request,
    ScenarioReport,
    SpofReport,
    format_money,
    windows_name,
)
from advisor.failures import Analysis
from advisor.sizing import database_size_note


def catalog_ref(catalog: Catalog) -> CatalogRef:
    """What every quote names: the price book it was priced from."""
    return CatalogRef(catalog.id, catalog.version, catalog.currency, catalog.as_of)


def cost_report(quote: Quote, catalog: Catalog, budget: Budget | None) -> CostReport:
    cost = quote.cost
    return CostReport(cost.upfront_cents, cost.annual_cents, cost.horizon_years, catalog.currency, budget)


def goal_reports(analysis: Analysis, request: Request) -> tuple[GoalReport, ...]:
    out = []
    for (failure, service), goal in request.goal_pairs().items():
        outcome, component = analysis.coverage[(failure, service)]
        missed = not analysis.meets(failure, service)
        out.append(
            GoalReport(
                failure=failure,
                service=service,
                priority=goal.priority,
                weight=goal.weight,
                met=not missed,
                worst_outcome=outcome,
                component=component if missed else None,
                explanation=analysis.why_not(failure, service) if missed else None,
            )
        )
    return tuple(out)


def spof_reports(analysis: Analysis) -> tuple[SpofReport, ...]:
    return tuple(
        SpofReport(s.component, s.kind, s.services, s.explanation) for s in analysis.single_points_of_failure
    )


def scenario_reports(analysis: Analysis) -> tuple[ScenarioReport, ...]:
    return tuple(
        ScenarioReport(s.component, s.kind, s.description, s.outcomes, s.explanation, s.load)
        for s in analysis.scenarios
    )


def copy_layout(assessment: Assessment) -> tuple[DatabaseLayout, ...]:
    """Every database with its mailboxes, size and copies in activation-preference order."""
    sizing = assessment.sizing
    names = sizing.mailbox_servers
    return tuple(
        DatabaseLayout(
            database=f"db-{d + 1}",
            mailboxes=size,
            size_gb=round(sizing.copy_gb(size), 1),
            copies=tuple(CopyReport(names[s], i + 1) for i, s in enumerate(servers)),
        )
        for d, (size, servers) in enumerate(zip(sizing.sizes, sizing.layout.databases, strict=True))
    )


def sizing_notes(design: Design, assessment: Assessment, request: Request, catalog: Catalog) -> list[str]:
    """What the design's sizing says a planner must know: past its sizing in normal operation
    or after a failure, databases over Microsoft's size guidance."""
    out: list[str] = []
    for overload in assessment.undersized:
        out.append(
            f"Undersized: {overload.server} needs {overload.share:.0%} of the {overload.resource} it is "
            "sized for in normal operation, before any failure (rule sizing.failure_mode)."
        )
    failed = assessment.degraded_by()
    if failed and not assessment.undersized:
        out.append(
            f"Sized for normal operation only: after {_either(failed)} fails, a survivor runs past "
            "its sizing, which degrades the services it carries (rule sizing.failure_mode)."
        )
    oversized = database_size_note(request, assessment.sizing.rules, design.database_copies)
    if oversized:
        out.append(oversized)
    return out


def _names_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _either(names: list[str] | tuple[str, ...]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def notes(design: Design, analysis: Analysis, request: Request, catalog: Catalog, quote: Quote) -> list[str]:
    """What a planner must also do or know, with the rule behind each note."""
    out: list[str] = []
    topology = analysis.topology
    spec = design.spec
    transport = topology.transport_servers
    if len(transport) > 1:
        out.append(
            f"Configure mail flow for redundancy at no cost: MX records (or the inbound "
            f"SMTP address) pointing at {', '.join(transport)}, and every one of them listed "
            "as a source server on the send connector (rule transport.redundancy)."
        )
    if spec.dag:
        out.append("Turn on Datacenter Activation Coordination (DAC) mode for the DAG (rule dag.dac_mode).")
        if request.storage == "jbod":
            out.append(
                f"JBOD: each of the {design.database_copies} copies of a database sits on one disk, "
                "with one hot spare per server for AutoReseed; the other copies are its redundancy "
                "(rule dag.storage_copies)."
            )
        else:
            out.append(
                f"With {design.database_copies} copies of each database, keep database disks "
                "on RAID 10; JBOD needs at least 3 copies (rule dag.storage_copies)."
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
        if spec.http_clients and spec.front is Front.ONE_SERVER:
            out.append(
                "The client namespace (one name for Outlook, OWA and ActiveSync) resolves to ex-1 alone: "
                "any server proxies to the active copy, so database failovers are invisible, but "
                "ex-1's shutdown needs the name repointed in DNS (rule ex2013.single_namespace)."
            )
        elif not spec.cas_array and not spec.http_clients:
            out.append(
                "Outlook clients connect to ex-1, the RpcClientAccessServer of every database: the "
                "layout assumes every database was created on ex-1, which then also carries every "
                "client's Client Access load; a CAS array created before the databases avoids "
                "re-homing later (rule ex2010.rpc_client_access)."
            )
        if spec.http_clients and spec.front is Front.DNS:
            out.append(
                "Publish the namespace with one DNS record per member and a short TTL: HTTP clients "
                "retry the next address after about 20 seconds, but nothing checks a service's "
                "health, so a failed service on a running server still takes its clients "
                "(rule ex2013.dns_round_robin)."
            )
        if spec.http_clients and spec.front is Front.LOAD_BALANCER:
            out.append(
                "No session affinity is needed: layer 4 is enough, and layer 7 with a health probe "
                "per protocol (/owa/healthcheck.htm, /mapi/healthcheck.htm, /Microsoft-Server-"
                "ActiveSync/healthcheck.htm …) takes a failed service out of rotation, not only a "
                "dead server (rule ex2013.no_affinity)."
            )
    facts = catalog.exchange[request.platform.exchange_version]
    update = facts.windows_minimum_update.get(request.platform.windows_version)
    if update:
        out.append(
            f"Exchange {request.platform.exchange_version} runs on Windows Server "
            f"{windows_name(request.platform.windows_version)} from {update} on: install {update} or "
            "later (rule exchange.windows_support)."
        )
    if facts.subscription:
        out.append(
            f"Exchange {request.platform.exchange_version} needs active Software Assurance (or subscription "
            "licences) on every server licence and CAL: the annual Software Assurance in the cost is "
            "not optional (rule licence.se_subscription)."
        )
    unit = catalog.windows_units.get((request.platform.windows_version, design.windows_edition))
    if unit is not None and unit.per == "core_pack":
        packs = catalog.windows_licences(
            request.platform.windows_version, design.windows_edition, catalog.servers[design.server_model]
        )
        out.append(
            f"Windows Server {windows_name(request.platform.windows_version)} is licensed per core: "
            f"{packs} two-core packs per {design.server_model} server ({packs * unit.pack_cores} cores, "
            f"at least {unit.min_cores_per_server} a server) (rule licence.windows_per_core)."
        )
    if spec.dag and request.platform.exchange_version in ("2016", "2019", "SE"):
        out.append(
            "Every DAG member runs the same Windows Server version; a new Windows version means "
            "new servers in a new DAG, not an in-place upgrade (rule ex2016.dag_same_windows)."
        )
    hosts = sorted(c.id for c in topology.components.values() if c.id.startswith("hv-"))
    if hosts:
        units = _names_list([c.id for c in topology.components.values() if c.id.startswith("lb-")])
        if len(hosts) < design.load_balancers:
            out.append(
                f"The virtual load balancers {units} both run on the hypervisor host {hosts[0]} "
                f"(environment.hypervisor_hosts = {request.environment.hypervisor_hosts}): the host is a "
                "single point of failure, and the two units are no pair until one moves to a second "
                "host (rule lb.virtual_host)."
            )
        elif len(hosts) > 1:
            out.append(
                f"The virtual load balancers {units} run on the hypervisor hosts {_names_list(hosts)}, one "
                "each; keep them apart (anti-affinity), as two units on one host are no pair (rule "
                "lb.virtual_host)."
            )
        else:
            out.append(
                f"The virtual load balancer {units} runs on the hypervisor host {hosts[0]}, which fails with "
                "it (rule lb.virtual_host)."
            )
    if spec.front is Front.WINDOWS_NLB:
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
    assessment: Assessment,
    request: Request,
    catalog: Catalog,
    budget_given: bool = True,
    extra_notes: list[str] | None = None,
    today: str | None = None,
    availability: AvailabilityReport | None = None,
) -> DesignReport:
    """A design's report: what `analyze` answers, and each recommendation without its rank.
    `availability`: the assessment's expected downtime when the caller has it already (else it
    is estimated here)."""
    analysis = assessment.analysis
    day = today or date.today().isoformat()
    support = lifecycle_reports(request, catalog, day)
    extra = [
        *lifecycle_notes(support),
        *(extra_notes or []),
        *sizing_notes(design, assessment, request, catalog),
    ]
    return DesignReport(
        architecture=design.architecture,
        title=design.spec.title,
        design=design,
        bill_of_materials=quote.lines,
        cost=cost_report(quote, catalog, request.budget if budget_given else None),
        goals=goal_reports(analysis, request),
        single_points_of_failure=spof_reports(analysis),
        failure_scenarios=scenario_reports(analysis),
        notes=(*extra, *notes(design, analysis, request, catalog, quote)),
        catalog=catalog_ref(catalog),
        servers=assessment.servers,
        copy_layout=copy_layout(assessment),
        lifecycle=support,
        exchange_version=request.platform.exchange_version,
        availability=(
            availability
            if availability is not None
            else estimate(analysis, assessment.doubles, design, request, catalog)
        ),
    )


def lifecycle_reports(request: Request, catalog: Catalog, day: str) -> tuple[LifecycleReport, ...]:
    """The support of the request's Exchange and Windows versions on `day` (an ISO date)."""
    p = request.platform
    found = []
    for key in (("exchange", p.exchange_version), ("windows", p.windows_version)):
        entry = catalog.lifecycle.get(key)
        if entry is not None:
            found.append(LifecycleReport(entry.product, entry.end_of_support, entry.supported_on(day)))
    return tuple(found)


def lifecycle_notes(support: tuple[LifecycleReport, ...]) -> list[str]:
    """A warning, first among the notes, for each product out of support (on the day `support`
    was looked up; the sentence names no day, so a quote reads the same whenever it is re-run)."""
    return [
        f"Out of support: {s.product} left extended support on {s.end_of_support}, so it gets no "
        "security updates; plan the migration, or price a supported version (rule lifecycle.support)."
        for s in support
        if not s.supported
    ]
