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

_MODERN = ("2013", "2016", "2019", "SE")
_ROLES_2013 = ("mailbox", "client_access")  # multi-role: Mailbox and Client Access (transport in Mailbox)
_ROLES_2016 = ("mailbox",)  # 2016 and later: the Mailbox role holds the client access services
_DAG_2013 = ("windows.clustering_edition", "dag.quorum", "dag.witness")


def _modern(
    name: str,
    title: str,
    description: str,
    front: Front,
    rules: tuple[str, ...],
    dag: bool = True,
    load_balancer_units: int = 0,
    baseline: bool = False,
) -> tuple[ArchitectureSpec, ...]:
    """One architecture of Exchange 2013 and later: a 2013 spec (Mailbox and Client Access roles)
    and a 2016-and-later one (the Mailbox role alone), alike but for the roles."""
    return tuple(
        ArchitectureSpec(
            name=name,
            title=title,
            description=description,
            versions=versions,
            dag=dag,
            front=front,
            load_balancer_units=load_balancer_units,
            cas_array=False,
            dedicated_client_access=False,
            rules=(*rules, "ex2016.mailbox_role_only") if roles == _ROLES_2016 else rules,
            exchange_roles=roles,
            baseline=baseline,
            http_clients=True,
        )
        for versions, roles in ((("2013",), _ROLES_2013), (_MODERN[1:], _ROLES_2016))
    )


SPECS = (
    *SPECS,
    *_modern(
        "single_server",
        "One server",
        "One Exchange server holds every mailbox and the client access services; no DAG. The "
        "baseline: any failure of the server or a database is an outage.",
        Front.ONE_SERVER,
        ("exchange.mounted_databases", "ex2013.single_namespace", "transport.redundancy"),
        dag=False,
        baseline=True,
    ),
    *_modern(
        "dag_only",
        "DAG, the namespace on one server",
        "Two or more servers in a Database Availability Group with a witness. Database failovers "
        "are invisible (any server proxies to the active copy), but the client namespace resolves "
        "to one server, so that server's shutdown cuts every client off until DNS is repointed.",
        Front.ONE_SERVER,
        (*_DAG_2013, "ex2013.single_namespace"),
    ),
    *_modern(
        "dag_dns_round_robin",
        "DAG, the namespace by DNS round robin",
        "A DAG whose client namespace resolves to every member: when a server shuts down, HTTP "
        "clients try the next address after about 20 seconds. No load balancer to buy, but no "
        "health checks either: a failed service on a running server is not avoided.",
        Front.DNS,
        (*_DAG_2013, "ex2013.dns_round_robin"),
    ),
    *_modern(
        "dag_single_lb",
        "DAG behind one load balancer",
        "A DAG behind one load balancer with per-protocol health checks and no session affinity: "
        "a server shutdown is a brief failover, but the load balancer is a new single point of "
        "failure.",
        Front.LOAD_BALANCER,
        (*_DAG_2013, "lb.single_unit", "ex2013.no_affinity"),
        load_balancer_units=1,
    ),
    *_modern(
        "dag_lb_pair",
        "DAG behind a load-balancer pair",
        "A DAG behind an active/standby load-balancer pair sharing a virtual IP: neither a server "
        "nor a load-balancer unit takes clients down (Microsoft's recommendation for 2016 and "
        "later: a pair is not required, but recommended).",
        Front.LOAD_BALANCER,
        (*_DAG_2013, "lb.single_unit", "lb.ha_pair", "ex2013.no_affinity"),
        load_balancer_units=2,
    ),
    ArchitectureSpec(
        name="dedicated_cas_wnlb",
        title="Dedicated Client Access servers in Windows NLB",
        description="Two or more stand-alone Exchange 2013 Client Access servers in a Windows NLB "
        "cluster in front of DAG mailbox servers. NLB cannot share a server with failover "
        "clustering, so it needs servers of its own; it notices dead servers, not failed "
        "services, and Microsoft does not recommend it.",
        versions=("2013",),
        dag=True,
        front=Front.WINDOWS_NLB,
        load_balancer_units=0,
        cas_array=False,
        dedicated_client_access=True,
        rules=(
            "windows.clustering_edition",
            "wnlb.no_failover_clustering",
            "wnlb.server_health",
            "dag.quorum",
            "dag.witness",
            "ex2013.wnlb_standalone_cas",
        ),
        exchange_roles=("mailbox",),
        client_access_roles=("client_access",),
        min_client_access_servers=2,
        http_clients=True,
    ),
)

NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SPECS))
_BY_VERSION: dict[str, dict[str, ArchitectureSpec]] = {}
for _spec in SPECS:
    for _version in _spec.versions:
        _BY_VERSION.setdefault(_version, {})[_spec.name] = _spec


def names(exchange_version: str = "2010") -> tuple[str, ...]:
    """The architecture names an Exchange version offers, in the contract's order."""
    return tuple(s.name for s in for_version(exchange_version))


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
