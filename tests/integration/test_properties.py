"""Properties over random valid requests, and a brute-force check of the MILP's optimum."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.architectures import NAMES as ARCHITECTURES
from advisor.architectures import spec
from advisor.catalog import Catalog, Item, LoadBalancerModel, ServerModel
from advisor.domain import FAILURE_KINDS, SERVICES, Cost, Design, Request
from advisor.optimizer import EngineCache, Highs, optimize
from advisor.optimizer.model import Column, Selection, Unsizable, build_model, select_columns
from advisor.optimizer.solve import SolverStats, solve
from advisor.optimizer.variants import Forbidden, Scorer, Variant, allowed, enumerate_variants, structures
from advisor.pricing import bill_of_materials
from advisor.schemas import parse_request
from advisor.topology import Shape
from tests.conftest import make_request

HIGHS = Highs()

goal = st.fixed_dictionaries(
    {
        "failure": st.sampled_from(FAILURE_KINDS[:-1]),
        "services": st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True),
        "priority": st.sampled_from(["required", "preferred"]),
        "weight": st.integers(1, 10),
    }
)
requests = st.fixed_dictionaries(
    {
        "budget": st.fixed_dictionaries(
            {"amount": st.integers(5_000, 150_000), "applies_to": st.sampled_from(["upfront", "total"])}
        ),
        "horizon_years": st.integers(1, 5),
        "exchange": st.fixed_dictionaries({"edition": st.sampled_from(["any", "standard", "enterprise"])}),
        "windows": st.fixed_dictionaries(
            {
                "version": st.sampled_from(["2008", "2008R2", "2012", "2012R2"]),
                "edition": st.sampled_from(["any", "standard", "datacenter"]),
            }
        ),
        "mailboxes": st.integers(1, 6000),
        "databases": st.integers(1, 30),
        "environment": st.fixed_dictionaries(
            {
                "domain_controllers": st.integers(0, 3),
                "witness_host": st.sampled_from(["existing", "buy"]),
                "cals_owned": st.integers(0, 6000),
            }
        ),
        "goals": st.lists(goal, max_size=4),
        "objective": st.sampled_from(["min_cost", "max_goals"]),
        "alternatives": st.integers(1, 6),
    }
)


def shape_of(rec: dict[str, Any], request: Request) -> Shape:
    d = rec["design"]
    return Shape(
        spec(rec["architecture"]),
        d["exchange_servers"],
        d["dedicated_cas_servers"],
        d["witness"],
        request.environment.domain_controllers + d["domain_controllers_added"],
        request.databases,
        d["database_copies"],
    )


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_every_recommendation_fits_the_budget_meets_required_goals_and_adds_up(
    advisor: Any, data: Any
) -> None:
    request = parse_request(data)
    response = advisor.recommend(data)
    assert len(response["weighed"]) == len(ARCHITECTURES)
    assert len(response["recommendations"]) <= request.alternatives
    architectures = [r["architecture"] for r in response["recommendations"]]
    assert len(set(architectures)) == len(architectures)
    budget = request.budget.amount_cents / 100
    for rec in response["recommendations"]:
        cost = rec["cost"]
        measure = cost["total"] if request.budget.applies_to == "total" else cost["upfront"]
        assert measure <= budget + 1e-9
        assert cost["within_budget"] is True
        bill = rec["bill_of_materials"]
        assert cost["upfront"] == pytest.approx(sum(b["upfront"] for b in bill), abs=0.005)
        assert cost["annual"] == pytest.approx(sum(b["annual"] for b in bill), abs=0.005)
        assert cost["total"] == pytest.approx(
            cost["upfront"] + request.horizon_years * cost["annual"], abs=0.005
        )
        analysis = advisor.cache.simulator.analysis(shape_of(rec, request))
        for (failure, service), g in request.goal_pairs().items():
            if g.priority == "required":
                assert analysis.meets(failure, service), (rec["architecture"], failure, service)
    if not response["recommendations"] and response["minimum_budget"]:
        assert response["minimum_budget"]["amount"] > budget


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_the_minimum_budget_depends_on_neither_the_budget_nor_the_objective(advisor: Any, data: Any) -> None:
    seen = set()
    for amount in (1, data["budget"]["amount"], 10**8):
        for objective in ("min_cost", "max_goals"):
            changed = {**data, "objective": objective, "budget": {**data["budget"], "amount": amount}}
            minimum = advisor.recommend(changed)["minimum_budget"]
            seen.add(None if minimum is None else (minimum["amount"], minimum["architecture"]))
    assert len(seen) == 1, seen


def small_catalog(base: Catalog, prices: list[int], lb_prices: list[int]) -> Catalog:
    """Three server models and three load balancers with drawn prices; a DAG of at most 4."""
    servers = {}
    for i, (price, carry) in enumerate(zip(prices, (200, 700, 1500), strict=True)):
        sku = f"SRV-{i}"
        servers[sku] = ServerModel(
            Item(sku, f"server {i}", price * 100, price * 15, "test", "hardware"), 1, carry
        )
    servers["SRV-SMALL-1S"] = base.servers["SRV-SMALL-1S"]
    lbs = {}
    for i, price in enumerate(lb_prices):
        sku = f"LB-{i}"
        lbs[sku] = LoadBalancerModel(
            Item(sku, f"lb {i}", price * 100, price * 18, "test", "appliance"), "hardware", i != 0
        )
    policy = dataclasses.replace(base.policy, max_dedicated_cas_servers=3)
    return dataclasses.replace(base, servers=servers, load_balancers=lbs, dag_max_members=4, policy=policy)


def every_design(
    architecture: str, request: Request, catalog: Catalog, cache: EngineCache
) -> Iterator[tuple[Design, Variant]]:
    """Every design of an architecture the product limits allow, with its structure, unpruned."""
    arch = spec(architecture)
    options = allowed(arch, request, catalog)
    if isinstance(options, Forbidden):
        return
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    survive = arch.dag and any(g.failure == "server" for g in request.goals)
    models = [s.item.sku for s in catalog.exchange_servers_models()]
    units = arch.load_balancer_units
    for v in enumerate_variants(arch, request, catalog, cache):
        s = v.shape
        cas_choices: list[tuple[str | None, str | None, str | None]] = [(None, None, None)]
        if s.dedicated_cas_servers:
            cas_choices = list(
                itertools.product(models, options.cas_windows_editions, options.exchange_editions)
            )
        lb_choices = list(options.load_balancer_models) if units else [None]
        for model, win, exch, cas, lb in itertools.product(
            models, options.windows_editions, options.exchange_editions, cas_choices, lb_choices
        ):
            carry = catalog.servers[model].mailboxes
            n = s.exchange_servers
            if carry * (n - 1 if survive and n > 1 else n) < request.mailboxes:
                continue
            if -(-s.database_copies * request.databases // n) > limits[exch]:
                continue
            m = s.dedicated_cas_servers
            if m and catalog.servers[cas[0]].mailboxes * (m - 1 if survive else m) < request.mailboxes:
                continue
            design = Design(
                arch,
                n,
                m,
                s.witness,
                win,
                exch,
                model,
                s.database_copies,
                v.domain_controllers_added,
                lb,
                *cas,
            )
            yield design, v


def brute_force(
    architecture: str, request: Request, catalog: Catalog, cache: EngineCache
) -> tuple[int, float] | None:
    """Every design of an architecture, priced and checked: the best (total, -weight) or None."""
    best: tuple[int, float] | None = None
    for design, v in every_design(architecture, request, catalog, cache):
        if not v.meets_required:
            continue
        cost = bill_of_materials(design, request, catalog).cost
        if cost.measure(request.budget.applies_to) > request.budget.amount_cents:
            continue
        key = (cost.total_cents, -v.weight)
        if best is None or _better(key, best, request.objective):
            best = key
    return best


def _better(key: tuple[int, float], best: tuple[int, float], objective: str) -> bool:
    """min_cost: the lowest total, then the most weight; max_goals: the most weight, then total."""
    if objective == "max_goals":
        return (key[1], key[0]) < (best[1], best[0])
    return key < best


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prices=st.lists(st.integers(500, 20_000), min_size=3, max_size=3),
    lb_prices=st.lists(st.integers(300, 9_000), min_size=3, max_size=3),
    data=requests,
)
def test_brute_force_over_a_small_catalog_finds_the_milps_optimum_for_either_objective(
    catalog: Catalog, prices: list[int], lb_prices: list[int], data: Any
) -> None:
    data = {**data, "mailboxes": min(data["mailboxes"], 2000)}
    request = parse_request(data)
    small = small_catalog(catalog, prices, lb_prices)
    cache = EngineCache()
    result = optimize(request, small, cache, HIGHS)
    for architecture in ARCHITECTURES:
        expected = brute_force(architecture, request, small, cache)
        found = result.results[architecture]
        if expected is None:
            assert found.status != "feasible" and found.status != "recommended"
            continue
        assert found.quote is not None and found.status in ("feasible", "recommended")
        assert found.quote.cost.total_cents == expected[0], architecture
        assert -found.weight == pytest.approx(expected[1]), architecture


def test_brute_force_and_milp_agree_on_a_fixed_small_catalog_where_every_architecture_fits(
    catalog: Catalog,
) -> None:
    small = small_catalog(catalog, [900, 2500, 7000], [800, 1500, 4000])
    data = {
        "budget": {"amount": 10**6},
        "mailboxes": 1200,
        "databases": 6,
        "goals": [{"failure": "server", "services": ["smtp_inbound"], "priority": "preferred", "weight": 2}],
    }
    request = parse_request(data)
    cache = EngineCache()
    result = optimize(request, small, cache, HIGHS)
    compared = 0
    for architecture in ARCHITECTURES:
        expected = brute_force(architecture, request, small, cache)
        assert expected is not None, architecture
        assert result.results[architecture].quote.cost.total_cents == expected[0]  # type: ignore[union-attr]
        compared += 1
    assert compared == len(ARCHITECTURES)


def _design_of(column: Column, architecture: str, load_balancer: str | None) -> Design:
    s = column.variant.shape
    cas = column.cas
    return Design(
        spec(architecture),
        s.exchange_servers,
        s.dedicated_cas_servers,
        s.witness,
        column.mailbox.windows,
        column.mailbox.exchange,
        column.mailbox.model,
        s.database_copies,
        column.variant.domain_controllers_added,
        load_balancer,
        cas.model if cas else None,
        cas.windows if cas else None,
        cas.exchange if cas else None,
    )


PRUNING_CASES = {
    "seed": make_request(),
    "preferred domain controller, one owned": make_request(
        environment={"domain_controllers": 1, "witness_host": "buy"},
        goals=[
            {"failure": "database", "services": ["outlook"]},
            {"failure": "domain_controller", "services": ["smtp_outbound"], "priority": "preferred"},
            {"failure": "witness", "services": ["outlook"], "priority": "preferred", "weight": 3},
        ],
        objective="max_goals",
    ),
    "standard editions, many databases": make_request(
        windows={"version": "2012R2", "edition": "standard"}, databases=12, mailboxes=1800
    ),
}


def _selection(architecture: str, request: Request, catalog: Catalog, cache: EngineCache) -> Selection | None:
    arch = spec(architecture)
    options = allowed(arch, request, catalog)
    if isinstance(options, Forbidden):
        return None
    found = structures(arch, request, catalog, cache)
    try:
        return select_columns(arch, request, catalog, options, found, Scorer(request, cache.simulator), cache)
    except Unsizable:
        return None


@pytest.mark.parametrize("case", list(PRUNING_CASES))
def test_every_design_left_out_of_the_model_is_matched_or_beaten_by_one_in_it(
    catalog: Catalog, case: str
) -> None:
    request = parse_request(PRUNING_CASES[case])
    cache = EngineCache()
    checked = {True: 0, False: 0}
    for architecture in ARCHITECTURES:
        selection = _selection(architecture, request, catalog, cache)
        if selection is None:
            continue
        variants = enumerate_variants(spec(architecture), request, catalog, cache)
        assert selection.meets_required == any(v.meets_required for v in variants)
        assert all(c.variant.meets_required == selection.meets_required for c in selection.columns)
        priced: dict[tuple[int, str | None], Cost] = {}
        for design, variant in every_design(architecture, request, catalog, cache):
            if selection.meets_required and not variant.meets_required:
                continue
            cost = bill_of_materials(design, request, catalog).cost
            rivals = []
            for i, column in enumerate(selection.columns):
                key = (i, design.load_balancer_model)
                if key not in priced:
                    priced[key] = bill_of_materials(
                        _design_of(column, architecture, design.load_balancer_model), request, catalog
                    ).cost
                rivals.append((priced[key], column.variant.weight))
            assert any(
                c.upfront_cents <= cost.upfront_cents
                and c.annual_cents <= cost.annual_cents
                and weight >= variant.weight
                for c, weight in rivals
            ), (architecture, design)
            checked[selection.meets_required] += 1
    assert checked[True] > 0
    if case == "seed":
        assert checked[False] > 0  # dag_only cannot keep Outlook up through a server failure


def test_a_costlier_structure_that_meets_more_preferred_weight_stays_in_the_model(catalog: Catalog) -> None:
    request = parse_request(PRUNING_CASES["preferred domain controller, one owned"])
    cache = EngineCache()
    selection = _selection("dag_only", request, catalog, cache)
    assert selection is not None and selection.meets_required
    weights = sorted({column.variant.weight for column in selection.columns})
    added = {column.variant.domain_controllers_added for column in selection.columns}
    assert weights[0] < weights[-1] and added == {0, 1}
    assert len(selection.columns) < len(structures(spec("dag_only"), request, catalog, cache))


def test_structures_costlier_than_a_kept_design_meeting_every_goal_are_never_simulated(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = parse_request(make_request(databases=3))
    cache = EngineCache()  # nothing simulated yet: the advisor's own caches are not shared with tests
    simulated: list[Shape] = []
    real = cache.simulator.outages
    monkeypatch.setattr(cache.simulator, "outages", lambda shape: simulated.append(shape) or real(shape))
    selection = _selection("dedicated_cas_wnlb", request, catalog, cache)
    assert selection is not None and selection.meets_required
    found = structures(spec("dedicated_cas_wnlb"), request, catalog, cache)
    assert 0 < len(simulated) < len(found) / 4
    assert {c.variant.shape for c in selection.columns} <= set(simulated)


@pytest.mark.parametrize("case", list(PRUNING_CASES))
def test_a_models_least_cost_is_what_the_milp_finds_with_the_budget_lifted(
    catalog: Catalog, case: str
) -> None:
    request = parse_request(PRUNING_CASES[case])
    cache = EngineCache()
    compared = 0
    for architecture in ARCHITECTURES:
        options = allowed(spec(architecture), request, catalog)
        selection = _selection(architecture, request, catalog, cache)
        if selection is None or isinstance(options, Forbidden):
            continue
        model = build_model(
            spec(architecture), request, catalog, options, selection.columns, with_budget=True
        )
        model.lift_budget()
        for measure in (model.upfront, model.total):
            model.problem.setObjective(measure)
            assert solve(model.problem, SolverStats(), HIGHS)
            assert pulp.value(measure) == pytest.approx(model.least(measure), abs=1e-6), architecture
            compared += 1
    assert compared >= 4


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_the_milps_cost_of_its_optimum_is_the_bill_of_materials_of_the_design_read_back(
    catalog: Catalog, data: Any
) -> None:
    """One pricing source: the model's cost coefficients are the bill's lines, so the two agree
    on every design the solver picks (no run-time reconciliation stands between them)."""
    from advisor.optimizer.model import extract_design

    request = parse_request(data)
    cache = EngineCache()
    for architecture in ARCHITECTURES:
        options = allowed(spec(architecture), request, catalog)
        selection = _selection(architecture, request, catalog, cache)
        if selection is None or isinstance(options, Forbidden):
            continue
        model = build_model(
            spec(architecture), request, catalog, options, selection.columns, with_budget=True
        )
        model.lift_budget()
        model.problem.setObjective(model.total)
        assert solve(model.problem, SolverStats(), HIGHS)
        design, _ = extract_design(model)
        cost = bill_of_materials(design, request, catalog).cost
        assert round(pulp.value(model.upfront)) == cost.upfront_cents, architecture
        assert round(pulp.value(model.annual)) == cost.annual_cents, architecture
