"""Recommendations on the real catalog with the real solver: the cases the issue names."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.architectures import names
from advisor.domain import FAILURE_KINDS, SERVICES
from tests.conftest import make_request

ARCHITECTURES = names("2010")

DAG_ARCHITECTURES = [a for a in ARCHITECTURES if a != "single_server"]


def weighed(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {w["architecture"]: w for w in response["weighed"]}


def test_the_seed_request_recommends_load_balanced_cas_arrays_cheapest_first(advisor: Any) -> None:
    response = advisor.recommend(make_request())
    ranks = [r["architecture"] for r in response["recommendations"]]
    assert ranks == ["dag_cas_array_single_lb", "dag_cas_array_lb_pair", "dedicated_cas_wnlb"]
    totals = [r["cost"]["total"] for r in response["recommendations"]]
    assert totals == sorted(totals)
    status = {a: w["status"] for a, w in weighed(response).items()}
    assert status["dag_only"] == "misses_required_goal"
    assert status["dag_cas_array_dns"] == "misses_required_goal"
    assert status["single_server"] == "misses_required_goal"
    assert response["catalog"]["id"] == "default"
    assert response["solver"]["name"] == "HiGHS" and response["solver"]["status"] == "optimal"


def test_the_single_load_balancer_is_named_as_the_remaining_single_point_of_failure(
    advisor: Any,
) -> None:
    first = advisor.recommend(make_request())["recommendations"][0]
    spofs = {s["component"]: s for s in first["single_points_of_failure"]}
    assert first["design"]["load_balancer_model"] == "LB-VIRTUAL"
    # The virtual unit and the hypervisor host it runs on are each a single point of failure.
    assert set(spofs) == {"lb-1", "hv-1", "site-1"}
    assert spofs["lb-1"]["kind"] == spofs["hv-1"]["kind"] == "load_balancer"
    assert "lb-1 is the only load balancer" in spofs["hv-1"]["explanation"]
    assert "rule lb.single_unit" in spofs["lb-1"]["explanation"]
    goals = {(g["failure"], g["service"]): g for g in first["goals"]}
    assert goals[("load_balancer", "outlook")]["met"] is False
    assert goals[("server", "outlook")]["met"] is True


def test_the_dag_only_design_is_ruled_out_by_the_rpc_client_access_server(advisor: Any) -> None:
    response = advisor.recommend(make_request())
    entry = weighed(response)["dag_only"]
    assert any("rule ex2010.rpc_client_access" in r for r in entry["reasons"])
    assert any("server/outlook" in r for r in entry["reasons"])
    assert {s["component"] for s in entry["single_points_of_failure"]} >= {"ex-1"}
    # Its cheapest design is still priced, so a planner can show what the savings leave exposed,
    # but it never sets the minimum budget for the required goals.
    assert entry["design"]["exchange_servers"] == 2 and entry["cost"]["upfront"] > 0
    assert entry["cost"]["upfront"] < weighed(response)["dag_cas_array_single_lb"]["cost"]["upfront"]
    assert response["minimum_budget"]["architecture"] == "dag_cas_array_single_lb"


def test_a_recommendations_cost_is_the_sum_of_its_bill_of_materials(advisor: Any) -> None:
    for rec in advisor.recommend(make_request())["recommendations"]:
        bill = rec["bill_of_materials"]
        assert rec["cost"]["upfront"] == pytest.approx(sum(line["upfront"] for line in bill), abs=0.005)
        assert rec["cost"]["annual"] == pytest.approx(sum(line["annual"] for line in bill), abs=0.005)
        assert rec["cost"]["total"] == pytest.approx(rec["cost"]["upfront"] + 3 * rec["cost"]["annual"])
        for line in bill:
            assert line["upfront"] == pytest.approx(line["quantity"] * line["unit_price"])


def test_weighed_has_one_entry_per_architecture_always(advisor: Any) -> None:
    response = advisor.recommend(make_request(budget={"amount": 1}))
    assert [w["architecture"] for w in response["weighed"]] == list(ARCHITECTURES)
    assert all(w["reasons"] for w in response["weighed"])


@pytest.mark.parametrize("architecture", DAG_ARCHITECTURES)
def test_windows_2008r2_standard_makes_every_dag_architecture_not_allowed(
    advisor: Any, architecture: str
) -> None:
    request = make_request(windows={"version": "2008R2", "edition": "standard"}, budget={"amount": 10**6})
    entry = weighed(advisor.recommend(request))[architecture]
    assert entry["status"] == "not_allowed"
    assert any("rule windows.clustering_edition" in r for r in entry["reasons"])


@pytest.mark.parametrize("architecture", DAG_ARCHITECTURES)
def test_windows_2012r2_standard_allows_every_dag_architecture(advisor: Any, architecture: str) -> None:
    request = make_request(
        windows={"version": "2012R2", "edition": "standard"},
        budget={"amount": 10**6},
        goals=[{"failure": "database", "services": ["outlook"], "priority": "required"}],
        alternatives=6,
    )
    response = advisor.recommend(request)
    entry = weighed(response)[architecture]
    assert entry["status"] == "recommended"
    assert entry["design"]["windows_edition"] == "standard"


def test_a_fixed_windows_edition_is_obeyed(advisor: Any) -> None:
    request = make_request(windows={"version": "2008R2", "edition": "datacenter"}, budget={"amount": 10**6})
    for rec in advisor.recommend(request)["recommendations"]:
        assert rec["design"]["windows_edition"] == "datacenter"
        assert any(line["sku"] == "WS2008R2-DC" for line in rec["bill_of_materials"])


def test_eight_databases_on_exchange_standard_need_more_servers(advisor: Any) -> None:
    request = make_request(
        databases=8, exchange={"version": "2010", "edition": "standard"}, budget={"amount": 10**6}
    )
    for rec in advisor.recommend(request)["recommendations"]:
        design = rec["design"]
        copies_per_server = -(-8 * design["database_copies"] // design["exchange_servers"])
        assert copies_per_server <= 5
        assert design["exchange_servers"] >= 4


def test_eight_databases_with_any_edition_take_enterprise_or_more_servers(advisor: Any) -> None:
    request = make_request(databases=8, budget={"amount": 10**6})
    for rec in advisor.recommend(request)["recommendations"]:
        design = rec["design"]
        limit = 100 if design["exchange_edition"] == "enterprise" else 5
        per_server = -(-8 * design["database_copies"] // design["exchange_servers"])
        assert per_server <= limit
    first = advisor.recommend(request)["recommendations"][0]["design"]
    assert first["exchange_edition"] == "enterprise" and first["exchange_servers"] == 2


def test_a_budget_below_every_qualifying_design_gives_the_minimum_budget(advisor: Any) -> None:
    generous = advisor.recommend(make_request(budget={"amount": 10**6}, alternatives=6))
    cheapest = min(r["cost"]["upfront"] for r in generous["recommendations"])
    response = advisor.recommend(make_request(budget={"amount": 5000}))
    assert response["recommendations"] == []
    assert response["minimum_budget"]["amount"] == pytest.approx(cheapest)
    assert response["minimum_budget"]["architecture"] == generous["recommendations"][0]["architecture"]
    assert response["minimum_budget"]["currency"] == "USD"
    entry = weighed(response)["dag_cas_array_lb_pair"]
    assert entry["status"] == "over_budget"
    assert "more than the budget" in entry["reasons"][0]


def test_exactly_the_minimum_budget_buys_the_cheapest_design(advisor: Any) -> None:
    minimum = advisor.recommend(make_request(budget={"amount": 5000}))["minimum_budget"]
    response = advisor.recommend(make_request(budget={"amount": minimum["amount"]}))
    assert response["recommendations"][0]["architecture"] == minimum["architecture"]
    assert response["recommendations"][0]["cost"]["budget_left"] == 0


def test_a_total_budget_counts_annual_costs_over_the_horizon(advisor: Any) -> None:
    response = advisor.recommend(make_request(budget={"amount": 30000, "applies_to": "total"}))
    for rec in response["recommendations"]:
        assert rec["cost"]["total"] <= 30000
    assert response["minimum_budget"]["applies_to"] == "total"


def test_no_design_meets_an_impossible_required_goal(advisor: Any) -> None:
    request = make_request(goals=[{"failure": "site", "services": ["outlook"], "priority": "required"}])
    response = advisor.recommend(request)
    assert response["recommendations"] == []
    assert response["minimum_budget"] is None
    assert {w["status"] for w in response["weighed"]} == {"misses_required_goal"}
    assert all("rule site.single" in w["reasons"][0] for w in response["weighed"])


def test_max_goals_prefers_the_pair_over_a_cheaper_single_load_balancer(advisor: Any) -> None:
    request = make_request(objective="max_goals", budget={"amount": 10**6})
    first = advisor.recommend(request)["recommendations"][0]
    assert first["architecture"] == "dag_cas_array_lb_pair"
    assert all(g["met"] for g in first["goals"])


def test_a_domain_controller_goal_buys_a_second_domain_controller(advisor: Any) -> None:
    request = make_request(
        environment={"domain_controllers": 1},
        goals=[{"failure": "domain_controller", "services": ["outlook"], "priority": "required"}],
        budget={"amount": 10**6},
    )
    first = advisor.recommend(request)["recommendations"][0]
    assert first["design"]["domain_controllers_added"] == 1
    assert any("additional domain controller" in line["description"] for line in first["bill_of_materials"])
    without = advisor.recommend(make_request(environment={"domain_controllers": 1}, budget={"amount": 10**6}))
    assert without["recommendations"][0]["design"]["domain_controllers_added"] == 0


def test_buying_a_witness_adds_a_witness_server_to_the_bill(advisor: Any) -> None:
    request = make_request(environment={"witness_host": "buy"}, budget={"amount": 10**6})
    first = advisor.recommend(request)["recommendations"][0]
    assert first["design"]["witness"] == "buy"
    assert any("DAG witness server" in line["description"] for line in first["bill_of_materials"])


def test_windows_nlb_puts_the_witness_on_a_dedicated_cas_server(advisor: Any) -> None:
    request = make_request(environment={"witness_host": "buy"}, budget={"amount": 10**6}, alternatives=6)
    entry = weighed(advisor.recommend(request))["dedicated_cas_wnlb"]
    assert entry["design"]["witness"] == "cas_server"


def test_many_mailboxes_with_a_server_goal_size_the_survivors(advisor: Any) -> None:
    response = advisor.recommend(make_request(mailboxes=3000, budget={"amount": 10**6}))
    assert response["recommendations"]
    for rec in response["recommendations"]:
        assert sum(s["normal"]["active_mailboxes"] for s in rec["servers"]) == 3000
        for server in rec["servers"]:
            worst = server["worst_failure"]
            assert worst["within_sizing"] and worst["active_mailboxes"] <= server["capacity"]["mailboxes"]
            assert worst["cpu_utilisation"] <= server["capacity"]["cpu_ceiling"]
            assert worst["memory_gb"] <= server["capacity"]["memory_gb"]


def test_exchange_2010_on_windows_2016_is_refused_naming_both_fields_and_the_choices(advisor: Any) -> None:
    from advisor.domain import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        advisor.recommend(make_request(windows={"version": "2016", "edition": "any"}))
    problems = {p.field: p.message for p in caught.value.problems}
    assert set(problems) == {"windows.version", "exchange.version"}
    assert (
        "it runs on 2008, 2008 R2, 2012 (Exchange 2010 SP3 or later), "
        "2012 R2 (Exchange 2010 SP3 RU5 or later)" in problems["windows.version"]
    )
    assert "Windows Server 2016 runs Exchange 2016, not 2010" in problems["exchange.version"]


def test_every_goal_pair_appears_once_in_each_recommendation(advisor: Any) -> None:
    goals = [{"failure": f, "services": list(SERVICES), "priority": "preferred"} for f in FAILURE_KINDS]
    response = advisor.recommend(make_request(goals=goals, budget={"amount": 10**6}))
    for rec in response["recommendations"]:
        assert len(rec["goals"]) == len(FAILURE_KINDS) * len(SERVICES)


def test_multi_server_designs_list_the_free_mail_flow_step_in_their_notes(advisor: Any) -> None:
    for rec in advisor.recommend(make_request())["recommendations"]:
        assert any("rule transport.redundancy" in note for note in rec["notes"])


def test_a_budget_in_another_currency_is_refused(advisor: Any) -> None:
    from advisor.domain import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        advisor.recommend(make_request(budget={"currency": "EUR"}))
    assert caught.value.problems[0].field == "budget.currency"


def test_the_cbc_fallback_reaches_the_same_answer(registry: Any) -> None:
    from advisor.service import Advisor
    from tests.json_advisor import JsonAdvisor

    highs = JsonAdvisor(Advisor(registry)).recommend(make_request())
    cbc = JsonAdvisor(Advisor(registry, solver="cbc")).recommend(make_request())
    assert cbc["solver"]["name"] == "CBC"
    assert [r["cost"] for r in cbc["recommendations"]] == [r["cost"] for r in highs["recommendations"]]


def test_a_request_no_dag_can_carry_is_answered_at_once_with_the_limit_cited(advisor: Any) -> None:
    response = advisor.recommend(make_request(mailboxes=100_000, databases=200, budget={"amount": 10**8}))
    assert {w["status"] for w in response["weighed"]} == {"not_allowed"}
    found = weighed(response)
    assert found["single_server"]["reasons"] == [
        "One server mounts at most 100 databases (rule exchange.mounted_databases); the request has 200."
    ]
    # Each names the limit that binds: the DAG's 16 members, and what no 16 servers give.
    lb = found["dag_cas_array_single_lb"]["reasons"][0]
    assert "up to 16 servers (the DAG's member limit, rule dag.limits)" in lb
    assert "the disks its drive bays hold give too few IOPS or too little space" in lb
    assert "the CPU of the catalog's largest server" in found["dag_only"]["reasons"][0]


def test_an_analysis_without_a_budget_works_on_a_catalog_in_another_currency(
    catalog_copy: Any, registry: Any
) -> None:
    from advisor.catalog.registry import CatalogRegistry
    from advisor.service import Advisor
    from tests.json_advisor import JsonAdvisor

    header = catalog_copy / "catalog.toml"
    header.write_text(
        header.read_text()
        .replace('currency = "USD"', 'currency = "EUR"')
        .replace('id = "default"', 'id = "eur"')
    )
    result = JsonAdvisor(Advisor(CatalogRegistry(own=catalog_copy))).analyze({"architecture": "dag_only"})
    assert result["cost"]["currency"] == "EUR"
