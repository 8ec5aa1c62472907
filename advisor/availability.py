"""Expected downtime per design and service: what each failure the simulator decides costs in
minutes a year, with the catalog's failure rates, repair times and interruptions.

For every component (servers, database copies, the witness, domain controllers, load-balancer
units and the hypervisor hosts they run on) and every way it fails (availability.toml, `cause`),
a service the failure takes down is down for the repair time (or until an administrator
repoints a name, where the simulator's rule allows it), a service that fails over loses the
mechanism's interruption, and a degraded service counts apart. Two components down together
count where only the pair takes a service down (a DAG member with the witness, both units of a
pair, both domain controllers, two servers holding every copy of a database): for independent
failures the pair is down together 8,760 h x U1 x U2 a year, U = failures x repair hours / 8,760.
Site failures are not counted: with one site every design shares them. Planned patching counts
apart. Availability = 1 - expected minutes / 525,600.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from advisor.catalog.model import AvailabilityFigures, Catalog, Cause
from advisor.domain import (
    CLIENT_SERVICES,
    SERVICES,
    AvailabilityReport,
    Design,
    Front,
    Request,
    ServiceAvailability,
)
from advisor.failures import Analysis, DoubleFailure, Scenario
from advisor.topology import Component

HOURS_PER_YEAR = 8760.0
MINUTES_PER_YEAR = 525_600.0

METHOD = (
    "Expected minutes a year, from the failure scenarios: for every component and cause of failure "
    "(availability.toml: failures a year and repair hours by kind), an outage lasts the repair time, "
    "or until an administrator repoints the name where that ends it; a failover costs the "
    "mechanism's interruption (database failover with the client's reconnect, load-balancer health "
    "checks, pair failover, DNS round robin retry); a client access service failing on a running "
    "server fails over behind a load balancer's health probe but cuts its clients off behind DNS, "
    "Windows NLB or a one-server front until it is restarted; degraded time (a survivor past its sizing) and "
    "planned patching count apart. Double failures counted: any two servers, witness, domain "
    "controllers, load-balancer units or hypervisor hosts that only together take a service down "
    "(a DAG member with the witness, both units of a pair, both domain controllers, two servers "
    "holding every copy of a database), at 8,760 h x U1 x U2 a year for independent failures. Minutes "
    "are the average user's: a failure that reaches one database's or one server's users counts for "
    "their share. Not counted: site failures (one site, every design shares them), triple and "
    "correlated failures, and backups. Availability = 1 - expected minutes / 525,600."
)


@dataclass
class _Tally:
    outage: float = 0.0
    failover: float = 0.0
    degraded: float = 0.0
    planned: float = 0.0


def causes_of(component: Component, request: Request, figures: AvailabilityFigures) -> tuple[Cause, ...]:
    """The ways a component fails: by its kind, its appliance (a unit on a hypervisor host is
    virtual) and the request's storage. The site counts none (see the module's note)."""
    return _Causes(request, figures)(component)


class _Causes:
    """`causes_of` for one request and catalog, each kind and appliance filtered once: an
    estimate asks for every scenario's component, and most share their kind."""

    def __init__(self, request: Request, figures: AvailabilityFigures):
        self._storage = request.storage
        self._hosts = "several" if request.environment.hypervisor_hosts > 1 else "one"
        self._figures = figures
        self._found: dict[tuple[str, str | None], tuple[Cause, ...]] = {}

    def __call__(self, component: Component) -> tuple[Cause, ...]:
        if component.id.startswith("hv-"):
            kind = "hypervisor_host"
        elif component.kind in ("server", "witness", "domain_controller", "load_balancer", "database"):
            kind = component.kind
        else:
            return ()
        appliance = ("virtual" if component.hosted_on else "hardware") if kind == "load_balancer" else None
        found = self._found.get((kind, appliance))
        if found is None:
            found = self._found[(kind, appliance)] = tuple(
                c
                for c in self._figures.causes
                if c.kind == kind
                and (c.appliance is None or c.appliance == appliance)
                and (c.storage is None or c.storage == self._storage)
                and (c.hosts is None or c.hosts == self._hosts)
            )
        return found


def unavailability(causes: Iterable[Cause]) -> float:
    """The share of a year a component is down, all causes together."""
    return sum(c.failures_per_year * c.repair_hours for c in causes) / HOURS_PER_YEAR


