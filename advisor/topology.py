"""Turn a design's structure into named components and each client service's access path."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.domain import ArchitectureSpec, Design, Front, hash_once
from advisor.layout import best_layout


@hash_once  # the simulator keeps its analyses and outages by shape
@dataclass(frozen=True)
class Shape:
    """What the failure simulator needs of a design: its structure, not its prices."""

    spec: ArchitectureSpec
    exchange_servers: int
    dedicated_cas_servers: int = 0
    witness: str = "none"
    domain_controllers: int = 2
    databases: int = 4
    database_copies: int = 1
    sites: int = 1
    # Each database's copies as server numbers in activation-preference order; empty: the best
    # layout of the shape (advisor.layout), which every single failure treats alike.
    layout: tuple[tuple[int, ...], ...] = ()
    # Hypervisor hosts the load-balancer units run on, when they are virtual appliances (0: the
    # units are hardware); units are spread over them, so with one host it carries every unit.
    load_balancer_hosts: int = 0

    def copies_layout(self) -> tuple[tuple[int, ...], ...]:
        if self.layout:
            return self.layout
        return best_layout(self.exchange_servers, self.databases, self.database_copies).databases

    @property
    def architecture(self) -> str:
        return self.spec.name

    @property
    def load_balancers(self) -> int:
        return self.spec.load_balancer_units

    @property
    def dag(self) -> bool:
        return self.spec.dag

    @classmethod
    def of(
        cls, design: Design, domain_controllers: int, databases: int, sites: int, load_balancer_hosts: int = 0
    ) -> Shape:
        return cls(
            spec=design.spec,
            exchange_servers=design.exchange_servers,
            dedicated_cas_servers=design.dedicated_cas_servers,
            witness=design.witness,
            domain_controllers=domain_controllers + design.domain_controllers_added,
            databases=databases,
            database_copies=design.database_copies,
            sites=sites,
            layout=design.layout,
            load_balancer_hosts=load_balancer_hosts if design.load_balancers else 0,
        )


@dataclass(frozen=True)
class Component:
    id: str
    kind: str
    description: str
    hosted_on: str | None = None


@dataclass(frozen=True)
class Access:
    """How clients reach the servers that answer them: the spec's front, the pool of servers
    behind it, and the load-balancer units in front of the pool (active first)."""

    front: Front
    pool: tuple[str, ...]
    units: tuple[str, ...] = ()


@dataclass
class Topology:
    shape: Shape
    components: dict[str, Component]
    mailbox_servers: tuple[str, ...]
    transport_servers: tuple[str, ...]
    access: Access
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


_ROLE_WORDS = {"mailbox": "Mailbox", "client_access": "Client Access", "hub_transport": "Hub Transport"}


def _roles(roles: tuple[str, ...]) -> str:
    words = [_ROLE_WORDS[r] for r in roles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def build(shape: Shape) -> Topology:
    """Lay out a shape: servers, database copies, load balancers, witness, DCs, site.

    The shape is taken as valid: designs are checked (advisor.design_check) and the
    optimizer's structures generated within the same rules before they get here.
    """
    spec = shape.spec
    components: dict[str, Component] = {}

    def add(c: Component) -> None:
        components[c.id] = c

    mailbox = tuple(f"ex-{i}" for i in range(1, shape.exchange_servers + 1))
    for server in mailbox:
        add(Component(server, "server", f"Exchange server {server} ({_roles(spec.exchange_roles)})"))
    cas = tuple(f"cas-{i}" for i in range(1, shape.dedicated_cas_servers + 1))
    for server in cas:
        add(Component(server, "server", f"{_roles(spec.client_access_roles)} server {server}"))
    units = tuple(f"lb-{i}" for i in range(1, spec.load_balancer_units + 1))
    hosts = tuple(f"hv-{i}" for i in range(1, min(shape.load_balancer_hosts, len(units)) + 1))
    for host_id in hosts:
        carried = [u for i, u in enumerate(units) if hosts[i % len(hosts)] == host_id]
        add(
            Component(
                host_id,
                "load_balancer",
                f"hypervisor host {host_id} running the virtual load balancer"
                f"{'s' if len(carried) > 1 else ''} {' and '.join(carried)}",
            )
        )
    for i, unit in enumerate(units):
        state = "" if len(units) == 1 else (" (active)" if i == 0 else " (standby)")
        kind = "virtual load balancer" if hosts else "load balancer"
        add(
            Component(
                unit,
                "load_balancer",
                f"{kind} {unit}{state}",
                hosted_on=hosts[i % len(hosts)] if hosts else None,
            )
        )

    copies: dict[str, tuple[str, ...]] = {}
    copies_on: dict[str, list[str]] = {s: [] for s in mailbox}
    for d, placed in enumerate(shape.copies_layout()):
        database = f"db-{d + 1}"
        servers = tuple(mailbox[i] for i in placed)
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
    if spec.dag and shape.witness != "none":
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

    client_pool = cas if spec.dedicated_client_access else mailbox
    if spec.front is Front.ONE_SERVER:
        client_pool = mailbox[:1]
    return Topology(
        shape=shape,
        components=components,
        mailbox_servers=mailbox,
        transport_servers=cas if spec.transport_on_client_access else mailbox,
        access=Access(spec.front, client_pool, units),
        dag_members=mailbox if spec.dag else (),
        witness=witness,
        domain_controllers=dcs,
        site=site,
        copies=copies,
        copies_on={s: tuple(dbs) for s, dbs in copies_on.items()},
    )
