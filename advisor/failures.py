"""Fail every component of a topology one at a time and decide each client service's outcome.

This module is the single authority on what a design survives: the optimizer takes its goal
coverage from `Simulator.outages`, reports take whole analyses from `Simulator.analysis`, and
every explanation names its mechanism and cites a rule id from the catalog's rules.toml.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from advisor.domain import (
    CLIENT_SERVICES,
    FAILURE_KINDS,
    MEETS_GOAL,
    OUTCOME_SEVERITY,
    SERVICE_LABELS,
    SERVICES,
    Front,
    ServerLoad,
)
from advisor.topology import Shape, Topology, build


@dataclass(frozen=True)
class Effect:
    outcome: str
    reason: str = ""
    rule: str | None = None

    def sentence(self) -> str:
        return f"{self.reason} (rule {self.rule})" if self.rule else self.reason


UNAFFECTED = Effect("unaffected")


def _pick(*effects: Effect) -> Effect:
    """The most severe effect; among equals the first, which names the cause nearest the client."""
    best = UNAFFECTED
    for effect in effects:
        if OUTCOME_SEVERITY[effect.outcome] > OUTCOME_SEVERITY[best.outcome]:
            best = effect
    return best


@dataclass(frozen=True)
class Scenario:
    component: str
    kind: str
    description: str
    effects: dict[str, Effect]
    # For a server's failure: what each surviving Exchange server then carries (sized designs).
    load: Mapping[str, ServerLoad] | None = None

    @cached_property
    def explanation(self) -> str:
        """One sentence for a proposal; built on first use, since the optimizer needs only
        outcomes, and then kept with the scenario (analyses are cached per shape)."""
        return _explain(self.description, self.effects)

    @property
    def outcomes(self) -> dict[str, str]:
        return {service: effect.outcome for service, effect in self.effects.items()}

    def outage_services(self) -> tuple[str, ...]:
        return tuple(s for s, e in self.effects.items() if e.outcome == "outage")

    def carrying(self, load: Mapping[str, ServerLoad] | None) -> Scenario:
        """The same failure with a sized design's loads on the survivors; its explanation, if
        already worked out, comes along (it reads the description and effects alone). A failure
        that loads no survivor is the same scenario as before: it is not copied."""
        if load is None and self.load is None:
            return self
        found = Scenario(self.component, self.kind, self.description, self.effects, load)
        if "explanation" in self.__dict__:
            found.__dict__["explanation"] = self.__dict__["explanation"]
        return found


@dataclass(frozen=True)
class SinglePointOfFailure:
    scenario: Scenario
    services: tuple[str, ...]

    @property
    def component(self) -> str:
        return self.scenario.component

    @property
    def kind(self) -> str:
        return self.scenario.kind

    @property
    def explanation(self) -> str:
        return self.scenario.explanation


@dataclass(frozen=True)
class Analysis:
    topology: Topology
    scenarios: tuple[Scenario, ...]
    single_points_of_failure: tuple[SinglePointOfFailure, ...]
    coverage: dict[tuple[str, str], tuple[str, str | None]]  # (kind, service) -> (worst, component)

    def meets(self, failure: str, service: str) -> bool:
        """A goal is met when no component of that kind gives an outage for that service, nor
        leaves it degraded (a survivor past its sizing)."""
        return self.coverage[(failure, service)][0] in MEETS_GOAL

    def why_not(self, failure: str, service: str) -> str:
        outcome, component = self.coverage[(failure, service)]
        if outcome in MEETS_GOAL or component is None:
            return ""
        scenario = next(s for s in self.scenarios if s.component == component)
        return scenario.effects[service].sentence()


def _names(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _services_phrase(services: tuple[str, ...] | list[str]) -> str:
    return _names([SERVICE_LABELS[s] for s in services])


class _Evaluator:
    """Evaluates the services with a set of components down."""

    def __init__(self, topology: Topology):
        self.t = topology
        members = topology.dag_members
        witness = [topology.witness] if topology.witness and len(members) % 2 == 0 else []
        self.voters = frozenset([*members, *witness])
        self.copies = frozenset(c for c in topology.components if "@" in c)

    def evaluate(self, down: frozenset[str]) -> dict[str, Effect]:
        t = self.t
        if down <= self.copies:
            # Only database copies are down: no server, path or vote is, so only the data matters.
            return self._data_only(self._mailbox_data(down))
        if t.site in down:
            site = Effect(
                "outage",
                "the whole datacenter is down and with a single site there is nowhere to fail over to",
                "site.single",
            )
            return {service: site for service in SERVICES}
        directory = self._directory(down)
        mailbox = self._mailbox_data(down)
        front = self._front(down)
        inbound, outbound = self._transport(down)
        queued = self._queued if mailbox.outcome != "unaffected" else UNAFFECTED
        effects = {service: _pick(directory, front[service], mailbox) for service in CLIENT_SERVICES}
        effects["smtp_inbound"] = _pick(directory, inbound)
        if effects["smtp_inbound"].outcome == "unaffected" and queued.reason:
            effects["smtp_inbound"] = queued
        effects["smtp_outbound"] = _pick(directory, outbound)
        return effects

    def _directory(self, down: frozenset[str]) -> Effect:
        dcs = self.t.domain_controllers
        alive = [dc for dc in dcs if dc not in down]
        if not alive:
            return Effect(
                "outage",
                "no domain controller or global catalog is left and Exchange stops working without one",
                "ad.global_catalog",
            )
        if len(alive) < len(dcs):
            return Effect(
                "failover", f"Exchange moves its directory look-ups to {_names(alive)}", "ad.global_catalog"
            )
        return UNAFFECTED

    def _data_only(self, mailbox: Effect) -> dict[str, Effect]:
        effects = dict.fromkeys(CLIENT_SERVICES, mailbox)
        effects["smtp_inbound"] = self._queued if mailbox.outcome != "unaffected" else UNAFFECTED
        effects["smtp_outbound"] = UNAFFECTED
        return effects

    _queued = Effect(
        "unaffected",
        "transport servers accept mail for the unavailable databases and queue it until they mount again",
        "transport.queueing",
    )

    def _quorum(self, down: frozenset[str]) -> tuple[bool, int, int]:
        total = len(self.voters)
        alive = total - len(self.voters & down)
        return alive * 2 > total, alive, total

    def _mailbox_data(self, down: frozenset[str]) -> Effect:
        t = self.t
        if t.dag_members:
            has_quorum, alive, total = self._quorum(down)
            if not has_quorum:
                return Effect(
                    "outage",
                    f"the DAG keeps only {alive} of {total} votes, loses quorum and dismounts every database",
                    "dag.quorum",
                )
        touched: set[str] = set()
        for component in down:
            if component in t.copies_on:
                touched.update(t.copies_on[component])
            elif "@" in component:
                touched.add(component.split("@", 1)[0])
        failed_over: list[str] = []
        lost: list[str] = []
        for database in sorted(touched, key=lambda d: int(d.split("-")[1])):
            servers = t.copies[database]
            healthy = [s for s in servers if s not in down and f"{database}@{s}" not in down]
            if not healthy:
                lost.append(database)
            elif healthy[0] != servers[0]:
                failed_over.append(database)
        if lost:
            reason = (
                f"{_names(lost)} {'has' if len(lost) == 1 else 'have'} no healthy copy left, "
                "so their mailboxes are unavailable until the database is restored"
            )
            return Effect("outage", reason, "dag.database_copy_failover")
        if failed_over:
            reason = f"the DAG activates another copy of {_names(failed_over)} within about 30 seconds"
            return Effect("failover", reason, "dag.database_copy_failover")
        return UNAFFECTED

    def _front(self, down: frozenset[str]) -> dict[str, Effect]:
        access = self.t.access
        dead = [s for s in access.pool if s in down]
        alive = [s for s in access.pool if s not in down]
        http = self.t.shape.spec.http_clients
        if access.front is Front.ONE_SERVER:
            if not dead:
                return dict.fromkeys(CLIENT_SERVICES, UNAFFECTED)
            server = dead[0]
            if http:
                cut_off = Effect(
                    "outage",
                    f"the client namespace resolves to {server} alone, so every client stays cut off "
                    f"until {server} is back or the name is repointed in DNS",
                    "ex2013.single_namespace",
                )
                return dict.fromkeys(CLIENT_SERVICES, cut_off)
            outlook = Effect(
                "outage",
                f"{server} is the RpcClientAccessServer of every database and "
                "the attribute does not follow a failover, so Outlook clients stay cut "
                f"off until {server} is back or the attribute is repointed",
                "ex2010.rpc_client_access",
            )
            web = Effect(
                "outage",
                f"the OWA and ActiveSync name is published to {server} alone, so "
                f"those clients stay cut off until {server} is back or the name is repointed",
                "ex2010.client_namespace",
            )
            return {"outlook": outlook, "owa": web, "activesync": web}
        if not alive:
            none_left = Effect(
                "outage",
                "no Client Access server is left to serve clients",
                "lb.single_unit" if access.front is Front.LOAD_BALANCER else "ex2010.cas_array_dns",
            )
            return dict.fromkeys(CLIENT_SERVICES, none_left)
        effect = UNAFFECTED
        if access.front is Front.LOAD_BALANCER:
            units_alive = [u for u in access.units if u not in down]
            if not units_alive:
                hosts = sorted({self.t.components[u].hosted_on or "" for u in access.units} - {""})
                if len(access.units) > 1 and len(hosts) == 1 and hosts[0] in down:
                    return dict.fromkeys(
                        CLIENT_SERVICES,
                        Effect(
                            "outage",
                            f"{_names(list(access.units))} both run on the hypervisor host {hosts[0]}, so "
                            "with it down the pair is down and every client is cut off until it is back",
                            "lb.virtual_host",
                        ),
                    )
                return dict.fromkeys(
                    CLIENT_SERVICES,
                    Effect(
                        "outage",
                        f"{_names(list(access.units))} is the only load balancer in front of the "
                        f"{'servers' if http else 'CAS array'}, so every client it carries is cut off "
                        "until it is repaired",
                        "lb.single_unit",
                    ),
                )
            if units_alive[0] != access.units[0]:
                effect = Effect(
                    "failover",
                    f"the standby unit {units_alive[0]} takes over the virtual IP within seconds",
                    "lb.ha_pair",
                )
        if dead and access.front is Front.DNS and http:
            effect = _pick(
                effect,
                Effect(
                    "failover",
                    f"clients that resolved the namespace to {_names(dead)} try the next address DNS "
                    f"gave them after about 20 seconds and reach {_names(alive)}",
                    "ex2013.dns_round_robin",
                ),
            )
        elif dead and access.front is Front.DNS:
            effect = Effect(
                "outage",
                f"clients that resolved the CAS array name to {_names(dead)} "
                "stay cut off until their DNS cache expires or an administrator removes "
                f"{_names(dead)} from the record",
                "ex2010.cas_array_dns",
            )
        elif dead and access.front is Front.LOAD_BALANCER:
            effect = _pick(
                effect,
                Effect(
                    "failover",
                    f"the load balancer's health check takes {_names(dead)} out of rotation "
                    f"and its clients reconnect to {_names(alive)}",
                    "lb.single_unit",
                ),
            )
        elif dead and access.front is Front.WINDOWS_NLB:
            effect = Effect(
                "failover",
                f"Windows NLB converges and sends {_names(dead)}'s clients to "
                f"{_names(alive)}; NLB notices a dead server, not a failed service",
                "wnlb.server_health",
            )
        return dict.fromkeys(CLIENT_SERVICES, effect)

    def _transport(self, down: frozenset[str]) -> tuple[Effect, Effect]:
        servers = self.t.transport_servers
        dead = [s for s in servers if s in down]
        alive = [s for s in servers if s not in down]
        if not dead:
            return UNAFFECTED, UNAFFECTED
        if not alive:
            only = "is the only transport server" if len(dead) == 1 else "are all the transport servers"
            inbound = Effect(
                "outage",
                f"{_names(dead)} {only}, so inbound mail waits on the senders' queues until one is back",
                "transport.redundancy",
            )
            outbound = Effect(
                "outage", "no transport server is left to send mail out", "transport.redundancy"
            )
            return inbound, outbound
        inbound = Effect(
            "failover",
            f"the MX records also list {_names(alive)}, so senders retry there",
            "transport.redundancy",
        )
        outbound = Effect(
            "failover",
            f"the send connector also lists {_names(alive)} as source servers",
            "transport.redundancy",
        )
        return inbound, outbound


def _explain(description: str, effects: dict[str, Effect]) -> str:
    """One sentence: what the failure does to the services, most severe first, and why."""
    parts: list[str] = []
    for outcome, verb in (("outage", "cuts off"), ("degraded", "slows"), ("failover", "briefly interrupts")):
        by_reason: dict[Effect, list[str]] = {}
        for service, effect in effects.items():
            if effect.outcome == outcome:
                by_reason.setdefault(effect, []).append(service)
        for effect, services in by_reason.items():
            parts.append(f"{verb} {_services_phrase(services)} because {effect.sentence()}")
    if not parts:
        quiet = next((e for e in effects.values() if e.reason), None)
        tail = f" ({quiet.sentence()})" if quiet else ""
        return f"Losing the {description} leaves every service running{tail}."
    return f"Losing the {description} {'; '.join(parts)}."


def simulate(topology: Topology) -> Analysis:
    """Fail each component alone and collect outcomes, single points of failure and coverage."""
    evaluator = _Evaluator(topology)
    scenarios: list[Scenario] = []
    for component in topology.components.values():
        effects = evaluator.evaluate(topology.failed_by(component.id))
        scenarios.append(Scenario(component.id, component.kind, component.description, effects))
    return _collect(topology, scenarios)


@dataclass(frozen=True)
class DoubleFailure:
    """Two components down together that take a service down where neither alone does."""

    first: str
    second: str
    effects: dict[str, Effect]  # only the services that go down together
    lost_share: float  # the share of mailboxes cut off: every one, or the databases left without a copy


# The kinds whose pairs the expected-downtime estimate counts (database copies and the site aside).
DOUBLE_KINDS = frozenset({"server", "witness", "domain_controller", "load_balancer"})


def double_failures(topology: Topology, singles: Sequence[Scenario]) -> tuple[DoubleFailure, ...]:
    """Every pair of servers, witness, domain controllers and load-balancer units (or their
    hosts) whose failure together gives an outage that neither gives alone: a DAG member with
    the witness, both units of a pair, both domain controllers, two servers holding every copy
    of a database."""
    evaluator = _Evaluator(topology)
    alone = {s.component: s.effects for s in singles}
    candidates = [c.id for c in topology.components.values() if c.kind in DOUBLE_KINDS]
    databases = max(1, len(topology.copies))
    found = []
    for i, first in enumerate(candidates):
        for second in candidates[i + 1 :]:
            effects = evaluator.evaluate(topology.failed_by(first) | topology.failed_by(second))
            new = {
                service: effect
                for service, effect in effects.items()
                if effect.outcome == "outage"
                and alone[first][service].outcome != "outage"
                and alone[second][service].outcome != "outage"
            }
            if not new:
                continue
            share = 1.0
            if all(e.rule == "dag.database_copy_failover" for e in new.values()):
                down = topology.failed_by(first) | topology.failed_by(second)
                lost = [d for d, servers in topology.copies.items() if all(s in down for s in servers)]
                share = len(lost) / databases if lost else 1.0
            found.append(DoubleFailure(first, second, new, share))
    return tuple(found)


def _collect(topology: Topology, scenarios: list[Scenario]) -> Analysis:
    coverage: dict[tuple[str, str], tuple[str, str | None]] = {
        (kind, service): ("unaffected", None) for kind in FAILURE_KINDS for service in SERVICES
    }
    spofs: list[SinglePointOfFailure] = []
    for scenario in scenarios:
        for service, effect in scenario.effects.items():
            held = coverage[(scenario.kind, service)]
            if OUTCOME_SEVERITY[effect.outcome] > OUTCOME_SEVERITY[held[0]]:
                coverage[(scenario.kind, service)] = (effect.outcome, scenario.component)
        down = scenario.outage_services()
        if down:
            spofs.append(SinglePointOfFailure(scenario, down))
    return Analysis(topology, tuple(scenarios), tuple(spofs), coverage)


@dataclass(frozen=True)
class Overload:
    """A server past its sizing in one situation: which resource, its load and its limit."""

    server: str
    resource: str  # CPU, memory, IOPS, disk, mounted databases
    load: float
    limit: float

    @property
    def share(self) -> float:
        return self.load / self.limit if self.limit else float("inf")

    def words(self, when: str) -> str:
        return f"{self.server} needs {self.share:.0%} of the {self.resource} it is sized for {when}"


def sized(
    analysis: Analysis,
    loads: Mapping[str, Mapping[str, ServerLoad]],
    overloads: Mapping[str | None, Sequence[Overload]],
) -> Analysis:
    """The analysis with what the design's sizing adds: each server failure's loads on the
    survivors, and `degraded` wherever a survivor runs past its sizing (a service that stays up
    but slow meets no goal). Past its sizing in normal operation, a design is degraded in every
    situation that does not take the service down."""
    normal = list(overloads.get(None, ()))
    scenarios = []
    degrades = False
    for scenario in analysis.scenarios:
        # A server's own failure is judged by its survivors' loads (which include the normal
        # operation's); any other failure by the normal operation's, the failed server aside.
        failed = list(overloads.get(scenario.component, ()))
        past = failed or [o for o in normal if o.server != scenario.component]
        effects = scenario.effects
        if past:
            worst = max(past, key=lambda o: o.share)
            when = f"with {scenario.component} down" if failed else "even in normal operation"
            reason = worst.words(when)
            if len(past) > 1:
                reason += f" (and {len(past) - 1} more limit{'s' if len(past) > 2 else ''} past)"
            degraded = Effect("degraded", reason, "sizing.failure_mode")
            effects = {
                service: effect if effect.outcome == "outage" else degraded
                for service, effect in effects.items()
            }
            degrades = True
            scenarios.append(
                Scenario(
                    scenario.component,
                    scenario.kind,
                    scenario.description,
                    effects,
                    loads.get(scenario.component),
                )
            )
        else:
            scenarios.append(scenario.carrying(loads.get(scenario.component)))
    if degrades:
        return _collect(analysis.topology, scenarios)
    # Every effect is the simulator's own: the coverage and the single points of failure are
    # the shape's (collected from these same effects), on the scenarios that carry the loads.
    sized_as = {id(old): new for old, new in zip(analysis.scenarios, scenarios, strict=True)}
    spofs = analysis.single_points_of_failure
    return Analysis(
        analysis.topology,
        tuple(scenarios),
        tuple(SinglePointOfFailure(sized_as[id(s.scenario)], s.services) for s in spofs),
        dict(analysis.coverage),
    )


class Simulator:
    """The analyses of the shapes a process has simulated, kept for it (the Advisor owns one).

    Full analyses are kept least recently used first out, bounded by how many scenarios they
    hold in all (an analysis's size grows with its servers and databases; 60,000 scenarios are
    about 45 MB); the small outage sets the optimizer scores shapes by are kept apart, bounded
    by count, so scoring many shapes never pushes out the analyses of the designs reported.
    A shape is simulated once while either holds it.
    """

    def __init__(self, scenarios: int = 60_000, outage_sets: int = 8192):
        self._budget = scenarios
        self._held = 0
        self._analyses: OrderedDict[Shape, Analysis] = OrderedDict()
        self._outage_limit = outage_sets
        self._outages: OrderedDict[Shape, frozenset[tuple[str, str]]] = OrderedDict()
        self._doubles: OrderedDict[Shape, tuple[DoubleFailure, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def analysis(self, shape: Shape) -> Analysis:
        """The full analysis of a shape (every scenario)."""
        with self._lock:
            found = self._analyses.get(shape)
            if found is not None:
                self._analyses.move_to_end(shape)
                return found
        analysis = simulate(build(shape))
        self._keep(shape, analysis)
        return analysis

    def outages(self, shape: Shape) -> frozenset[tuple[str, str]]:
        """The (failure kind, service) pairs some failure of that kind gives an outage for."""
        with self._lock:
            found = self._outages.get(shape)
            if found is not None:
                self._outages.move_to_end(shape)
                return found
            held = self._analyses.get(shape)
        analysis = held if held is not None else simulate(build(shape))
        outages = frozenset(key for key, (worst, _) in analysis.coverage.items() if worst == "outage")
        with self._lock:
            self._outages[shape] = outages
            while len(self._outages) > self._outage_limit:
                self._outages.popitem(last=False)
        if held is None:
            self._keep(shape, analysis)
        return outages

    def _keep(self, shape: Shape, analysis: Analysis) -> None:
        with self._lock:
            if shape in self._analyses:
                return
            self._analyses[shape] = analysis
            self._held += len(analysis.scenarios)
            while self._held > self._budget and len(self._analyses) > 1:
                _, dropped = self._analyses.popitem(last=False)
                self._held -= len(dropped.scenarios)

    def doubles(self, shape: Shape) -> tuple[DoubleFailure, ...]:
        """The double failures of a shape that matter (see `double_failures`), kept per shape."""
        with self._lock:
            found = self._doubles.get(shape)
            if found is not None:
                return found
        analysis = self.analysis(shape)
        found = double_failures(analysis.topology, analysis.scenarios)
        with self._lock:
            self._doubles[shape] = found
            while len(self._doubles) > self._outage_limit:
                self._doubles.popitem(last=False)
        return found

    def __len__(self) -> int:
        """How many full analyses are held."""
        with self._lock:
            return len(self._analyses)
