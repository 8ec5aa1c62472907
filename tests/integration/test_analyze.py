"""Analysis of concrete designs: the seed case, defaults and the rules a design must obey."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.architectures import names, spec
from advisor.catalog import Catalog
from advisor.domain import InvalidInput
from advisor.topology import Shape
from tests.conftest import load_example, make_request

ARCHITECTURES = names("2010")


def analyze(advisor: Any, architecture: str, design: dict[str, Any] | None = None, **extra: Any) -> Any:
    data = {"architecture": architecture, "design": design or {}, **extra}
    return advisor.analyze(data)


def test_the_seed_case_keeps_outlook_through_a_database_failure_and_ex2_but_not_ex1(advisor: Any) -> None:
    result = advisor.analyze(load_example("seed-dag-only.json"))
    scenarios = {s["component"]: s for s in result["failure_scenarios"]}
    assert scenarios["db-1@ex-1"]["outcomes"]["outlook"] == "failover"
    assert scenarios["ex-2"]["outcomes"]["outlook"] == "failover"
    assert scenarios["ex-1"]["outcomes"]["outlook"] == "outage"
    assert "RpcClientAccessServer" in scenarios["ex-1"]["explanation"]
    goals = {(g["failure"], g["service"]): g["met"] for g in result["goals"]}
    assert goals == {("database", "outlook"): True, ("server", "outlook"): False, ("server", "owa"): False}
    assert "rank" not in result
    assert result["catalog"]["id"] == "default"


def test_the_seed_case_costs_what_its_bill_of_materials_says(advisor: Any) -> None:
    result = advisor.analyze(load_example("seed-dag-only.json"))
    skus = {line["sku"]: line["quantity"] for line in result["bill_of_materials"]}
    assert skus["WS2008R2-ENT"] == 2 and skus["EXCH2010-STD"] == 2 and skus["EXCH2010-SCAL"] == 300
    assert result["cost"]["upfront"] == pytest.approx(sum(b["upfront"] for b in result["bill_of_materials"]))
    assert result["cost"]["within_budget"] is None


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_an_empty_design_takes_the_smallest_valid_values(
    advisor: Any, catalog: Catalog, architecture: str
) -> None:
    design = analyze(advisor, architecture)["design"]
    assert design["exchange_servers"] == (1 if architecture == "single_server" else 2)
    assert design["dedicated_cas_servers"] == (2 if architecture == "dedicated_cas_wnlb" else 0)
    assert design["load_balancers"] == {"dag_cas_array_single_lb": 1, "dag_cas_array_lb_pair": 2}.get(
        architecture, 0
    )
    if architecture != "single_server":
        # The cheapest edition that clusters, per server of the design's model: Datacenter is
        # priced per processor on 2008 R2, Enterprise per server.
        model = catalog.servers[design["server_model"]]
        per_server = {
            e: catalog.windows[("2008R2", e)].price_cents * catalog.windows_licences("2008R2", e, model)
            for e in ("enterprise", "datacenter")
        }
        assert design["windows_edition"] == min(per_server, key=per_server.__getitem__)


@pytest.mark.parametrize(
    ("server_model", "edition"), [("SRV-ENTRY-1S", "datacenter"), ("SRV-MID-2S", "enterprise")]
)
def test_a_dag_left_to_choose_takes_the_windows_edition_that_costs_least_for_its_servers_processors(
    advisor: Any, server_model: str, edition: str
) -> None:
    # 2008 R2 Datacenter is 2,999 a processor, Enterprise 3,999 a server.
    result = analyze(advisor, "dag_only", {"server_model": server_model})
    assert result["design"]["windows_edition"] == edition
    windows = [line for line in result["bill_of_materials"] if line["sku"].startswith("WS2008R2-")]
    assert (
        sum(line["upfront"] for line in windows) == {"datacenter": 2 * 2999, "enterprise": 2 * 3999}[edition]
    )


@pytest.mark.parametrize(
    ("architecture", "design", "field"),
    [
        ("dag_only", {"windows_edition": "standard"}, "design.windows_edition"),
        ("dag_only", {"exchange_servers": 17}, "design.exchange_servers"),
        ("dag_only", {"dag": False}, "design.dag"),
        ("dag_only", {"load_balancers": 2}, "design.load_balancers"),
        ("dag_only", {"witness": "none"}, "design.witness"),
        ("dag_only", {"server_model": "MAINFRAME"}, "design.server_model"),
        ("dedicated_cas_wnlb", {"cas_server_model": "NOPE"}, "design.cas_server_model"),
        ("dag_only", {"exchange_edition": "standard"}, None),
        ("dag_cas_array_lb_pair", {"load_balancer_model": "LB-BASIC-HW"}, "design.load_balancer_model"),
        ("single_server", {"exchange_servers": 2}, "design.exchange_servers"),
        ("dedicated_cas_wnlb", {"dedicated_cas_servers": 1}, "design.dedicated_cas_servers"),
        ("dag_cas_array_dns", {"dedicated_cas_servers": 2}, "design.dedicated_cas_servers"),
    ],
)
def test_a_design_that_breaks_a_rule_is_refused_naming_the_field(
    advisor: Any, architecture: str, design: dict[str, Any], field: str | None
) -> None:
    if field is None:
        assert analyze(advisor, architecture, design)["design"]["exchange_edition"] == "standard"
        return
    with pytest.raises(InvalidInput) as caught:
        analyze(advisor, architecture, design)
    assert field in [p.field for p in caught.value.problems]


def test_more_databases_than_standard_mounts_is_refused_on_standard(advisor: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        analyze(advisor, "dag_only", {"exchange_edition": "standard"}, databases=8)
    [problem] = caught.value.problems
    assert problem.field == "design.exchange_edition"
    assert "rule exchange.mounted_databases" in problem.message
    assert analyze(advisor, "dag_only", databases=8)["design"]["exchange_edition"] == "enterprise"


HEAVY = {"messages_per_day": 500, "mailbox_size_gb": 0.25}


def design_notes(result: dict[str, Any]) -> list[str]:
    """The notes after the lifecycle warnings, which come first (Exchange 2010 is out of support)."""
    notes: list[str] = result["notes"]
    assert notes[0].startswith("Out of support: Exchange Server 2010")
    return [n for n in notes if not n.startswith("Out of support")]


def test_a_design_sized_for_normal_operation_only_is_degraded_by_a_server_failure(advisor: Any) -> None:
    result = analyze(
        advisor,
        "dag_cas_array_single_lb",
        {"server_model": "SRV-ENTRY-1S"},
        mailboxes=1000,
        mailbox_profile=HEAVY,
        goals=[{"failure": "server", "services": ["outlook"]}],
    )
    assert design_notes(result)[0].startswith("Sized for normal operation only: after ex-1 or ex-2 fails")
    assert all(
        s["normal"]["within_sizing"] and not s["worst_failure"]["within_sizing"] for s in result["servers"]
    )
    lost = next(s for s in result["failure_scenarios"] if s["component"] == "ex-1")
    assert lost["outcomes"]["outlook"] == "degraded"
    assert "ex-2 needs 139% of the memory it is sized for with ex-1 down" in lost["explanation"]
    assert result["goals"][0]["met"] is False and result["goals"][0]["worst_outcome"] == "degraded"


def test_a_design_past_its_sizing_before_any_failure_says_so_first(advisor: Any) -> None:
    result = analyze(
        advisor,
        "dag_cas_array_single_lb",
        {"server_model": "SRV-ENTRY-1S"},
        mailboxes=1900,
        mailbox_profile=HEAVY,
    )
    assert design_notes(result)[0].startswith(
        "Undersized: ex-1 needs 133% of the memory it is sized for in normal operation"
    )
    assert not result["servers"][0]["normal"]["within_sizing"]


def test_a_budget_given_to_an_analysis_is_checked(advisor: Any) -> None:
    result = analyze(advisor, "dag_only", budget={"amount": 10000})
    assert result["cost"]["within_budget"] is False
    assert result["cost"]["budget_left"] < 0


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_recommended_goals_agree_with_the_simulator_on_every_architecture(
    advisor: Any, architecture: str
) -> None:
    goals = [
        {"failure": f, "services": ["outlook", "owa", "smtp_inbound"], "priority": "preferred"}
        for f in ("database", "server", "load_balancer", "witness", "domain_controller")
    ]
    request = make_request(goals=goals, budget={"amount": 10**6}, alternatives=6)
    response = advisor.recommend(request)
    rec = next(r for r in response["recommendations"] if r["architecture"] == architecture)
    design = rec["design"]
    analysis = advisor.cache.simulator.analysis(
        Shape(
            spec(architecture),
            design["exchange_servers"],
            design["dedicated_cas_servers"],
            design["witness"],
            2 + design["domain_controllers_added"],
            4,
            design["database_copies"],
        )
    )
    for goal in rec["goals"]:
        assert goal["met"] == analysis.meets(goal["failure"], goal["service"])
    again = advisor.analyze(
        {
            **{
                k: request[k]
                for k in ("exchange", "windows", "mailboxes", "databases", "environment", "goals")
            },
            "architecture": architecture,
            "design": design,
        }
    )
    assert again["cost"]["total"] == rec["cost"]["total"]
    assert again["goals"] == rec["goals"]
    assert again["single_points_of_failure"] == rec["single_points_of_failure"]


def test_an_analysis_asking_more_copies_than_its_dag_has_members_is_refused_naming_the_field(
    advisor: Any,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        analyze(advisor, "dag_only", {"exchange_servers": 2}, database_copies=3)
    assert [p.field for p in caught.value.problems] == ["database_copies"]
    assert "3 copies of each database need at least 3 DAG members" in caught.value.problems[0].message


def test_jbod_with_three_copies_given_in_the_design_is_analysed(advisor: Any) -> None:
    result = analyze(advisor, "dag_only", {"exchange_servers": 3, "database_copies": 3}, storage="jbod")
    assert result["design"]["database_copies"] == 3
    with pytest.raises(InvalidInput) as caught:
        analyze(advisor, "dag_only", {"exchange_servers": 3, "database_copies": 2}, storage="jbod")
    assert [p.field for p in caught.value.problems] == ["storage"]


def test_jbod_gives_each_server_a_disk_for_every_active_copy_and_every_four_copies(advisor: Any) -> None:
    # 4 databases in 3 copies on 3 servers: each server holds 4 copies, 2 of them active at most.
    result = advisor.recommend(
        {
            "budget": {"amount": 10_000_000},
            "exchange": {"version": "2016"},
            "windows": {"version": "2016"},
            "mailboxes": 500,
            "databases": 4,
            "storage": "jbod",
            "database_copies": 3,
            "goals": [{"failure": "server", "services": ["outlook"]}],
        }
    )
    for rec in result["recommendations"]:
        servers = rec["design"]["exchange_servers"]
        held = [0] * servers
        active = [0] * servers
        for db in rec["copy_layout"]:
            for copy in db["copies"]:
                i = int(copy["server"].removeprefix("ex-")) - 1
                held[i] += 1
                active[i] += copy["preference"] == 1
        data_disks = rec["design"]["disks_per_server"] - 1  # one hot spare a server
        assert data_disks >= max(active), rec["copy_layout"]
        assert data_disks >= -(-max(held) // 4)


def test_jbod_disks_given_too_few_for_the_copies_a_server_holds_are_reported_undersized(advisor: Any) -> None:
    # 8 databases in 3 copies on 3 servers: 8 copies a server, at most 4 a JBOD disk: 2 data disks.
    design = {
        "exchange_servers": 3,
        "database_copies": 3,
        "disk_model": "DISK-2TB-7K2",
        "disks_per_server": 2,
    }
    result = analyze(advisor, "dag_only", design, storage="jbod", databases=8, mailboxes=400)
    assert any(
        "needs 200% of the database copies its JBOD disks may hold" in note for note in design_notes(result)
    ), design_notes(result)
    assert not result["servers"][0]["normal"]["within_sizing"]
