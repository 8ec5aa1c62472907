"""The failure simulator against the rules in DOMAIN.md, one table row per rule."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from pathlib import Path

import pytest

from advisor.architectures import spec
from advisor.catalog.loader import load_catalog
from advisor.catalog.registry import shipped_catalogs_dir
from advisor.domain import MailboxProfile
from advisor.failures import Analysis, Simulator, _collect, sized
from advisor.sizing import Demand
from advisor.topology import Shape

SIMULATOR = Simulator()


def analyze_shape(shape: Shape) -> Analysis:
    return SIMULATOR.analysis(shape)


def shape(
    architecture: str,
    servers: int = 2,
    cas: int = 0,
    witness: str = "existing",
    dcs: int = 2,
    databases: int = 4,
    copies: int = 2,
) -> Shape:
    if architecture == "single_server":
        servers, copies, witness = 1, 1, "none"
    return Shape(spec(architecture), servers, cas, witness, dcs, databases, copies)


def outcome(s: Shape, component: str, service: str) -> str:
    scenario = next(x for x in analyze_shape(s).scenarios if x.component == component)
    return scenario.outcomes[service]


SEED = shape("dag_only")
DNS = shape("dag_cas_array_dns")
ONE_LB = shape("dag_cas_array_single_lb")
LB_PAIR = shape("dag_cas_array_lb_pair")
WNLB = shape("dedicated_cas_wnlb", cas=2, witness="cas_server")
SINGLE = shape("single_server")


@pytest.mark.parametrize(
    ("design", "component", "service", "expected"),
    [
        # The seed case: database failover is invisible, ex-2 is survivable, ex-1 is not.
        (SEED, "db-1@ex-1", "outlook", "failover"),
        (SEED, "db-1@ex-2", "outlook", "unaffected"),
        (SEED, "ex-2", "outlook", "failover"),
        (SEED, "ex-1", "outlook", "outage"),
        (SEED, "ex-1", "owa", "outage"),
        (SEED, "ex-1", "smtp_inbound", "failover"),
        (SEED, "ex-1", "smtp_outbound", "failover"),
        # A CAS array behind DNS alone: the dead server's clients are cut off.
        (DNS, "ex-1", "outlook", "outage"),
        (DNS, "ex-2", "outlook", "outage"),
        (DNS, "db-2@ex-2", "outlook", "failover"),
        # One load balancer: servers fail over, the unit itself is an outage.
        (ONE_LB, "ex-1", "outlook", "failover"),
        (ONE_LB, "lb-1", "outlook", "outage"),
        (ONE_LB, "lb-1", "owa", "outage"),
        (ONE_LB, "lb-1", "activesync", "outage"),
        (ONE_LB, "lb-1", "smtp_inbound", "unaffected"),
        # A pair: the active unit's loss is a failover, the standby's goes unnoticed.
        (LB_PAIR, "lb-1", "outlook", "failover"),
        (LB_PAIR, "lb-2", "outlook", "unaffected"),
        (LB_PAIR, "ex-1", "outlook", "failover"),
        # Windows NLB on dedicated CAS servers.
        (WNLB, "cas-1", "outlook", "failover"),
        (WNLB, "cas-2", "owa", "failover"),
        (WNLB, "ex-1", "outlook", "failover"),
        (WNLB, "cas-1", "smtp_inbound", "failover"),
        # The witness alone is not an outage for a 2-member DAG.
        (SEED, "witness", "outlook", "unaffected"),
        (WNLB, "witness", "outlook", "unaffected"),
        # Domain controllers: one is a single point of failure, two are not.
        (shape("dag_cas_array_lb_pair", dcs=1), "dc-1", "outlook", "outage"),
        (shape("dag_cas_array_lb_pair", dcs=1), "dc-1", "smtp_inbound", "outage"),
        (LB_PAIR, "dc-1", "outlook", "failover"),
        # One server: its databases have no other copy.
        (SINGLE, "db-1@ex-1", "outlook", "outage"),
        (SINGLE, "db-1@ex-1", "smtp_inbound", "unaffected"),
        (SINGLE, "ex-1", "smtp_inbound", "outage"),
        # One site: losing it is an outage of everything, and it is said.
        (LB_PAIR, "site-1", "outlook", "outage"),
        (LB_PAIR, "site-1", "smtp_outbound", "outage"),
    ],
)
def test_a_single_failure_has_the_outcome_the_domain_rules_give(
    design: Shape, component: str, service: str, expected: str
) -> None:
    assert outcome(design, component, service) == expected


def test_the_seed_case_names_ex1_as_the_outlook_single_point_of_failure() -> None:
    spofs = {s.component: s for s in analyze_shape(SEED).single_points_of_failure}
    assert set(spofs) == {"ex-1", "site-1"}
    assert "outlook" in spofs["ex-1"].services
    assert "RpcClientAccessServer" in spofs["ex-1"].explanation
    assert "rule ex2010.rpc_client_access" in spofs["ex-1"].explanation


def test_a_dns_cas_array_explains_that_clients_wait_for_dns() -> None:
    spof = next(s for s in analyze_shape(DNS).single_points_of_failure if s.component == "ex-2")
    assert "DNS" in spof.explanation and "rule ex2010.cas_array_dns" in spof.explanation


def test_windows_nlb_scenarios_say_nlb_checks_servers_not_services() -> None:
    scenario = next(s for s in analyze_shape(WNLB).scenarios if s.component == "cas-1")
    assert "not a failed service" in scenario.explanation
    assert "rule wnlb.server_health" in scenario.explanation


def test_the_witness_and_a_member_together_lose_quorum() -> None:
    from advisor.failures import _Evaluator
    from advisor.topology import build

    topology = build(SEED)
    effects = _Evaluator(topology).evaluate(frozenset({"ex-2", "witness", "db-1@ex-2"}))
    assert effects["outlook"].outcome == "outage"
    assert effects["outlook"].rule == "dag.quorum"


def test_a_goal_on_a_kind_the_design_lacks_is_met() -> None:
    analysis = analyze_shape(SEED)
    assert analysis.meets("load_balancer", "outlook")
    assert not analysis.meets("server", "outlook")


def test_a_single_point_of_failure_is_exactly_a_component_with_an_outage() -> None:
    for design in (SEED, DNS, ONE_LB, LB_PAIR, WNLB, SINGLE):
        analysis = analyze_shape(design)
        with_outage = {s.component for s in analysis.scenarios if "outage" in s.outcomes.values()}
        assert {s.component for s in analysis.single_points_of_failure} == with_outage


def test_every_rule_the_simulator_cites_is_in_the_shipped_rules() -> None:
    rules = load_catalog(shipped_catalogs_dir() / "default").rules
    source = (Path(__file__).resolve().parents[2] / "advisor" / "failures.py").read_text()
    cited = set(re.findall(r'"((?:[a-z0-9_]+\.)+[a-z0-9_]+)"\)', source))
    cited |= set(re.findall(r'(?:rule|Effect\([^)]*)"([a-z0-9_]+\.[a-z0-9_.]+)"', source))
    assert cited, "the simulator cites no rules"
    for design in (SEED, DNS, ONE_LB, LB_PAIR, WNLB, SINGLE):
        for scenario in analyze_shape(design).scenarios:
            cited |= {e.rule for e in scenario.effects.values() if e.rule}
    assert cited <= set(rules), cited - set(rules)


def test_every_explanation_is_one_sentence_naming_a_rule_when_something_breaks() -> None:
    for design in (SEED, DNS, ONE_LB, LB_PAIR, WNLB, SINGLE):
        for scenario in analyze_shape(design).scenarios:
            assert scenario.explanation.endswith(".")
            assert scenario.explanation.count(". ") == 0
            if set(scenario.outcomes.values()) != {"unaffected"}:
                assert "(rule " in scenario.explanation


def test_kept_analyses_are_bounded_by_their_scenarios_and_the_least_recently_used_goes_first() -> None:
    small = [shape("dag_only", databases=databases) for databases in (1, 2, 3)]
    sizes = [len(analyze_shape(shape).scenarios) for shape in small]
    cache = Simulator(scenarios=sizes[0] + sizes[1] + sizes[2] - 1)
    first = cache.analysis(small[0])
    assert cache.analysis(small[0]) is first  # kept
    cache.analysis(small[1])
    cache.analysis(small[0])  # now the most recently used
    cache.analysis(small[2])  # over the budget: small[1] goes
    assert cache.analysis(small[0]) is first
    held = dict(cache._analyses)
    assert small[1] not in held and small[2] in held
    assert cache._held == sizes[0] + sizes[2] <= cache._budget


def test_an_analysis_larger_than_the_whole_budget_is_still_kept_alone() -> None:
    large = shape("dag_only", servers=4, databases=40)
    cache = Simulator(scenarios=1)
    analysis = cache.analysis(large)
    assert cache.analysis(large) is analysis and list(cache._analyses) == [large]


def test_a_shape_scored_for_its_outages_is_not_simulated_again_for_its_analysis() -> None:
    cache = Simulator()
    seed = shape("dag_only", databases=5)
    outages = cache.outages(seed)
    analysis = cache.analysis(seed)
    assert cache.outages(seed) is outages
    assert {key for key, (worst, _) in analysis.coverage.items() if worst == "outage"} == outages
    assert len(cache) == 1


def test_a_sizing_that_degrades_nothing_keeps_the_shapes_coverage_and_single_points_of_failure() -> None:
    unsized = SIMULATOR.analysis(shape("dag_only", servers=3, databases=6, copies=2))
    loads = {s.component: {} for s in unsized.scenarios if s.kind == "server"}
    kept = sized(unsized, loads, {})
    collected = _collect(unsized.topology, [s.carrying(loads.get(s.component)) for s in unsized.scenarios])
    assert kept == collected
    assert [s.load for s in kept.scenarios] == [loads.get(s.component) for s in unsized.scenarios]
    assert all(s.scenario in kept.scenarios for s in kept.single_points_of_failure)
    assert [s.explanation for s in kept.scenarios] == [s.explanation for s in unsized.scenarios]
    # A failure that loads no survivor is the shape's own scenario, not a copy of it.
    unloaded = [(a, b) for a, b in zip(unsized.scenarios, kept.scenarios, strict=True) if b.load is None]
    assert unloaded and all(a is b for a, b in unloaded)
    assert all(
        a is not b for a, b in zip(unsized.scenarios, kept.scenarios, strict=True) if b.load is not None
    )


def test_a_shape_and_a_need_hash_as_their_dataclass_would_and_leave_no_hash_in_a_copy() -> None:
    seed = shape("dag_only", databases=5)
    need = Demand(megacycles=1200.5, memory_gb=16, iops=80.25, disk_gb=900, mounts=4, active=2)
    for value in (seed, need, MailboxProfile(200, 5)):
        fields = tuple(getattr(value, f.name) for f in dataclasses.fields(value) if f.compare)
        assert hash(value) == hash(fields) == hash(value)
        again = copy.copy(value)
        assert again == value and "_hash_once" not in vars(again)
    for value in (need, MailboxProfile(200, 5)):  # a shape's spec compares by identity: not pickled
        again = pickle.loads(pickle.dumps(value))
        assert "_hash_once" not in vars(again) and again == value and hash(again) == hash(value)
    assert dataclasses.replace(need, mounts=5) != need and hash(dataclasses.replace(need)) == hash(need)
