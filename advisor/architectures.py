"""The named architectures (DESIGN.md): the one place that knows what each one is.

Every other module asks these specs (`spec`, `for_version`) rather than comparing names, so a
new architecture or Exchange version is one entry here.
"""

from __future__ import annotations

from advisor.domain import ArchitectureSpec, FieldProblem, Front, InvalidInput, WitnessPlacement

_MULTI_ROLE_2010 = ("mailbox", "client_access", "hub_transport")

SPECS: tuple[ArchitectureSpec, ...] = (
    ArchitectureSpec(
        name="single_server",
        title="One server with every role",
        description="One Exchange server holds the Mailbox, Client Access and Hub Transport roles; no "
        "DAG. The baseline: any failure of the server or a database is an outage.",
        versions=("2010",),
        dag=False,
        front=Front.ONE_SERVER,
        load_balancer_units=0,
        cas_array=False,
        dedicated_client_access=False,
        rules=("exchange.mounted_databases", "ex2010.rpc_client_access", "transport.redundancy"),
        exchange_roles=_MULTI_ROLE_2010,
        baseline=True,
    ),
    ArchitectureSpec(
        name="dag_only",
        title="DAG of multi-role servers, no CAS array",
        description="Two or more multi-role servers in a Database Availability Group with a witness. "
        "Database failovers are invisible, but Outlook connects to the one server named in "
        "RpcClientAccessServer, so that server's shutdown cuts every Outlook client off.",
        versions=("2010",),
        dag=True,
        front=Front.ONE_SERVER,
        load_balancer_units=0,
        cas_array=False,
        dedicated_client_access=False,
        rules=(
            "windows.clustering_edition",
            "dag.quorum",
            "dag.witness",
            "ex2010.rpc_client_access",
            "ex2010.client_namespace",
        ),
        exchange_roles=_MULTI_ROLE_2010,
    ),
    ArchitectureSpec(
        name="dag_cas_array_dns",
        title="DAG with a CAS array resolved by DNS",
        description="A DAG plus a CAS array whose name DNS resolves to the servers, with no load "
        "balancer: clients that resolved to a dead server stay cut off until DNS is changed.",
        versions=("2010",),
        dag=True,
        front=Front.DNS,
        load_balancer_units=0,
        cas_array=True,
        dedicated_client_access=False,
        rules=("windows.clustering_edition", "dag.quorum", "ex2010.cas_array_dns"),
        exchange_roles=_MULTI_ROLE_2010,
    ),
    ArchitectureSpec(
        name="dag_cas_array_single_lb",
        title="DAG with a CAS array behind one load balancer",
        description="A DAG plus a CAS array behind one load balancer: a server shutdown is a brief "
        "failover, but the load balancer is a new single point of failure.",
        versions=("2010",),
        dag=True,
        front=Front.LOAD_BALANCER,
        load_balancer_units=1,
        cas_array=True,
        dedicated_client_access=False,
        rules=("windows.clustering_edition", "dag.quorum", "lb.single_unit"),
        exchange_roles=_MULTI_ROLE_2010,
    ),
    ArchitectureSpec(
        name="dag_cas_array_lb_pair",
        title="DAG with a CAS array behind a load-balancer pair",
        description="A DAG plus a CAS array behind an active/standby load-balancer pair sharing a "
        "virtual IP: neither a server nor a load-balancer unit takes clients down.",
        versions=("2010",),
        dag=True,
        front=Front.LOAD_BALANCER,
        load_balancer_units=2,
        cas_array=True,
        dedicated_client_access=False,
        rules=("windows.clustering_edition", "dag.quorum", "lb.single_unit", "lb.ha_pair"),
        exchange_roles=_MULTI_ROLE_2010,
    ),
    ArchitectureSpec(
        name="dedicated_cas_wnlb",
        title="Dedicated Client Access servers in Windows NLB",
        description="Two or more dedicated Client Access and Hub Transport servers in a Windows NLB "
        "cluster in front of DAG mailbox servers. NLB is free but cannot share a server with "
        "failover clustering, so it needs servers of its own; it notices dead servers, not "
        "failed services.",
        versions=("2010",),
        dag=True,
        front=Front.WINDOWS_NLB,
        load_balancer_units=0,
        cas_array=True,
        dedicated_client_access=True,
        rules=(
            "windows.clustering_edition",
            "wnlb.no_failover_clustering",
            "wnlb.server_health",
            "dag.quorum",
            "dag.witness",
        ),
        exchange_roles=("mailbox",),
        client_access_roles=("client_access", "hub_transport"),
        # Exchange 2010 puts the witness on a Hub Transport server outside the DAG by default.
        witness_when_bought=WitnessPlacement.CLIENT_ACCESS_SERVER,
        min_client_access_servers=2,
    ),
)

NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SPECS))
_BY_VERSION: dict[str, dict[str, ArchitectureSpec]] = {}
for _spec in SPECS:
    for _version in _spec.versions:
        _BY_VERSION.setdefault(_version, {})[_spec.name] = _spec


def for_version(exchange_version: str) -> tuple[ArchitectureSpec, ...]:
    """The architectures an Exchange version offers, in the contract's order."""
    return tuple(_BY_VERSION.get(exchange_version, {}).values())


def spec(name: str, exchange_version: str = "2010") -> ArchitectureSpec:
    """The architecture of that name for an Exchange version; InvalidInput naming
    `architecture` when the version does not offer it."""
    found = _BY_VERSION.get(exchange_version, {}).get(name)
    if found is None:
        offered = ", ".join(s.name for s in for_version(exchange_version))
        raise InvalidInput(
            [
                FieldProblem(
                    "architecture",
                    f"Exchange {exchange_version} offers no architecture {name!r}; it offers {offered}",
                )
            ]
        )
    return found


def baseline(exchange_version: str = "2010") -> ArchitectureSpec:
    """The architecture the others are compared with: one server, nothing to fail over to."""
    return next(s for s in for_version(exchange_version) if s.baseline)
