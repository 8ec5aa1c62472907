"""The result in words for the page: money, plain-language designs, grouped failure scenarios, statuses."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.domain import (
    FAILURE_WORDS,
    OUTCOME_SEVERITY,
    OUTCOMES,
    SERVICES,
    Budget,
    CostReport,
    Design,
    DesignReport,
    Front,
    GoalReport,
    Request,
    SavedScenario,
    ScenarioReport,
    ServerLoad,
    ServerReport,
    ServiceAvailability,
    SpofReport,
    WeighedArchitecture,
    format_money,
    money_to_cents,
    windows_name,
)
from advisor.exports import servers as shared
from advisor.exports.components import load_balancer_hosts
from advisor.exports.frontier import minutes_text as minutes_text
from advisor.exports.frontier import nines_count as nines_count
from advisor.exports.frontier import nines_text as nines_text
from advisor.exports.servers import LAYOUT_RULE as LAYOUT_RULE
from advisor.exports.servers import (
    LayoutGrid,
    capacity_lines,
    is_mailbox,
    load_text,
    mailboxes_text,
    past_text,
    roles_text,
    survivor_lines,
    within,
    worst_when,
)
from advisor.exports.servers import failover_example as failover_example
from advisor.exports.servers import number as number
from advisor.exports.summary import DESIGN_LABELS
from advisor.web.controls import KIND_LABELS, SERVICE_LABELS, SERVICE_SHORT

STATUS_LABELS: dict[str, str] = {
    "recommended": "Recommended",
    "feasible": "Meets the goals",
    "over_budget": "Over budget",
    "misses_required_goal": "Misses a required goal",
    "not_allowed": "Not allowed",
}
STATUS_MARKS: dict[str, str] = {
    "recommended": "★",
    "feasible": "✓",
    "over_budget": "$",
    "misses_required_goal": "✗",
    "not_allowed": "⊘",
}
OUTCOME_LABELS: dict[str, str] = {
    "unaffected": "Unaffected",
    "failover": "Failover",
    "degraded": "Degraded",
    "outage": "Outage",
}
OUTCOME_MARKS: dict[str, str] = {"unaffected": "✓", "failover": "↻", "degraded": "↓", "outage": "✗"}
OUTCOME_HELP: dict[str, str] = {
    "unaffected": "keeps running",
    "failover": "brief automatic interruption",
    "degraded": "stays up but slow: a surviving server runs past its sizing",
    "outage": "down until someone acts or the part is repaired",
}
SIZING_LABELS: dict[bool, str] = {True: "Within sizing", False: "Past sizing"}
SIZING_MARKS: dict[bool, str] = {True: "✓", False: "▲"}
WITNESS_WORDS: dict[str, str] = {
    "existing": "a file share witness on an existing server",
    "buy": "a file share witness on a server bought for it",
    "cas_server": "a file share witness on a Client Access server",
    "none": "",
}


def money(cents: int | None, currency: str) -> str:
    """1728600, USD -> '17,286.00 USD'."""
    if cents is None:
        return "—"
    return format_money(cents, currency)


def service_label(service: str, short: bool = False) -> str:
    return (SERVICE_SHORT if short else SERVICE_LABELS).get(service, service)


def services_text(services: Sequence[str]) -> str:
    names = [service_label(s, short=True) for s in services]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _title(word: Any) -> str:
    return str(word or "").capitalize()


def design_words(design: Design, request: Request) -> str:
    """A design as a sentence a planner can read out: what to buy and how it fits together."""
    platform = request.platform
    n = design.exchange_servers
    servers = _count(n, "Exchange server")
    single_role = design.dedicated_cas_servers or len(design.spec.exchange_roles) == 1
    roles = "mailbox" if single_role else "multi-role"
    parts = [
        f"{servers} ({roles}, {design.server_model}) running Exchange {platform.exchange_version} "
        f"{_title(design.exchange_edition)} on Windows Server {windows_name(platform.windows_version)} "
        f"{_title(design.windows_edition)}"
    ]
    if design.dag:
        parts.append(
            "in a database availability group (DAG) with "
            f"{_count(design.database_copies, 'copy', 'copies')} of each database"
        )
    cas = design.dedicated_cas_servers
    units = design.load_balancers
    if design.spec.http_clients:
        parts.append(namespace_words(design))
    elif cas:
        parts.append(
            f"{_count(cas, 'dedicated Client Access and Hub Transport server')} "
            f"({design.cas_server_model}, Windows {_title(design.cas_windows_edition)}) "
            "in a Windows NLB cluster behind the CAS array name"
        )
    elif units == 2:
        parts.append(
            f"a CAS array behind an active/standby load-balancer pair ({design.load_balancer_model})"
        )
    elif units == 1:
        parts.append(f"a CAS array behind one load balancer ({design.load_balancer_model})")
    elif design.cas_array:
        parts.append("a CAS array whose name DNS resolves to the servers (no load balancer)")
    elif n > 1:
        parts.append("no CAS array, so Outlook connects to the one server named in RpcClientAccessServer")
    witness = WITNESS_WORDS.get(design.witness, "")
    if witness:
        parts.append(witness)
    if design.domain_controllers_added:
        parts.append(f"{_count(design.domain_controllers_added, 'new domain controller')}")
    return "; ".join(parts) + "."


def namespace_words(design: Design) -> str:
    """How clients of Exchange 2013 and later reach a design: one HTTP namespace, no CAS array."""
    spec, units = design.spec, design.load_balancers
    if spec.front is Front.WINDOWS_NLB:
        return (
            f"{_count(design.dedicated_cas_servers, 'dedicated Client Access server')} "
            f"({design.cas_server_model}, Windows {_title(design.cas_windows_edition)}) in a Windows NLB "
            "cluster that holds the client namespace"
        )
    if units:
        unit = "an active/standby load-balancer pair" if units == 2 else "one load balancer"
        return f"the client namespace behind {unit} ({design.load_balancer_model}), no session affinity"
    if spec.front is Front.DNS:
        return "the client namespace resolved by DNS round robin to every server"
    if design.exchange_servers > 1:
        return "the client namespace pointing at one server"
    return "the client namespace pointing at the server"


@dataclass(frozen=True)
class ScenarioRow:
    """One row of the failure-scenario grid: one component, or database copies that fare alike."""

    label: str
    kind: str
    components: tuple[str, ...]
    outcomes: dict[str, str]
    explanation: str
    spof: bool
    after: tuple[str, ...] = ()  # a server's failure: what each survivor then carries

    @property
    def worst(self) -> str:
        return max(self.outcomes.values(), key=OUTCOME_SEVERITY.__getitem__, default="unaffected")


def scenario_rows(recommendation: DesignReport) -> list[ScenarioRow]:
    """The failure scenarios as grid rows. Database copies that fare alike (every active copy,
    every passive copy) share a row, so 200 databases do not make 400 rows."""
    spofs = {s.component for s in recommendation.single_points_of_failure}
    entries: list[ScenarioRow | tuple[str, tuple[str, ...]]] = []
    groups: dict[tuple[str, tuple[str, ...]], list[ScenarioReport]] = {}
    for scenario in recommendation.failure_scenarios:
        outcomes = {s: scenario.outcomes.get(s, "unaffected") for s in SERVICES}
        if scenario.kind == "database":
            state = "active" if scenario.description.startswith("active") else "passive"
            key = (state, tuple(outcomes[s] for s in SERVICES))
            if key not in groups:
                groups[key] = []
                entries.append(key)
            groups[key].append(scenario)
            continue
        description = scenario.description or scenario.component
        entries.append(
            ScenarioRow(
                description[:1].upper() + description[1:],
                scenario.kind,
                (scenario.component,),
                outcomes,
                scenario.explanation,
                scenario.component in spofs,
                _survivors(scenario, recommendation.servers),
            )
        )
    return [e if isinstance(e, ScenarioRow) else _database_row(e, groups[e], spofs) for e in entries]


def _database_row(
    key: tuple[str, tuple[str, ...]], scenarios: list[ScenarioReport], spofs: set[str]
) -> ScenarioRow:
    state, _ = key
    components = tuple(s.component for s in scenarios)
    if len(scenarios) == 1:
        description = scenarios[0].description or components[0]
        label = description[:1].upper() + description[1:]
        explanation = scenarios[0].explanation
    else:
        label = f"Any {state} database copy ({len(scenarios)}: {_shortlist(components)})"
        explanation = "For example: " + scenarios[0].explanation
    outcomes = {s: scenarios[0].outcomes.get(s, "unaffected") for s in SERVICES}
    return ScenarioRow(
        label, "database", components, outcomes, explanation, any(c in spofs for c in components)
    )


def _shortlist(names: Sequence[str], limit: int = 4) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", … {len(names) - limit} more"


def budget_words(cost: CostReport, budget: Budget) -> str:
    """How the cost stands against the budget, in words."""
    currency = cost.currency
    applies = "total" if (cost.budget_applies_to or budget.applies_to) == "total" else "upfront"
    left = cost.budget_left_cents
    amount = money(budget.amount_cents, currency)
    if left is None:
        return ""
    if cost.within_budget:
        return f"{money(left, currency)} of the {amount} {applies} budget left"
    return f"{money(-left, currency)} over the {amount} {applies} budget"


def goal_tally(goals: Sequence[GoalReport]) -> tuple[int, int]:
    """How many goals a design meets, out of how many."""
    return sum(1 for g in goals if g.met), len(goals)


def document_budget(document: Mapping[str, Any] | None, currency: str = "") -> Budget:
    """The budget a request's JSON document gives (what a result link or a saved scenario holds)."""
    budget = (document or {}).get("budget") or {}
    amount = budget.get("amount")
    return Budget(
        money_to_cents(float(amount)) if isinstance(amount, int | float) else 0,
        str(budget.get("currency") or currency),
        "total" if budget.get("applies_to") == "total" else "upfront",
    )


