"""The form's controls: each request field's label, help text, choices and default (the seed case)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from advisor.domain import (
    EXCHANGE_VERSIONS,
    FAILURE_KINDS,
    FAILURE_WORDS,
    SERVICES,
    WINDOWS_VERSIONS,
    service_heading,
)

Kind = Literal["money", "integer", "number", "text", "code", "radio", "select"]
PRIORITIES: tuple[str, ...] = ("required", "preferred", "none")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Control:
    """One form control; its name is the request field's JSON path (`budget.amount`)."""

    name: str
    label: str
    kind: Kind
    help: str
    default: str
    choices: tuple[Choice, ...] = ()
    maxlength: int | None = None
    unit: str = ""

    @property
    def id(self) -> str:
        return control_id(self.name)


def control_id(name: str) -> str:
    """The HTML id of a control: `budget.amount` -> `f-budget-amount`."""
    return "f-" + name.replace(".", "-").replace("_", "-")


# The services' and failures' names are the domain's (one definition); the form adds what a
# short name leaves unsaid.
_SERVICE_HINTS = {"owa": "Outlook on the web", "activesync": "phones"}
SERVICE_SHORT: dict[str, str] = {s: service_heading(s) for s in SERVICES}
SERVICE_LABELS: dict[str, str] = {
    s: f"{service_heading(s)} ({_SERVICE_HINTS[s]})" if s in _SERVICE_HINTS else service_heading(s)
    for s in SERVICES
}
FAILURE_LABELS: dict[str, str] = {
    kind: words[:1].upper() + words[1:] for kind, words in FAILURE_WORDS.items()
}
FAILURE_HELP: dict[str, str] = {
    "database": "One database copy or its disk. A DAG with a second copy fails over in about 30 seconds.",
    "server": "Any one Exchange server goes down completely. Exchange 2010: without a CAS array, Outlook "
    "stays cut off from the server named in RpcClientAccessServer, and behind DNS alone clients that "
    "resolved to the lost server stay cut off. 2013 and later: a namespace on one server cuts clients "
    "off, DNS round robin is a failover of about 20 seconds. A load balancer, or Windows NLB on "
    "dedicated Client Access servers (2010 and 2013), keeps them working.",
    "load_balancer": "Any one load-balancer unit. A single load balancer is a single point of failure; "
    "an active/standby pair is not. A design without a load balancer meets this goal.",
    "witness": "The DAG's file share witness. A two-member DAG survives losing the witness alone.",
    "domain_controller": "One domain controller / global catalog. With two or more, Exchange uses another.",
    "site": "The whole datacenter. With one site this is an outage of everything; the advisor says so "
    "rather than hiding it, so a required site goal cannot be met yet.",
}
KIND_LABELS: dict[str, str] = {
    "database": "Database copy",
    "server": "Server",
    "load_balancer": "Load balancer",
    "witness": "Witness",
    "domain_controller": "Domain controller",
    "site": "Site",
}
PRIORITY_LABELS: dict[str, str] = {"required": "Required", "preferred": "Preferred", "none": "Not needed"}
PRIORITY_HELP = (
    "Required: a design that lets this service go down on this failure is not recommended. "
    "Preferred: counts for the design by its weight (breaks ties on cost, or is what "
    "“most goals” maximises). Not needed: ignored."
)

# The seed case of the product brief: two DAG servers on Exchange 2010 and Windows 2008 R2.
SEED_GOALS: dict[tuple[str, str], str] = {
    ("database", "outlook"): "required",
    ("database", "owa"): "required",
    ("server", "outlook"): "required",
    ("server", "owa"): "required",
    ("server", "smtp_inbound"): "required",
    ("load_balancer", "outlook"): "preferred",
    ("load_balancer", "owa"): "preferred",
}
SEED_WEIGHTS: dict[str, str] = {"load_balancer": "5"}
DEFAULT_WEIGHT = "1"

_WINDOWS_VERSION_LABELS = {v: v.replace("R2", " R2") for v in WINDOWS_VERSIONS}


