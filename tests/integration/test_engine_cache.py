"""What the engine keeps between requests: hardware priced once per platform, sizing needs once
per shape and mailbox count, and answers that do not depend on what a cache held before."""

from __future__ import annotations

import dataclasses
from typing import Any

from advisor import failures
from advisor.architectures import spec
from advisor.assess import assess
from advisor.availability import estimate
from advisor.catalog import Catalog
from advisor.catalog.registry import CatalogRegistry
from advisor.contract.responses import dump_recommendations
from advisor.optimizer import EngineCache
from advisor.optimizer.model import columns, hardware
from advisor.optimizer.variants import Options, Scorer, allowed, structures
from advisor.pricing import bill_of_materials
from advisor.schemas import parse_request
from advisor.service import Advisor
from tests.conftest import make_request


def _options(architecture: str, body: dict[str, Any], catalog: Catalog) -> Options:
    found = allowed(spec(architecture), parse_request(body), catalog)
    assert isinstance(found, Options)
    return found


def test_two_requests_on_one_platform_share_the_hardware_they_are_priced_on(catalog: Catalog) -> None:
    engine = EngineCache()
    arch = spec("dag_cas_array_lb_pair")
    first = make_request(budget={"amount": 10000})
    second = make_request(budget={"amount": 90000}, goals=[], mailboxes=1200, objective="max_goals")
    kit = hardware(arch, parse_request(first), catalog, _options(arch.name, first, catalog), engine)
    again = hardware(arch, parse_request(second), catalog, _options(arch.name, second, catalog), engine)
    assert again is kit


def test_another_storage_or_windows_edition_gets_hardware_of_its_own(catalog: Catalog) -> None:
    engine = EngineCache()
    arch = spec("dag_only")
    base = make_request(database_copies=3)
    others = [
        make_request(database_copies=3, storage="jbod"),
        make_request(windows={"edition": "enterprise"}),
    ]
    kit = hardware(arch, parse_request(base), catalog, _options(arch.name, base, catalog), engine)
    for body in others:
        other = hardware(arch, parse_request(body), catalog, _options(arch.name, body, catalog), engine)
        assert other is not kit
        assert other == hardware(arch, parse_request(body), catalog, _options(arch.name, body, catalog))


def test_columns_from_kept_sizing_needs_equal_columns_worked_out_afresh(catalog: Catalog) -> None:
    arch = spec("dag_cas_array_single_lb")
    engine = EngineCache()
    for body in (
        make_request(),
        make_request(goals=[{"failure": "server", "services": ["outlook"], "priority": "preferred"}]),
        make_request(environment={"witness_host": "buy", "domain_controllers": 1}, mailboxes=2500),
    ):
        request = parse_request(body)
        found = structures(arch, request, catalog, engine)
        kept = columns(arch, request, catalog, found, Scorer(request, engine.simulator), engine)
        fresh_engine = EngineCache()
        fresh = columns(
            arch,
            request,
            catalog,
            structures(arch, request, catalog, fresh_engine),
            Scorer(request, fresh_engine.simulator),
            fresh_engine,
        )
        assert kept == fresh


def test_an_answer_is_the_same_whatever_the_caches_held_before(registry: CatalogRegistry) -> None:
    bodies = [
        make_request(mailboxes=m, budget={"amount": a}, objective=o)
        for m, a, o in [(300, 30000, "min_cost"), (1200, 80000, "max_goals"), (150, 20000, "min_downtime")]
    ]
    warm = Advisor(registry)
    for body in reversed(bodies):
        warm.recommend(parse_request(body))
    for body in bodies:
        cold = dump_recommendations(Advisor(registry).recommend(parse_request(body)))
        held = dump_recommendations(warm.recommend(parse_request(body)))
        cold["solver"].pop("solve_ms")
        held["solver"].pop("solve_ms")
        assert held == cold


def test_a_design_is_assessed_apart_for_each_copy_layout(registry: CatalogRegistry) -> None:
    body = make_request(mailboxes=1200, databases=6, budget={"amount": 200000})
    request = parse_request(body)
    catalog = registry.get()
    advisor = Advisor(registry)
    chosen = advisor.recommend(request).recommendations[0].design
    laid_out = dataclasses.replace(chosen, exchange_servers=3, layout=((0, 1), (1, 2), (2, 0)) * 2)
    plain = dataclasses.replace(laid_out, layout=())
    assert plain == laid_out  # a design compares without its layout

    engine = EngineCache()
    kept = [engine.assess(d, request, catalog) for d in (laid_out, plain, laid_out)]

    assert kept[0] is kept[2]
    assert kept[1] is not kept[0]
    for design, assessment in zip((laid_out, plain), kept, strict=False):
        fresh = assess(design, request, catalog, EngineCache().simulator)
        assert assessment.sizing.layout == fresh.sizing.layout
        assert assessment.servers == fresh.servers