def stored_budget(saved: SavedScenario) -> Budget:
    """The budget a saved scenario's request was priced against."""
    return document_budget(saved.request, saved.result.catalog.currency)


# ---------- servers, their load and the database copy layout ----------


def outcome_legend() -> list[tuple[str, str, str, str]]:
    """(outcome, mark, label, meaning) for every outcome, mildest first: the grid's legend."""
    return [(o, OUTCOME_MARKS[o], OUTCOME_LABELS[o], OUTCOME_HELP[o]) for o in OUTCOMES]


@dataclass(frozen=True)
class LoadView:
    """One situation of one server, in words."""

    mailboxes: str  # '300 active mailboxes' (empty for a Client Access server)
    detail: str  # 'CPU 3.6% busy, 8 GB memory, 36 IOPS'
    when: str  # 'when ex-2 fails', or why no failure adds to it


@dataclass(frozen=True)
class ServerRow:
    """One row of the "Servers and load" table."""

    name: str
    model: str
    roles: str
    capacity: tuple[str, ...]
    normal: LoadView
    worst: LoadView
    within: bool
    past: tuple[str, ...]  # what runs past its sizing, how far and when


def _load_view(load: ServerLoad, server: ServerReport, when: str) -> LoadView:
    mailbox = is_mailbox(server)
    return LoadView(mailboxes_text(load.active_mailboxes) if mailbox else "", load_text(load, mailbox), when)