def estimate(
    analysis: Analysis,
    doubles: tuple[DoubleFailure, ...],
    design: Design | None,
    request: Request,
    catalog: Catalog,
) -> AvailabilityReport:
    """Each service's expected downtime for a design's (sized) analysis."""
    figures = catalog.availability
    if figures is None:
        return AvailabilityReport(METHOD, {})
    components = analysis.topology.components
    databases = max(1, len(analysis.topology.copies))
    tally = {service: _Tally() for service in SERVICES}
    causes_of_component = _Causes(request, figures)
    # Every figure is added up in the same order, each term worked out the same way, as it
    # always was: the minutes are the same to the last bit.
    for scenario in analysis.scenarios:
        causes = causes_of_component(components[scenario.component])
        if not causes:
            continue
        for service, effect in scenario.effects.items():
            t = tally[service]
            if effect.outcome == "outage":
                share = _share(scenario, effect.rule, analysis, databases)
                workaround = effect.rule in figures.workaround_rules
                for cause in causes:
                    hours = cause.repair_hours
                    if workaround:
                        hours = min(hours, figures.workaround_hours)
                    t.outage += cause.failures_per_year * hours * 60 * share
            elif effect.outcome == "failover":
                share = _share(scenario, effect.rule, analysis, databases)
                interruption = figures.interruption(effect.rule or "")
                for cause in causes:
                    t.failover += cause.failures_per_year * interruption / 60 * share
            elif effect.outcome == "degraded":
                for cause in causes:
                    t.degraded += cause.failures_per_year * cause.repair_hours * 60
    for pair in doubles:
        together = (
            HOURS_PER_YEAR
            * 60
            * unavailability(causes_of_component(components[pair.first]))
            * unavailability(causes_of_component(components[pair.second]))
            * pair.lost_share
        )
        for service in pair.effects:
            tally[service].outage += together
    _service_faults(analysis, tally, figures)
    for scenario in analysis.scenarios:
        _planned(scenario, tally, figures, analysis, databases)
    return AvailabilityReport(
        METHOD,
        {
            service: ServiceAvailability(
                expected_outage_minutes_per_year=round(t.outage + t.failover, 2),
                availability=round(1 - (t.outage + t.failover) / MINUTES_PER_YEAR, 6),
                failover_minutes_per_year=round(t.failover, 2),
                degraded_minutes_per_year=round(t.degraded, 2),
                planned_minutes_per_year=round(t.planned, 2),
            )
            for service, t in tally.items()
        },
    )


# Rules whose effect reaches only the users of the failed server: its active databases, the
# clients connected to it behind a load balancer, Windows NLB or DNS, the mail it carried.
_PER_SERVER = frozenset(
    {
        "dag.database_copy_failover",
        "lb.single_unit",
        "ex2010.cas_array_dns",
        "ex2013.dns_round_robin",
        "wnlb.server_health",
        "transport.redundancy",
    }
)


def _share(scenario: Scenario, rule: str | None, analysis: Analysis, databases: int) -> float:
    """The share of a service's users a failure reaches: one database's, one server's, or all."""
    topology = analysis.topology
    if scenario.kind == "database":
        return 1.0 / databases
    if scenario.kind != "server" or rule not in _PER_SERVER:
        return 1.0
    if rule == "dag.database_copy_failover":
        active = sum(
            1 for servers in topology.copies.values() if servers and servers[0] == scenario.component
        )
        return active / databases if active else 1.0
    pool = topology.transport_servers if rule == "transport.redundancy" else topology.access.pool
    return 1.0 / len(pool) if pool and scenario.component in pool else 1.0


def _service_faults(analysis: Analysis, tally: dict[str, _Tally], figures: AvailabilityFigures) -> None:
    """A client access service that fails on a server that keeps running: a load balancer's
    health probe takes the server out of rotation (a failover); DNS and Windows NLB keep sending
    its clients there, and a one-server front leaves every client on it, until it is restarted."""
    access = analysis.topology.access
    pool = access.pool
    causes = [c for c in figures.causes if c.kind == "client_access_service"]
    if not pool or not causes:
        return
    for _server in pool:
        for cause in causes:
            for service in CLIENT_SERVICES:
                t = tally[service]
                if access.front is Front.LOAD_BALANCER:
                    t.failover += (
                        cause.failures_per_year * figures.interruption("lb.single_unit") / 60 / len(pool)
                    )
                else:
                    t.outage += cause.failures_per_year * cause.repair_hours * 60 / len(pool)


def _planned(
    scenario: Scenario,
    tally: dict[str, _Tally],
    figures: AvailabilityFigures,
    analysis: Analysis,
    databases: int,
) -> None:
    """Each Exchange server patched `windows_per_year` times, one at a time: a service its
    shutdown takes down is down for the patch window; one that fails over switches over."""
    if scenario.kind != "server":
        return
    for service, effect in scenario.effects.items():
        if effect.outcome == "outage":
            share = _share(scenario, effect.rule, analysis, databases)
            tally[service].planned += figures.maintenance_windows * figures.maintenance_hours * 60 * share
        elif effect.outcome in ("failover", "degraded"):
            share = _share(scenario, effect.rule, analysis, databases)
            tally[service].planned += (
                figures.maintenance_windows * figures.interruption(effect.rule or "") / 60 * share
            )


def downtime(
    analysis: Analysis,
    doubles: tuple[DoubleFailure, ...],
    design_request: Request,
    catalog: Catalog,
    service: str = "outlook",
    sized_for_failures: bool = True,
) -> float:
    """A structure's expected minutes a year of one service down or slowed, as `min_downtime`
    weighs it: outages, failovers, and (sized for normal operation only) every server failure
    that would fail over degrading the service for its repair time instead."""
    report = estimate(analysis, doubles, None, design_request, catalog)
    found = report.services.get(service)
    if found is None:
        return 0.0
    minutes = found.expected_outage_minutes_per_year + found.degraded_minutes_per_year
    if sized_for_failures or catalog.availability is None:
        return minutes
    figures = catalog.availability
    components = analysis.topology.components
    for scenario in analysis.scenarios:
        effect = scenario.effects.get(service)
        if scenario.kind != "server" or effect is None or effect.outcome != "failover":
            continue
        for cause in causes_of(components[scenario.component], design_request, figures):
            minutes += cause.failures_per_year * (
                cause.repair_hours * 60 - figures.interruption(effect.rule or "") / 60
            )
    return minutes