def test_after_warming_the_common_shapes_a_request_scores_its_structures_without_simulating(
    registry: CatalogRegistry, monkeypatch: Any
) -> None:
    service = Advisor(registry)
    held = service.warm_shapes()
    assert held == len(service.cache.simulator) > 0
    simulated: list[object] = []
    real = failures.simulate
    monkeypatch.setattr(failures, "simulate", lambda t: simulated.append(t) or real(t))
    catalog = registry.get()
    for body in (
        make_request(databases=6, environment={"domain_controllers": 1, "witness_host": "buy"}),
        make_request(databases=1, mailboxes=2500, goals=[]),
    ):
        request = parse_request(body)
        score = Scorer(request, service.cache.simulator)
        for name in ("dag_only", "dag_cas_array_lb_pair", "dedicated_cas_wnlb"):
            for structure in structures(spec(name), request, catalog, service.cache):
                score(structure)
    assert simulated == []


def test_requests_that_differ_in_budget_objective_or_horizon_share_selected_columns_and_model_bodies(
    registry: CatalogRegistry,
) -> None:
    advisor = Advisor(registry)
    advisor.recommend(parse_request(make_request()))
    selections, models = len(advisor.cache.selections), len(advisor.cache.models)
    assert selections > 0 and models > 0
    for amount, objective, years in [(90000, "max_goals", 5), (8000, "min_cost", 1), (45000, "min_cost", 4)]:
        body = make_request(budget={"amount": amount, "applies_to": "total"}, objective=objective)
        body["horizon_years"] = years
        held = dump_recommendations(advisor.recommend(parse_request(body)))
        cold = dump_recommendations(Advisor(registry).recommend(parse_request(body)))
        held["solver"].pop("solve_ms")
        cold["solver"].pop("solve_ms")
        assert held == cold
    assert (len(advisor.cache.selections), len(advisor.cache.models)) == (selections, models)

    advisor.recommend(parse_request(make_request(mailboxes=1200)))
    advisor.recommend(parse_request(make_request(goals=[{"failure": "database", "services": ["owa"]}])))
    assert len(advisor.cache.selections) > selections and len(advisor.cache.models) > models


def test_a_kept_model_body_is_never_solved_or_changed_only_copied(registry: CatalogRegistry) -> None:
    advisor = Advisor(registry)
    advisor.recommend(parse_request(make_request(objective="max_goals")))
    bodies = [entry[2] for entry in advisor.cache.models._values.values()]  # type: ignore[attr-defined]

    def looks(body: Any) -> tuple[int, int, int, dict[int, float]]:
        milp = body.milp
        return len(milp.names), len(milp.row_names), len(milp.implied), dict(milp.objective.terms)

    before = [looks(b) for b in bodies]
    advisor.recommend(parse_request(make_request(objective="max_goals", budget={"amount": 9000})))
    assert all(b.milp.solution is None for b in bodies)
    assert [looks(b) for b in bodies] == before


def test_a_designs_expected_downtime_is_kept_with_its_assessment_and_equals_a_fresh_estimate(
    registry: CatalogRegistry,
) -> None:
    catalog = registry.get()
    advisor = Advisor(registry)
    body = make_request(mailboxes=1200, databases=6, budget={"amount": 200000})
    design = advisor.recommend(parse_request(body)).recommendations[0].design
    engine = EngineCache()
    for changes in ({}, {"storage": "jbod", "database_copies": 3}, {"environment": {"hypervisor_hosts": 1}}):
        request = parse_request({**body, **changes})
        assessment = engine.assess(design, request, catalog)
        kept = engine.availability(assessment, request, catalog)
        assert engine.availability(assessment, request, catalog) is kept
        assert kept == estimate(assessment.analysis, assessment.doubles, design, request, catalog)


