"""Properties over random valid requests, and of the columns a model leaves out (the MILP's
optimum is held to an exhaustive search in test_milp_brute_force.py)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.architectures import for_version, names, spec
from advisor.catalog import Catalog
from advisor.domain import FAILURE_KINDS, SERVICES, Goal, Request
from advisor.optimizer import EngineCache, Highs
from advisor.optimizer.milp import Expr
from advisor.optimizer.model import (
    Column,
    Model,
    Selection,
    Unsizable,
    build_model,
    chosen_columns,
    columns,
    extract_design,
    hardware,
    select_columns,
)
from advisor.optimizer.solve import SolverStats, solve
from advisor.optimizer.variants import Forbidden, Scorer, allowed, structures
from advisor.pricing import bill_of_materials
from advisor.schemas import parse_request
from advisor.topology import Shape
from tests.conftest import make_request

ARCHITECTURES = names("2010")
ROOT = Path(__file__).resolve().parents[2]

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


def _least_total_models(request: Request, catalog: Catalog) -> Iterator[tuple[str, Model]]:
    """Each architecture's model over its selected columns, the budget lifted, solved on HiGHS
    for the least total."""
    cache = EngineCache()
    for architecture, (options, kit, _, selection) in _each_model_parts(request, catalog, cache):
        arch = spec(architecture, request.platform.exchange_version)
        model = build_model(arch, request, catalog, options, kit, selection, with_budget=True)
        model.lift_budget()
        model.milp.objective = model.total
        assert solve(model.milp, SolverStats(), HIGHS, "highs")
        yield architecture, model


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


def _model_parts(
    architecture: str, request: Request, catalog: Catalog, cache: EngineCache
) -> tuple[Any, Any, list[Column], Selection] | None:
    """(options, hardware, every column, the columns the model keeps) or None when none can be."""
    arch = spec(architecture, request.platform.exchange_version)
    options = allowed(arch, request, catalog)
    if isinstance(options, Forbidden):
        return None
    found = structures(arch, request, catalog, cache)
    kit = hardware(arch, request, catalog, options)
    every = columns(arch, request, catalog, found, Scorer(request, cache.simulator), cache)
    try:
        return options, kit, every, select_columns(arch, request, catalog, every, kit)
    except Unsizable:
        return None


def _each_model_parts(
    request: Request, catalog: Catalog, cache: EngineCache
) -> Iterator[tuple[str, tuple[Any, Any, list[Column], Selection]]]:
    """(architecture, `_model_parts`) of each architecture of the request's Exchange version that
    has a model."""
    for architecture in names(request.platform.exchange_version):
        parts = _model_parts(architecture, request, catalog, cache)
        if parts is not None:
            yield architecture, parts


def _least(
    architecture: str, request: Request, catalog: Catalog, options: Any, kit: Any, selection: Selection
) -> tuple[int, int]:
    """The least upfront and the least total a model over `selection` finds, the budget lifted."""
    arch = spec(architecture, request.platform.exchange_version)
    model = build_model(arch, request, catalog, options, kit, selection, with_budget=True)
    model.lift_budget()
    least = []
    for measure in (model.upfront, model.total):
        model.milp.objective = measure
        assert solve(model.milp, SolverStats(), HIGHS)
        least.append(round(model.value(measure)))
    return least[0], least[1]


@pytest.mark.parametrize("case", list(PRUNING_CASES))
def test_the_columns_left_out_of_a_model_never_change_its_optimum(catalog: Catalog, case: str) -> None:
    request = parse_request(PRUNING_CASES[case])
    cache = EngineCache()
    compared = 0
    for architecture, (options, kit, every, kept) in _each_model_parts(request, catalog, cache):
        sizable = [c for c in every if kit.fits(c, catalog) is None]
        pool = [c for c in sizable if c.variant.meets_required] or sizable
        assert kept.meets_required == any(c.variant.meets_required for c in sizable)
        assert set(map(id, kept.columns)) <= set(map(id, pool))
        if len(kept.columns) == len(pool):
            continue
        unpruned = Selection(pool, kept.meets_required)
        assert _least(architecture, request, catalog, options, kit, kept) == _least(
            architecture, request, catalog, options, kit, unpruned
        ), architecture
        compared += 1
    assert compared >= 2


def _selections(
    request: Request, catalog: Catalog, cache: EngineCache, lazy: bool
) -> dict[str, Selection | str | None]:
    """Each architecture's selection: scored only where it can still matter (`chosen_columns`,
    lazy) or every column scored first (`select_columns` over `columns`); the limit when none
    can be sized, None when the architecture is not allowed."""
    out: dict[str, Selection | str | None] = {}
    for arch in for_version(request.platform.exchange_version):
        architecture = arch.name
        options = allowed(arch, request, catalog)
        if isinstance(options, Forbidden):
            out[architecture] = None
            continue
        found = structures(arch, request, catalog, cache)
        kit = hardware(arch, request, catalog, options)
        score = Scorer(request, cache.simulator)
        try:
            if lazy:
                out[architecture] = chosen_columns(arch, request, catalog, found, score, kit, cache)
            else:
                every = columns(arch, request, catalog, found, score, cache)
                out[architecture] = select_columns(arch, request, catalog, every, kit)
        except Unsizable as err:
            out[architecture] = err.limit
    return out


# An engine kept across the examples below, warm as a running service's is.
WARM = EngineCache()


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests, weights=st.lists(st.sampled_from([0, 0.1, 0.2, 0.3, 1, 7.7]), min_size=4, max_size=4))
def test_scoring_only_the_columns_that_can_still_be_chosen_selects_what_scoring_every_one_does(
    catalog: Catalog, data: dict[str, Any], weights: list[float]
) -> None:
    # Weights of 0 and of tenths too, whose sums a float rounds.
    goals = [{**g, "weight": w} for g, w in zip(data["goals"], weights, strict=False)]
    request = parse_request({**data, "goals": goals})
    warm = _selections(request, catalog, WARM, lazy=True)
    assert warm == _selections(request, catalog, EngineCache(), lazy=False)


def test_a_negative_preferred_weight_has_every_column_scored(catalog: Catalog) -> None:
    # The schema refuses one; a Request built in code may hold one, and the shortcut would not hold.
    request = parse_request(json.loads((ROOT / "examples" / "small-business.json").read_text()))
    goals = (*request.goals, Goal("witness", ("activesync",), "preferred", -5.0))
    negative = dataclasses.replace(request, goals=goals)
    lazy, eager = EngineCache(), EngineCache()
    assert _selections(negative, catalog, lazy, lazy=True) == _selections(
        negative, catalog, eager, lazy=False
    )
    assert len(lazy.simulator._outages) == len(eager.simulator._outages)


# The examples that are recommendation requests (not the invalid one, nor an analysis's body).
EXAMPLES = [
    e for e in sorted((ROOT / "examples").glob("*.json")) if e.stem not in ("bad-request", "seed-dag-only")
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_a_cold_engine_simulates_only_the_shapes_whose_columns_can_still_be_chosen(
    catalog: Catalog, example: Path
) -> None:
    request = parse_request(json.loads(example.read_text()))
    lazy, eager = EngineCache(), EngineCache()
    chosen = _selections(request, catalog, lazy, lazy=True)
    assert chosen == _selections(request, catalog, eager, lazy=False)
    simulated, every = len(lazy.simulator._outages), len(eager.simulator._outages)
    assert 0 < simulated <= every
    if example.stem == "small-business":  # the README example: 48 shapes of 106
        assert simulated < every / 2


def test_a_costlier_structure_that_meets_more_preferred_weight_stays_in_the_model(catalog: Catalog) -> None:
    request = parse_request(PRUNING_CASES["preferred domain controller, one owned"])
    cache = EngineCache()
    parts = _model_parts("dag_only", request, catalog, cache)
    assert parts is not None
    _, _, every, selection = parts
    assert selection.meets_required
    weights = sorted({column.variant.weight for column in selection.columns})
    added = {column.variant.domain_controllers_added for column in selection.columns}
    assert weights[0] < weights[-1] and added == {0, 1}
    assert len(selection.columns) < len(every)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_the_milps_cost_of_its_optimum_is_the_bill_of_materials_of_the_design_read_back(
    catalog: Catalog, data: Any
) -> None:
    """One pricing source: the model's cost coefficients are the bill's lines, so the two agree
    on every design the solver picks (no run-time reconciliation stands between them)."""
    request = parse_request(data)
    for architecture, model in _least_total_models(request, catalog):
        design, _ = extract_design(model)
        cost = bill_of_materials(design, request, catalog).cost
        assert round(model.value(model.upfront)) == cost.upfront_cents, architecture
        assert round(model.value(model.annual)) == cost.annual_cents, architecture


@pytest.mark.slow
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_the_models_arrays_on_highs_and_the_same_model_through_pulp_on_cbc_find_one_optimum(
    catalog: Catalog, data: Any
) -> None:
    """HiGHS gets the model as arrays, without its implied rows; PuLP writes the whole model
    (--write-lp) and runs CBC. The two paths, and HiGHS reading the written .lp file, agree on
    every model's optimum."""
    import tempfile
    from pathlib import Path

    import highspy

    request = parse_request(data)
    for architecture, model in _least_total_models(request, catalog):
        arrays = round(model.value(model.total))
        assert solve(model.milp, SolverStats(), HIGHS, "cbc")
        assert round(model.value(model.total)) == arrays, architecture
        with tempfile.TemporaryDirectory() as folder:
            written = Path(folder) / "model.lp"
            model.milp.to_pulp()[0].writeLP(str(written))
            reader = highspy.Highs()
            reader.setOptionValue("output_flag", False)
            reader.setOptionValue("mip_rel_gap", 0.0)
            reader.readModel(str(written))
            reader.run()
            assert reader.getModelStatus() == highspy.HighsModelStatus.kOptimal
            # PuLP's .lp files leave out the objective's constant (the CALs here): add it back.
            found = reader.getInfo().objective_function_value + model.total.constant
            assert round(found) == arrays, architecture