def _choices(pairs: list[tuple[str, str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(v, label, text) for v, label, text in pairs)


PROJECT: tuple[Control, ...] = (
    Control("project.name", "Project name", "text", "Printed on the result and the exports.", "", (), 200),
    Control("project.customer", "Customer", "text", "Who the quote is for.", "", (), 200),
    Control("project.prepared_by", "Prepared by", "text", "Your name, as the quote's author.", "", (), 200),
)

BUDGET: tuple[Control, ...] = (
    Control(
        "budget.amount",
        "Budget",
        "money",
        "What the customer may spend, in the catalog's currency. Designs that cost more are shown as "
        "over budget, with the amount that stands in the way.",
        "30000",
        unit="budget.currency",
    ),
    Control(
        "budget.currency",
        "Currency",
        "code",
        "Three-letter code; it must be the currency the catalog prices in (USD for the shipped one).",
        "USD",
        maxlength=3,
    ),
    Control(
        "budget.applies_to",
        "The budget covers",
        "radio",
        "Which cost the budget is compared with.",
        "upfront",
        _choices(
            [
                (
                    "upfront",
                    "Upfront purchase only",
                    "Hardware and licences bought now; yearly support "
                    "and Software Assurance are shown but not counted against the budget.",
                ),
                (
                    "total",
                    "Total over the horizon",
                    "Upfront plus every year of support and Software Assurance over the horizon below.",
                ),
            ]
        ),
    ),
    Control(
        "horizon_years",
        "Horizon (years)",
        "integer",
        "Years the total cost covers: upfront + years × annual. 1 to 10.",
        "3",
    ),
)

PLATFORM: tuple[Control, ...] = (
    Control(
        "exchange.version",
        "Exchange version",
        "select",
        "2010: Outlook reaches a Client Access server over RPC, so a CAS array and "
        "RpcClientAccessServer decide what a server shutdown does. 2013 and later: every client speaks "
        "HTTP to one namespace and there is no CAS array; behind DNS round robin a client retries the "
        "next address after about 20 seconds, a load balancer needs no session affinity, and 2016 and "
        "later have only the Mailbox role. A version out of support may still be planned (migrations "
        "are): the result then says so.",
        "2010",
        _choices([(v, f"Exchange {v}", "") for v in EXCHANGE_VERSIONS]),
    ),
    Control(
        "exchange.edition",
        "Exchange edition",
        "radio",
        "Standard also supports a DAG; the edition decides how many databases a server may mount.",
        "any",
        _choices(
            [
                ("any", "Let the advisor choose", "The cheaper edition that fits the databases."),
                (
                    "standard",
                    "Standard",
                    "At most 5 mounted databases per server, active and passive "
                    "copies counted: two servers holding a copy of every database top out at 5 databases.",
                ),
                (
                    "enterprise",
                    "Enterprise",
                    "Up to 100 mounted databases per server, at a much higher server licence price.",
                ),
            ]
        ),
    ),
    Control(
        "windows.version",
        "Windows Server version",
        "select",
        "Exchange 2010 SP3 runs on 2008 SP2, 2008 R2 SP1, 2012 and 2012 R2; 2013 SP1 on 2008 R2 SP1, "
        "2012 and 2012 R2; 2016 on 2012, 2012 R2 and 2016 (CU3 or later); 2019 on 2019, 2022 (CU12 or "
        "later) and 2025 (CU15 or later); SE on 2019, 2022 and 2025. The menu offers the versions the "
        "chosen Exchange runs on; any other pair is refused, naming the versions that fit.",
        "2008R2",
        _choices([(v, f"Windows Server {_WINDOWS_VERSION_LABELS[v]}", "") for v in WINDOWS_VERSIONS]),
    ),
    Control(
        "windows.edition",
        "Windows edition",
        "radio",
        "Every DAG member needs failover clustering.",
        "any",
        _choices(
            [
                ("any", "Let the advisor choose", "The cheapest edition each server's role allows."),
                (
                    "standard",
                    "Standard",
                    "Windows Server 2008 and 2008 R2 Standard have no failover "
                    "clustering, so a DAG needs Enterprise there and Standard leaves only the single-server "
                    "design; from 2012 on Standard clusters.",
                ),
                (
                    "enterprise",
                    "Enterprise",
                    "2008 and 2008 R2 only: has failover clustering, so it can "
                    "run DAG members. The edition is gone from 2012 on.",
                ),
                ("datacenter", "Datacenter", "Clusters on every version; priced far above Standard."),
            ]
        ),
    ),
)

SIZE: tuple[Control, ...] = (
    Control(
        "mailboxes", "Mailboxes", "integer", "Mailboxes to carry; sizes the servers. 1 to 100,000.", "300"
    ),
    Control(
        "databases",
        "Mailbox databases",
        "integer",
        "The mailboxes are spread evenly over them; every copy of a database counts against the "
        "edition's mounted-database limit of the server holding it. 1 to 200.",
        "4",
    ),
    Control(
        "mailbox_profile.messages_per_day",
        "Messages per user a day",
        "integer",
        "Sent and received, 50 to 500: sizes each server's CPU, memory and disk IOPS with "
        "Microsoft's per-message figures (the catalog's sizing.toml names their sources).",
        "100",
    ),
    Control(
        "mailbox_profile.mailbox_size_gb",
        "Mailbox size (GB)",
        "number",
        "The quota each user fills, in GB: sizes the databases and their disks.",
        "2",
    ),
    Control(
        "database_copies",
        "Copies of each database",
        "integer",
        "2 to 4, one per server at most. Every server is sized so that after any one server fails "
        "its survivors still carry every active copy within their limits.",
        "2",
    ),
    Control(
        "storage",
        "Database disks",
        "radio",
        "How each server's database disks are built.",
        "raid",
        _choices(
            [
                ("raid", "RAID 10", "Half the disks hold data; each write costs two."),
                (
                    "jbod",
                    "JBOD (3 or more copies)",
                    "One disk per copy with a hot spare per server for AutoReseed; needs at least 3 "
                    "copies of each database.",
                ),
            ]
        ),
    ),
)

ENVIRONMENT: tuple[Control, ...] = (
    Control(
        "environment.domain_controllers",
        "Domain controllers already running",
        "integer",
        "Domain controllers / global catalogs in the site. Exchange stops without one; with one, that "
        "DC is a single point of failure; two is best practice.",
        "2",
    ),
    Control(
        "environment.witness_host",
        "DAG witness",
        "radio",
        "A DAG with an even number of members needs a witness server that is not a DAG member.",
        "existing",
        _choices(
            [
                (
                    "existing",
                    "An existing server hosts it",
                    "A file share on a server you already run "
                    "(not a DAG member and, ideally, not a domain controller). Costs nothing.",
                ),
                (
                    "buy",
                    "Buy a server for it",
                    "The design includes a small witness server and its Windows licence.",
                ),
            ]
        ),
    ),
    Control(
        "environment.sites",
        "Datacenter sites",
        "integer",
        "Only single-site designs are modelled yet, so this must be 1: a site loss is then an "
        "outage of everything, and the result says so.",
        "1",
    ),
    Control(
        "environment.hypervisor_hosts",
        "Hypervisor hosts for virtual load balancers",
        "integer",
        "Hosts a virtual load-balancer appliance can run on. Two units on one host are no pair: "
        "the host is then a single point of failure.",
        "2",
    ),
    Control(
        "environment.cals_owned",
        "Exchange Standard CALs already owned",
        "integer",
        "Client access licences the customer already has; only the missing ones are bought. The "
        "example filled in runs Exchange already, so its 300 users are licensed.",
        "300",
    ),
)

OUTPUT: tuple[Control, ...] = (
    Control(
        "objective",
        "What counts as best",
        "radio",
        "How the designs that meet every required goal are ranked.",
        "min_cost",
        _choices(
            [
                ("min_cost", "Cheapest", "The lowest cost wins; preferred goals only break ties."),
                (
                    "max_goals",
                    "Most preferred goals",
                    "The most preferred-goal weight met wins; then the cheapest.",
                ),
                (
                    "min_downtime",
                    "Least downtime",
                    "The least expected Outlook downtime a year within the budget wins; then the cheapest.",
                ),
            ]
        ),
    ),
    Control(
        "alternatives",
        "Designs to show",
        "integer",
        "How many recommended designs to show, each of a different architecture. 1 to 6.",
        "3",
    ),
    Control(
        "catalog",
        "Price book (catalog)",
        "select",
        "The catalog the design is priced from; the result names its version and date.",
        "default",
    ),
)

SECTIONS: tuple[tuple[str, str, tuple[Control, ...]], ...] = (
    ("project", "Project", PROJECT),
    ("budget", "Budget", BUDGET),
    ("platform", "Exchange and Windows", PLATFORM),
    ("size", "Size", SIZE),
    ("environment", "What the customer already has", ENVIRONMENT),
    ("output", "Ranking and price book", OUTPUT),
)
CONTROLS: dict[str, Control] = {c.name: c for _, _, group in SECTIONS for c in group}


def goal_name(failure: str, service: str) -> str:
    """The form control of one goals-grid cell."""
    return f"goal.{failure}.{service}"


def weight_name(failure: str) -> str:
    """The form control of a goals-grid row's weight (for its preferred cells)."""
    return f"weight.{failure}"


def default_values() -> dict[str, str]:
    """Every control's value for a fresh form: the seed case."""
    values = {c.name: c.default for c in CONTROLS.values()}
    for failure in FAILURE_KINDS:
        values[weight_name(failure)] = SEED_WEIGHTS.get(failure, DEFAULT_WEIGHT)
        for service in SERVICES:
            values[goal_name(failure, service)] = SEED_GOALS.get((failure, service), "none")
    return values


def control_label(name: str) -> str:
    """The words naming a control in the error summary."""
    if name in CONTROLS:
        return CONTROLS[name].label
    parts = name.split(".")
    if parts[0] == "goal" and len(parts) == 3:
        failure = FAILURE_LABELS.get(parts[1], parts[1]).lower()
        return f"Goals, {failure}: {SERVICE_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "weight" and len(parts) == 2:
        return f"Goals, {FAILURE_LABELS.get(parts[1], parts[1]).lower()}: weight"
    if name == "goals":
        return "Goals"
    return "The form"


def control_anchor(name: str) -> str:
    """The id the error summary links to for a control."""
    if name in CONTROLS:
        control = CONTROLS[name]
        return f"{control.id}-{control.choices[0].value}" if control.kind == "radio" else control.id
    if name.startswith(("goal.", "weight.")):
        return control_id(name)
    return "goals-grid" if name == "goals" else "main"


def form_position(name: str) -> int:
    """Where a control stands in the form, top to bottom, for ordering the error summary."""
    order: list[str] = []
    for key, _, group in SECTIONS:
        order.extend(c.name for c in group)
        if key == "environment":
            order.append("goals")
            for failure in FAILURE_KINDS:
                order.extend(goal_name(failure, s) for s in SERVICES)
                order.append(weight_name(failure))
    return order.index(name) if name in order else -1
