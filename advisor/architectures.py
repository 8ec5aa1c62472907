"""Titles, descriptions and cited rules of the named architectures (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchitectureInfo:
    name: str
    title: str
    description: str
    rules: tuple[str, ...]


ARCHITECTURE_INFO: dict[str, ArchitectureInfo] = {
    info.name: info
    for info in (
        ArchitectureInfo(
            "single_server",
            "One server with every role",
            "One Exchange server holds the Mailbox, Client Access and Hub Transport roles; no "
            "DAG. The baseline: any failure of the server or a database is an outage.",
            ("exchange.mounted_databases", "ex2010.rpc_client_access", "transport.redundancy"),
        ),
        ArchitectureInfo(
            "dag_only",
            "DAG of multi-role servers, no CAS array",
            "Two or more multi-role servers in a Database Availability Group with a witness. "
            "Database failovers are invisible, but Outlook connects to the one server named in "
            "RpcClientAccessServer, so that server's shutdown cuts every Outlook client off.",
            (
                "windows.clustering_edition",
                "dag.quorum",
                "dag.witness",
                "ex2010.rpc_client_access",
                "ex2010.client_namespace",
            ),
        ),
        ArchitectureInfo(
            "dag_cas_array_dns",
            "DAG with a CAS array resolved by DNS",
            "A DAG plus a CAS array whose name DNS resolves to the servers, with no load "
            "balancer: clients that resolved to a dead server stay cut off until DNS is changed.",
            ("windows.clustering_edition", "dag.quorum", "ex2010.cas_array_dns"),
        ),
        ArchitectureInfo(
            "dag_cas_array_single_lb",
            "DAG with a CAS array behind one load balancer",
            "A DAG plus a CAS array behind one load balancer: a server shutdown is a brief "
            "failover, but the load balancer is a new single point of failure.",
            ("windows.clustering_edition", "dag.quorum", "lb.single_unit"),
        ),
        ArchitectureInfo(
            "dag_cas_array_lb_pair",
            "DAG with a CAS array behind a load-balancer pair",
            "A DAG plus a CAS array behind an active/standby load-balancer pair sharing a "
            "virtual IP: neither a server nor a load-balancer unit takes clients down.",
            ("windows.clustering_edition", "dag.quorum", "lb.single_unit", "lb.ha_pair"),
        ),
        ArchitectureInfo(
            "dedicated_cas_wnlb",
            "Dedicated Client Access servers in Windows NLB",
            "Two or more dedicated Client Access and Hub Transport servers in a Windows NLB "
            "cluster in front of DAG mailbox servers. NLB is free but cannot share a server with "
            "failover clustering, so it needs servers of its own; it notices dead servers, not "
            "failed services.",
            (
                "windows.clustering_edition",
                "wnlb.no_failover_clustering",
                "wnlb.server_health",
                "dag.quorum",
                "dag.witness",
            ),
        ),
    )
}