IMPLIED_CASES = {
    **PRUNING_CASES,
    # Some columns in these two need more CPU or memory than the smaller server models have
    # (mailbox servers whose disks they would hold; Client Access servers): the platforms a
    # column weighs are the ones that meet its need.
    "busy small mailboxes, some servers too small": make_request(
        mailboxes=5000, databases=8, mailbox_profile={"messages_per_day": 400, "mailbox_size_gb": 0.5}
    ),
    "heavy mailboxes, some Client Access servers too small": make_request(
        mailboxes=7000, databases=8, mailbox_profile={"messages_per_day": 200, "mailbox_size_gb": 1}
    ),
    "JBOD, Exchange 2019, three copies": make_request(
        exchange={"version": "2019", "edition": "any"},
        windows={"version": "2019", "edition": "any"},
        storage="jbod",
        database_copies=3,
        databases=10,
        mailboxes=2600,
    ),
}


def test_a_dearer_platform_whose_extra_bays_no_disk_model_needs_is_left_out(catalog: Catalog) -> None:
    """A platform with more drive bays is kept beside a cheaper one only where the bays it adds
    could hold disks some disk model needs for the column (at its least count, spares
    included): on the seed request every column's cheaper platforms hold every disk count
    needed, so the dearer ones with more bays are left out."""
    from advisor.optimizer import model as model_module

    request = parse_request(PRUNING_CASES["seed"])
    cache = EngineCache()
    fewer = 0
    for _, (_, kit, _, selection) in _each_model_parts(request, catalog, cache):
        for column in selection.columns:
            offered = kit.offered(column)
            meeting = [
                p
                for p, megacycles in kit._mailbox_platforms
                if column.demand.megacycles <= megacycles * kit.rules.cpu_ceiling + 1e-9
                and column.demand.memory_gb <= p.model.memory_gb + 1e-9
                and column.demand.mounts <= p.mounts
            ]
            by_raw_bays = model_module._undominated(meeting, max(p.model.disk_bays for p in meeting))
            assert set(offered) <= set(by_raw_bays)
            most = max(p.model.disk_bays for p in offered)
            assert all(
                kit._count(column.demand, disk) <= most
                for disk in kit._disks
                if any(kit._count(column.demand, disk) <= p.model.disk_bays for p in meeting)
            )
            fewer += len(by_raw_bays) - len(offered)
    assert fewer > 0