def server_rows(report: DesignReport) -> list[ServerRow]:
    """The design's servers with what they can carry, and carry normally and at worst."""
    return [
        ServerRow(
            name=server.name,
            model=server.model,
            roles=roles_text(server.roles),
            capacity=tuple(capacity_lines(server)),
            normal=_load_view(server.normal, server, "in normal operation"),
            worst=_load_view(server.worst_failure, server, worst_when(server)),
            within=within(server),
            past=tuple(past_text(server)) if not within(server) else (),
        )
        for server in report.servers
    ]


def _survivors(scenario: ScenarioReport, servers: Sequence[ServerReport]) -> tuple[str, ...]:
    return tuple(survivor_lines(scenario.load, servers))


def layout_grid(report: DesignReport) -> LayoutGrid:
    """The design's copy layout as a grid: databases down, servers across."""
    return shared.layout_grid(report.servers, report.copy_layout)


# ---------- expected downtime and the frontier ----------


def availability_rows(report: DesignReport) -> list[tuple[str, ServiceAvailability]]:
    """(service label, its figures) for every service the design's availability covers."""
    if report.availability is None:
        return []
    services = report.availability.services
    return [(service_label(s), services[s]) for s in SERVICES if s in services]


def outlook_downtime(report: DesignReport) -> str:
    """'24 minutes a year (99.9954%, four nines)' for Outlook, or '' when not estimated."""
    if report.availability is None or "outlook" not in report.availability.services:
        return ""
    found = report.availability.services["outlook"]
    return (
        f"{minutes_text(found.expected_outage_minutes_per_year)} minutes a year "
        f"({nines_text(found.availability)}, {nines_count(found.availability)})"
    )


# ---------- words a customer reads ----------

