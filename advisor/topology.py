"""Turn a design's structure into named components and each client service's access path."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.domain import ARCHITECTURES, Design, FieldProblem, InvalidInput

DAG_ARCHITECTURES = frozenset(ARCHITECTURES) - {"single_server"}
LOAD_BALANCERS_BY_ARCHITECTURE = {
    "single_server": 0,
    "dag_only": 0,
    "dag_cas_array_dns": 0,
    "dag_cas_array_single_lb": 1,
    "dag_cas_array_lb_pair": 2,
    "dedicated_cas_wnlb": 0,
}


@dataclass(frozen=True)
class Shape:
    """What the failure simulator needs of a design: its structure, not its prices."""

    architecture: str
    exchange_servers: int
    dedicated_cas_servers: int = 0
    witness: str = "none"
    domain_controllers: int = 2
    databases: int = 4
    database_copies: int = 1
    sites: int = 1

    @property
    def load_balancers(self) -> int:
        return LOAD_BALANCERS_BY_ARCHITECTURE[self.architecture]

    @property
    def dag(self) -> bool:
        return self.architecture in DAG_ARCHITECTURES

    @classmethod
    def of(cls, design: Design, domain_controllers: int, databases: int, sites: int) -> Shape:
        return cls(
            architecture=design.architecture,
            exchange_servers=design.exchange_servers,
            dedicated_cas_servers=design.dedicated_cas_servers,
            witness=design.witness,
            domain_controllers=domain_controllers + design.domain_controllers_added,
            databases=databases,
            database_copies=design.database_copies,
            sites=sites,
        )


@dataclass(frozen=True)
class Component:
    id: str
    kind: str
    description: str
    hosted_on: str | None = None


@dataclass(frozen=True)
class Front:
    """How clients reach the Client Access servers.

    kind: "fixed" (one named server), "dns" (a CAS array name resolved by DNS alone),
    "lb" (load-balancer units in front of a pool) or "nlb" (Windows NLB on the pool).
    """

    kind: str
    pool: tuple[str, ...]
    units: tuple[str, ...] = ()


@dataclass
class Topology:
    shape: Shape
    components: dict[str, Component]
    mailbox_servers: tuple[str, ...]
    transport_servers: tuple[str, ...]
    front: Front
    dag_members: tuple[str, ...]
    witness: str | None
    domain_controllers: tuple[str, ...]
    site: str
    copies: dict[str, tuple[str, ...]]  # database -> servers, activation order (first active)
    copies_on: dict[str, tuple[str, ...]] = field(default_factory=dict)  # server -> databases
    _hosted: dict[str, list[str]] = field(default_factory=dict, repr=False)  # host -> what it hosts

    def failed_by(self, component_id: str) -> frozenset[str]:
        """Everything that goes down with a component: what it hosts, or the whole site."""
        if component_id == self.site:
            return frozenset(self.components)
        if not self._hosted:
            for other in self.components.values():
                if other.hosted_on:
                    self._hosted.setdefault(other.hosted_on, []).append(other.id)
        return frozenset([component_id, *self._hosted.get(component_id, ())])


def copy_id(database: str, server: str) -> str:
    return f"{database}@{server}"


def build(shape: Shape) -> Topology:
    """Lay out a shape: servers, database copies, load balancers, witness, DCs, site."""
    _check(shape)
    components: dict[str, Component] = {}

    def add(c: Component) -> None:
        components[c.id] = c

    multi_role = shape.architecture != "dedicated_cas_wnlb"
    role = "Mailbox, Client Access and Hub Transport" if multi_role else "Mailbox"
    mailbox = tuple(f"ex-{i}" for i in range(1, shape.exchange_servers + 1))
    for server in mailbox:
        add(Component(server, "server", f"Exchange server {server} ({role})"))
    cas = tuple(f"cas-{i}" for i in range(1, shape.dedicated_cas_servers + 1))
    for server in cas:
        add(Component(server, "server", f"Client Access and Hub Transport server {server}"))
    units = tuple(f"lb-{i}" for i in range(1, shape.load_balancers + 1))
    for i, unit in enumerate(units):
        state = "" if len(units) == 1 else (" (active)" if i == 0 else " (standby)")
        add(Component(unit, "load_balancer", f"load balancer {unit}{state}"))

    copies: dict[str, tuple[str, ...]] = {}
    copies_on: dict[str, list[str]] = {s: [] for s in mailbox}
    n = len(mailbox)
    for d in range(shape.databases):
        database = f"db-{d + 1}"
        servers = tuple(mailbox[(d + j) % n] for j in range(shape.database_copies))
        copies[database] = servers
        for j, server in enumerate(servers):
            state = "active" if j == 0 else "passive"
            add(
                Component(
                    copy_id(database, server),
                    "database",
                    f"{state} copy of {database} on {server}",
                    hosted_on=server,
                )
            )
            copies_on[server].append(database)

    witness = None
    if shape.dag and shape.witness != "none":
        host = cas[0] if shape.witness == "cas_server" and cas else None
        where = (
            f"file share on {host}"
            if host
            else ("existing server" if shape.witness == "existing" else "witness server bought for it")
        )
        witness = "witness"
        add(Component(witness, "witness", f"DAG file share witness ({where})", hosted_on=host))
    dcs = tuple(f"dc-{i}" for i in range(1, shape.domain_controllers + 1))
    for dc in dcs:
        add(Component(dc, "domain_controller", f"domain controller and global catalog {dc}"))
    site = "site-1"
    add(Component(site, "site", "datacenter site-1 and every server in it"))

    client_pool = cas if cas else mailbox
    front = {
        "single_server": Front("fixed", mailbox[:1]),
        "dag_only": Front("fixed", mailbox[:1]),
        "dag_cas_array_dns": Front("dns", client_pool),
        "dag_cas_array_single_lb": Front("lb", client_pool, units),
        "dag_cas_array_lb_pair": Front("lb", client_pool, units),
        "dedicated_cas_wnlb": Front("nlb", client_pool),
    }[shape.architecture]
    return Topology(
        shape=shape,
        components=components,
        mailbox_servers=mailbox,
        transport_servers=cas if cas else mailbox,
        front=front,
        dag_members=mailbox if shape.dag else (),
        witness=witness,
        domain_controllers=dcs,
        site=site,
        copies=copies,
        copies_on={s: tuple(dbs) for s, dbs in copies_on.items()},
    )


def _check(shape: Shape) -> None:
    problems: list[FieldProblem] = []
    if shape.architecture not in ARCHITECTURES:
        problems.append(FieldProblem("architecture", f"unknown architecture {shape.architecture!r}"))
        raise InvalidInput(problems)
    minimum = 1 if shape.architecture == "single_server" else 2
    if shape.architecture == "single_server" and shape.exchange_servers != 1:
        problems.append(FieldProblem("design.exchange_servers", "single_server has exactly 1 server"))
    elif shape.exchange_servers < minimum:
        problems.append(FieldProblem("design.exchange_servers", f"must be at least {minimum}"))
    if shape.architecture == "dedicated_cas_wnlb" and shape.dedicated_cas_servers < 2:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers", "Windows NLB needs at least 2 dedicated Client Access servers"
            )
        )
    if shape.architecture != "dedicated_cas_wnlb" and shape.dedicated_cas_servers != 0:
        problems.append(
            FieldProblem(
                "design.dedicated_cas_servers", f"{shape.architecture} has no dedicated Client Access servers"
            )
        )
    if not 1 <= shape.database_copies <= max(shape.exchange_servers, 1):
        problems.append(
            FieldProblem("design.database_copies", "must be between 1 and the number of Exchange servers")
        )
    if shape.domain_controllers < 1:
        problems.append(
            FieldProblem("environment.domain_controllers", "Exchange needs at least one domain controller")
        )
    if problems:
        raise InvalidInput(problems)
