"""The MILP's optimum, design and copy layout both, held to an exhaustive search of small cases."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.architectures import names
from advisor.catalog import Catalog
from advisor.optimizer import EngineCache, Highs, optimize
from advisor.schemas import parse_request
from tests.brute_force import brute_force, every_layout, searchable

ARCHITECTURES = names("2010")

HIGHS = Highs()


def small_catalog(base: Catalog, server_prices: list[int], disk_prices: list[int]) -> Catalog:
    """The shipped catalog with drawn hardware prices, a DAG of at most 4 and 3 Client Access
    servers at most: shapes an exhaustive search can cover."""
    servers = dict(base.servers)
    for sku, price in zip(
        [s.item.sku for s in base.mailbox_server_models("2010")], server_prices, strict=False
    ):
        item = dataclasses.replace(servers[sku].item, price_cents=price * 100, annual_cents=price * 15)
        servers[sku] = dataclasses.replace(servers[sku], item=item)
    disks = dict(base.disks)
    for sku, price in zip([d.item.sku for d in base.disk_models("2010")], disk_prices, strict=False):
        item = dataclasses.replace(disks[sku].item, price_cents=price * 100, annual_cents=price * 15)
        disks[sku] = dataclasses.replace(disks[sku], item=item)
    policy = dataclasses.replace(base.policy, max_dedicated_cas_servers=3)
    return dataclasses.replace(base, servers=servers, disks=disks, dag_max_members=4, policy=policy)


goal = st.fixed_dictionaries(
    {
        "failure": st.sampled_from(["database", "server", "load_balancer", "witness", "domain_controller"]),
        "services": st.lists(
            st.sampled_from(["outlook", "owa", "smtp_inbound"]), min_size=1, max_size=2, unique=True
        ),
        "priority": st.sampled_from(["required", "preferred"]),
        "weight": st.integers(1, 5),
    }
)
small_requests = st.fixed_dictionaries(
    {
        "budget": st.fixed_dictionaries(
            {"amount": st.integers(20_000, 400_000), "applies_to": st.sampled_from(["upfront", "total"])}
        ),
        "horizon_years": st.integers(1, 5),
        "exchange": st.fixed_dictionaries({"edition": st.sampled_from(["any", "standard", "enterprise"])}),
        "windows": st.fixed_dictionaries({"version": st.sampled_from(["2008R2", "2012R2"])}),
        "mailboxes": st.integers(50, 4000),
        "databases": st.integers(1, 8),
        "database_copies": st.sampled_from([2, 3]),
        "mailbox_profile": st.fixed_dictionaries(
            {
                "messages_per_day": st.sampled_from([50, 100, 200, 400]),
                "mailbox_size_gb": st.sampled_from([0.5, 1, 2, 5]),
            }
        ),
        "storage": st.just("raid"),
        "environment": st.fixed_dictionaries(
            {"domain_controllers": st.integers(1, 2), "witness_host": st.sampled_from(["existing", "buy"])}
        ),
        "goals": st.lists(goal, max_size=3),
        "objective": st.sampled_from(["min_cost", "max_goals"]),
    }
)


def agree(request_data: dict[str, Any], catalog: Catalog) -> int:
    """Solve with the MILP and search exhaustively; both must find the same optimum (cost and
    preferred weight) for every architecture, and the same least cost with the budget lifted.
    Returns how many architectures had a design to compare."""
    request = parse_request(request_data)
    engine = EngineCache()
    result = optimize(request, catalog, engine, HIGHS)
    compared = 0
    for architecture in ARCHITECTURES:
        shapes = [(n, request.databases, min(request.database_copies, n)) for n in range(2, 5)]
        if not all(searchable(*shape) for shape in shapes):
            continue
        found = result.results[architecture]
        best = brute_force(architecture, request, catalog, engine)
        least = brute_force(architecture, request, catalog, engine, within_budget=False)
        assert (found.least_cents is None) == (least is None), architecture
        if least is not None:
            assert found.least_cents == least.measure_cents, (architecture, found.design, least.design)
        if best is None:
            assert found.status not in ("feasible", "recommended"), architecture
            continue
        assert found.status in ("feasible", "recommended"), (architecture, found.reasons)
        assert found.quote is not None
        assert (found.quote.cost.total_cents, found.weight) == (best.total_cents, best.weight), (
            architecture,
            found.design,
            best.design,
        )
        compared += 1
    return compared


def test_every_layout_of_a_small_shape_is_searched_with_its_figures() -> None:
    # 3 servers, 4 databases, 2 copies: 6 placements, C(9, 4) = 126 layouts.
    layouts = every_layout(3, 4, 2)
    figures = {(x.worst_active, max(x.active_on()), x.most_copies) for x in layouts}
    assert len(figures) == len(layouts) and (2, 2, 3) in figures and (4, 4, 4) in figures
    assert searchable(4, 8, 2) and searchable(4, 4, 3) and not searchable(4, 8, 3)


@pytest.mark.parametrize(
    "case",
    [
        {"mailboxes": 1200, "databases": 6, "goals": [{"failure": "server", "services": ["outlook"]}]},
        {
            "mailboxes": 2500,
            "databases": 8,
            "mailbox_profile": {"messages_per_day": 200, "mailbox_size_gb": 1},
        },
        {
            "mailboxes": 900,
            "databases": 4,
            "database_copies": 3,
            "goals": [{"failure": "server", "services": ["outlook"], "priority": "preferred", "weight": 3}],
            "objective": "max_goals",
        },
        {"mailboxes": 3000, "databases": 5, "exchange": {"edition": "standard"}},
    ],
    ids=["server goal", "heavier profile", "three copies, preferred", "standard edition"],
)
def test_the_milp_and_an_exhaustive_search_agree_on_fixed_small_cases(
    catalog: Catalog, case: dict[str, Any]
) -> None:
    small = small_catalog(catalog, [2800, 5800, 10200], [300, 550, 700, 900])
    data = {"budget": {"amount": 10**6}, "goals": [], **case}
    assert agree(data, small) >= 3  # a required server goal leaves three architectures


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    server_prices=st.lists(st.integers(1_000, 20_000), min_size=3, max_size=3),
    disk_prices=st.lists(st.integers(100, 2_000), min_size=4, max_size=4),
    data=small_requests,
)
def test_the_milp_and_an_exhaustive_search_agree_on_drawn_prices_and_requests(
    catalog: Catalog, server_prices: list[int], disk_prices: list[int], data: dict[str, Any]
) -> None:
    agree(data, small_catalog(catalog, server_prices, disk_prices))