@pytest.mark.slow
@pytest.mark.parametrize("case", list(IMPLIED_CASES))
def test_every_row_highs_is_not_given_holds_wherever_each_column_is_chosen(
    catalog: Catalog, case: str
) -> None:
    """The rows a model marks implied (each platform it weighs meets the CPU, memory and mount
    need; a disk model's least count meets the IOPS, space and JBOD need) are written to the .lp
    file and CBC but left out of HiGHS's arrays. Each column is chosen in turn and HiGHS is
    pushed to the fewest disks, the least cost and random corners: every implied row holds."""
    import random

    request = parse_request(IMPLIED_CASES[case])
    version = request.platform.exchange_version
    rng = random.Random(15)
    cache = EngineCache()
    checked = 0
    for architecture, (options, kit, every, _) in _each_model_parts(request, catalog, cache):
        # Every column some hardware can size, not only the ones the pruning keeps.
        selection = Selection([c for c in every if kit.fits(c, catalog) is None], meets_required=True)
        arch = spec(architecture, version)
        model = build_model(arch, request, catalog, options, kit, selection, with_budget=True)
        model.lift_budget()
        assert model.milp.implied, architecture
        data_disks = Expr.of([(data, 1.0) for _, data, _ in model.body.disks.values()])
        for x, column in model.body.columns:
            for objective in (data_disks, model.total, None, None):
                milp = model.milp.copy()
                milp.lower[x] = 1.0
                milp.objective = (
                    objective
                    if objective is not None
                    else Expr.of(
                        (i, rng.uniform(-1.0, 1.0))
                        for i in range(len(milp.names))
                        if i != model.budget_overrun
                    )
                )
                assert solve(milp, SolverStats(), HIGHS), (architecture, column.label)
                solution = milp.solution
                assert solution is not None
                for name, lower, upper, variables, values in milp.rows():
                    activity = sum(solution[v] * c for v, c in zip(variables, values, strict=True))
                    slack = 1e-6 * max(1.0, abs(lower) if lower > -math.inf else abs(upper))
                    assert lower - slack <= activity <= upper + slack, (architecture, name, activity)
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("case", list(PRUNING_CASES))
def test_the_platforms_and_disks_a_column_leaves_out_never_change_a_models_optimum(
    catalog: Catalog, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform another one beats on price with as many drive bays, and a disk model another
    one beats on cost and bays at the need, are left out of a column's model: with every
    platform and disk model that can meet the need put back, each optimum stays the same."""
    from advisor.optimizer import model as model_module

    def weighed(kit: Any, columns: list[Column]) -> int:
        return sum(
            len(kit.offered(c)) + len(kit.disk_choices(c, max(p.model.disk_bays for p in kit.offered(c))))
            for c in columns
        )

    request = parse_request(PRUNING_CASES[case])
    cache = EngineCache()
    pruned, every = {}, {}
    left_out = 0
    for architecture, (options, kit, _, selection) in _each_model_parts(request, catalog, cache):
        pruned[architecture] = _least(architecture, request, catalog, options, kit, selection)
        left_out -= weighed(kit, selection.columns)
    with monkeypatch.context() as patch:
        patch.setattr(model_module, "_undominated", lambda meeting, needed: meeting)
        patch.setattr(
            model_module.Hardware, "disk_choices", lambda self, column, bays: list(range(len(self.disks)))
        )
        for architecture in pruned:
            parts = _model_parts(architecture, request, catalog, cache)
            assert parts is not None
            options, kit, _, selection = parts
            every[architecture] = _least(architecture, request, catalog, options, kit, selection)
            left_out += weighed(kit, selection.columns)
    assert pruned == every
    assert left_out >= 0
    if case == "seed":
        assert left_out > 0  # the seed's models do leave platforms and disks out