def test_a_service_that_answered_a_few_hundred_designs_answers_them_again_without_assessing(
    registry: CatalogRegistry, monkeypatch: Any
) -> None:
    from advisor.optimizer import cache

    bodies = [
        make_request(
            mailboxes=mailboxes,
            databases=databases,
            environment={"domain_controllers": dcs},
            budget={"amount": 60000},
        )
        for mailboxes in (150, 300, 600, 1200, 2500)
        for databases in (1, 2, 4, 8)
        for dcs in (1, 2)
    ]
    advisor = Advisor(registry)
    for body in bodies:
        advisor.recommend(parse_request(body))
    assert len(advisor.cache.assessments) > 256  # more than the engine once kept

    assessed: list[object] = []
    real = cache.assess
    monkeypatch.setattr(cache, "assess", lambda *a: assessed.append(a) or real(*a))
    for body in bodies:
        advisor.recommend(parse_request(body))
    assert assessed == []


def test_requests_with_the_same_goals_share_a_structures_scores_and_other_goals_or_simulators_do_not(
    registry: CatalogRegistry,
) -> None:
    catalog = registry.get()
    engine = EngineCache()
    arch = spec("dag_cas_array_lb_pair")
    goals = [
        {"failure": "server", "services": ["outlook"], "priority": "preferred", "weight": 3},
        {"failure": "load_balancer", "services": ["outlook"]},
    ]
    first = parse_request(make_request(goals=goals, budget={"amount": 9000}))
    second = parse_request(make_request(goals=goals, budget={"amount": 90000}, objective="max_goals"))
    other = parse_request(make_request(goals=goals[:1]))
    structure = structures(arch, first, catalog, engine)[0]
    assert structures(arch, second, catalog, engine)[0] is structure

    scored = Scorer(first, engine.simulator)
    variant, normal = scored(structure), scored.without_server(structure)
    again = Scorer(second, engine.simulator)
    assert again(structure) is variant and again.without_server(structure) is normal
    assert normal.weight == scored.weight_without_server(structure) < variant.weight
    assert normal.meets_required == variant.meets_required

    assert Scorer(other, engine.simulator)(structure) is not variant
    elsewhere = Scorer(first, failures.Simulator())
    fresh = elsewhere(structure)
    assert fresh is not variant and fresh == variant and fresh.simulator is elsewhere.simulator


def test_architectures_that_share_a_front_size_their_needs_as_the_same_objects_priced_once(
    catalog: Catalog,
) -> None:
    engine = EngineCache()
    body = make_request(mailboxes=1200, databases=4)
    request = parse_request(body)
    made = {}
    for name in ("dag_cas_array_single_lb", "dag_cas_array_lb_pair"):
        arch = spec(name)
        score = Scorer(request, engine.simulator)
        made[name] = columns(
            arch, request, catalog, structures(arch, request, catalog, engine), score, engine
        )
    single, pair = made["dag_cas_array_single_lb"], made["dag_cas_array_lb_pair"]
    needs = {(c.variant.shape.exchange_servers, c.layout, c.through_failures): c.demand for c in single}
    shared = [c for c in pair if (c.variant.shape.exchange_servers, c.layout, c.through_failures) in needs]
    assert shared
    for column in shared:
        key = (column.variant.shape.exchange_servers, column.layout, column.through_failures)
        assert column.demand is needs[key]

    # Both architectures' servers are bought on one Hardware, which prices a need once.
    kits = [hardware(spec(name), request, catalog, _options(name, body, catalog), engine) for name in made]
    assert kits[0] is kits[1]
    kit = kits[0]
    for column in single:
        kit._priced(column)
    priced = len(kit.__dict__["_priced_by_need"])
    for column in shared:
        kit._priced(column)
    assert len(kit.__dict__["_priced_by_need"]) == priced


def test_a_designs_bill_of_materials_is_kept_by_the_fields_it_reads_and_equals_a_fresh_one(
    registry: CatalogRegistry,
) -> None:
    catalog = registry.get()
    body = make_request(mailboxes=1200, databases=6, budget={"amount": 200000})
    design = Advisor(registry).recommend(parse_request(body)).recommendations[0].design
    engine = EngineCache()
    kept = engine.quote(design, parse_request(body), catalog)
    assert kept == bill_of_materials(design, parse_request(body), catalog)
    same = make_request(mailboxes=1200, databases=6, budget={"amount": 9000}, goals=[], objective="max_goals")
    assert engine.quote(design, parse_request(same), catalog) is kept
    for changes in (
        {"environment": {"cals_owned": 200}},
        {"mailboxes": 900},
        {"horizon_years": 5},
        {"windows": {"version": "2012"}},
    ):
        request = parse_request({**body, **changes})
        other = engine.quote(design, request, catalog)
        assert other is not kept and other == bill_of_materials(design, request, catalog)