_GOAL_ID = re.compile(r"\b(" + "|".join(FAILURE_WORDS) + r")/(" + "|".join(SERVICES) + r")\b")


def goal_words(failure: str, service: str) -> str:
    """('load_balancer', 'outlook') -> 'Outlook staying up when a load balancer fails'."""
    return f"{service_label(service, short=True)} staying up when {FAILURE_WORDS.get(failure, failure)}"


def customer_text(text: str) -> str:
    """An engine sentence with goal ids ('database/outlook') in words."""
    return _GOAL_ID.sub(lambda m: goal_words(m.group(1), m.group(2)), text)


def missed_goals_sentence(goals: Sequence[GoalReport]) -> str:
    """'It meets 4 of 5 goals; it misses Outlook staying up when a load balancer fails (preferred).'"""
    met, total = goal_tally(goals)
    head = f"It meets {met} of {total} goal{'s' if total != 1 else ''}"
    missed = [g for g in goals if not g.met]
    if not missed:
        return head + "."
    words = [f"{goal_words(g.failure, g.service)} ({g.priority})" for g in missed]
    listed = words[0] if len(words) == 1 else "; ".join(words[:-1]) + "; and " + words[-1]
    return f"{head}; it misses {listed}."


def nothing_fits(weighed: Sequence[WeighedArchitecture], request: Request) -> tuple[str, str]:
    """When no architecture meets the required goals at any price: the headline naming what
    binds (the size, a rule, a goal) and the reason quoted from the engine."""
    reasons = Counter(r for w in weighed for r in w.reasons)
    common = reasons.most_common(1)[0][0] if reasons else ""
    ruled_out = all(w.status == "not_allowed" for w in weighed)
    if ruled_out and weighed and all(_sizing(w.reasons) for w in weighed):
        return (
            f"No architecture can carry {request.mailboxes:,} mailboxes in {request.databases} "
            "databases: the size rules out every design, whatever the budget",
            customer_text(common),
        )
    if ruled_out:
        return "Every architecture is ruled out for this request", customer_text(common)
    site = any(g.failure == "site" and g.priority == "required" for g in request.goals)
    tail = " Surviving the loss of the site needs a second site, which is not modelled yet." if site else ""
    return (
        "Every design that can be built misses a required goal",
        "The table below says which rule stands in the way of each. Make a goal preferred or "
        "remove it." + tail,
    )


def _sizing(reasons: Sequence[str]) -> bool:
    return any("sizing" in r for r in reasons)


def weighed_status(w: WeighedArchitecture, ranks: Mapping[str, int]) -> tuple[str, str]:
    """(mark, label) of a weighed architecture: #1 is the recommendation, the rest alternatives,
    as their cards say."""
    if w.status == "recommended":
        rank = ranks.get(w.architecture, 1)
        return ("★", "Recommended") if rank == 1 else ("☆", f"Alternative #{rank}")
    return STATUS_MARKS.get(w.status, ""), STATUS_LABELS.get(w.status, w.status)


def weighed_reasons(w: WeighedArchitecture, budget: Budget) -> list[str]:
    """A weighed architecture's reasons in customer words. An over-budget row speaks of its own
    cheapest design (the engine's sentence reads as if it were the cheapest of all, which the
    headline's minimum budget is)."""
    if w.status == "over_budget" and w.cost is not None:
        currency = w.cost.currency
        measure = w.cost.measure(budget.applies_to)
        return [
            f"Its cheapest design that meets every required goal costs {money(measure, currency)} "
            f"{budget.applies_to}, {money(measure - budget.amount_cents, currency)} more than the budget "
            f"of {money(budget.amount_cents, currency)}."
        ]
    return [customer_text(r) for r in w.reasons]


def ranks_of(recommendations: Sequence[Any]) -> dict[str, int]:
    """Each recommended architecture's rank."""
    return {r.architecture: r.rank for r in recommendations}


def design_label(field: str) -> str:
    """A design fact's name in words: 'domain_controllers_added' -> 'Domain controllers to buy'."""
    return DESIGN_LABELS.get(field, field.replace("_", " ").capitalize())


def spof_kind(report: DesignReport, spof: SpofReport) -> str:
    """What a single point of failure is, in words: a hypervisor host running virtual load
    balancers is named as the host, not as a load balancer."""
    if spof.component in load_balancer_hosts(report.failure_scenarios):
        return "hypervisor host"
    return kind_label(spof.kind).lower()
