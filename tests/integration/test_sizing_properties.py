"""What the answers say about load and sizing, recomputed here from their own copy layout and
servers with the catalog's sizing figures, over many requests and analyses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.architectures import names, spec
from advisor.catalog import Catalog
from advisor.domain import Front
from advisor.optimizer import EngineCache
from advisor.optimizer.model import columns, hardware
from advisor.optimizer.variants import Forbidden, Scorer, allowed, structures
from advisor.schemas import parse_request
from tests.conftest import make_request

ARCHITECTURES = names("2010")

profiles = st.fixed_dictionaries(
    {
        "messages_per_day": st.sampled_from([50, 100, 150, 300, 500]),
        "mailbox_size_gb": st.sampled_from([0.5, 1, 2, 5, 10]),
    }
)
sized_requests = st.fixed_dictionaries(
    {
        "budget": st.fixed_dictionaries({"amount": st.integers(50_000, 5_000_000)}),
        "mailboxes": st.integers(50, 12_000),
        "databases": st.integers(1, 24),
        "database_copies": st.integers(2, 4),
        "mailbox_profile": profiles,
        "exchange": st.fixed_dictionaries({"edition": st.sampled_from(["any", "standard"])}),
        "goals": st.lists(
            st.fixed_dictionaries(
                {
                    "failure": st.sampled_from(["server", "database", "load_balancer"]),
                    "services": st.just(["outlook", "owa"]),
                    "priority": st.sampled_from(["required", "preferred"]),
                }
            ),
            max_size=2,
        ),
        "alternatives": st.just(6),
    }
)


def recomputed(
    answer: dict[str, Any], request_data: dict[str, Any], catalog: Catalog
) -> dict[Any, dict[str, Any]]:
    """Every live Exchange server's load in normal operation (None) and with each server down,
    from the answer's copy layout and servers alone."""
    request = parse_request(request_data) if "architecture" not in request_data else None
    version = (
        request.platform.exchange_version if request else request_data.get("exchange", {}).get("version")
    ) or "2010"
    rules = catalog.sizing[version]
    profile = request_data.get("mailbox_profile", {})
    msgs = profile.get("messages_per_day", 100)
    arch = spec(answer["architecture"])
    servers = {s["name"]: s for s in answer["servers"]}
    mailbox = [n for n in servers if n.startswith("ex-")]
    cas = [n for n in servers if n.startswith("cas-")]
    copies = max(len(db["copies"]) for db in answer["copy_layout"])
    out: dict[Any, dict[str, Any]] = {}
    for failed in [None, *servers]:
        if failed is not None and len(servers) < 2:
            continue
        active = dict.fromkeys(servers, 0)
        passive = dict.fromkeys(servers, 0)
        served = 0
        for db in answer["copy_layout"]:
            live = [
                c["server"]
                for c in sorted(db["copies"], key=lambda c: c["preference"])
                if c["server"] != failed
            ]
            if not live:
                continue
            served += db["mailboxes"]
            active[live[0]] += db["mailboxes"]
            for other in live[1:]:
                passive[other] += db["mailboxes"]
        live_mailbox = [n for n in mailbox if n != failed]
        live_cas = [n for n in cas if n != failed]
        clients = dict.fromkeys(servers, 0.0)
        if arch.dedicated_client_access:
            for n in live_cas:
                clients[n] = served / len(live_cas)
        elif arch.front is Front.ONE_SERVER:
            if failed != "ex-1":
                clients["ex-1"] = served
        elif arch.front is Front.DNS:
            for n in live_mailbox:
                clients[n] = served / len(mailbox)
        else:
            for n in live_mailbox:
                clients[n] = served / len(live_mailbox)
        pool = live_cas if arch.transport_on_client_access else live_mailbox
        transport = {n: served / len(pool) if n in pool else 0.0 for n in servers}
        per = rules.active_megacycles_per_message * msgs
        loads = {}
        for n in servers:
            if n == failed:
                continue
            a, p = active[n], passive[n]
            megacycles = per * (
                a
                + rules.passive_share * p
                + rules.client_access_share * clients[n]
                + rules.transport_share * transport[n]
            )
            if n.startswith("ex-"):
                cache_gb = rules.cache_mb_per_message * msgs * (a + rules.passive_cache_share * p) / 1024
                memory = max(
                    rules.memory_minimum_gb, rules.memory_base_gb + cache_gb / rules.cache_share_of_memory
                )
                per_iops = rules.iops_per_message if copies > 1 else rules.iops_per_message_single_copy
                iops = per_iops * msgs * (a + rules.passive_iops_share * p) * (1 + rules.iops_headroom)
            else:
                memory, iops = 0.0, 0.0
            cap = servers[n]["capacity"]
            disk = sum(
                db["size_gb"] for db in answer["copy_layout"] for c in db["copies"] if c["server"] == n
            )
            held = sum(1 for db in answer["copy_layout"] for c in db["copies"] if c["server"] == n)
            within = megacycles <= cap["megacycles"] * cap["cpu_ceiling"] * (1 + 1e-4) + 1
            if n.startswith("ex-"):
                within = (
                    within
                    and memory <= cap["memory_gb"] + 0.01
                    and iops <= cap["iops"] + 0.1
                    and disk <= cap["disk_gb"] + 0.1 * held + 0.1
                    and held <= cap["database_copies"]
                )
            loads[n] = {
                "active_mailboxes": a,
                "cpu_utilisation": megacycles / cap["megacycles"] if cap["megacycles"] else 0.0,
                "memory_gb": memory,
                "iops": iops,
                "within_sizing": within,
            }
        out[failed] = loads
    return out


def same_load(reported: dict[str, Any], mine: dict[str, Any]) -> bool:
    return (
        reported["active_mailboxes"] == mine["active_mailboxes"]
        and reported["cpu_utilisation"] == pytest.approx(mine["cpu_utilisation"], abs=1.5e-4)
        and reported["memory_gb"] == pytest.approx(mine["memory_gb"], abs=0.01)
        and reported["iops"] == pytest.approx(mine["iops"], abs=0.1)
    )


def check_answer(answer: dict[str, Any], request_data: dict[str, Any], catalog: Catalog) -> None:
    loads = recomputed(answer, request_data, catalog)
    mailboxes = request_data.get("mailboxes", 300)
    assert sum(db["mailboxes"] for db in answer["copy_layout"]) == mailboxes
    assert sum(s["normal"]["active_mailboxes"] for s in answer["servers"]) == mailboxes
    for server in answer["servers"]:
        name = server["name"]
        assert same_load(server["normal"], loads[None][name]), (name, server["normal"], loads[None][name])
        worst = server["worst_failure"]
        situation = worst.get("failed")
        assert same_load(worst, loads[situation][name]), (name, worst, loads[situation][name])
        # within_sizing of the worst failure covers every failure, not only the one shown.
        every = [loads[f][name]["within_sizing"] for f in loads if name in loads[f]]
        assert server["normal"]["within_sizing"] == loads[None][name]["within_sizing"], name
        assert worst["within_sizing"] == all(every), name
    for scenario in answer["failure_scenarios"]:
        if scenario["kind"] == "server" and len(answer["servers"]) > 1:
            assert set(scenario["load"]) == set(loads[scenario["component"]])
            for name, load in scenario["load"].items():
                assert same_load(load, loads[scenario["component"]][name]), (scenario["component"], name)
    server_goals_met = [g for g in answer["goals"] if g["failure"] == "server" and g["met"]]
    if server_goals_met:
        assert all(s["worst_failure"]["within_sizing"] for s in answer["servers"]), answer["architecture"]
    past = [s["name"] for s in answer["servers"] if not s["worst_failure"]["within_sizing"]]
    if past:
        degraded = [s for s in answer["failure_scenarios"] if "degraded" in s["outcomes"].values()]
        assert degraded and all(s["explanation"] for s in degraded)
        assert any(
            name in s["explanation"] and "% of the" in s["explanation"] for s in degraded for name in past
        )


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=sized_requests)
def test_every_reported_load_is_what_the_answers_own_copy_layout_gives(
    advisor: Any, catalog: Catalog, data: dict[str, Any]
) -> None:
    response = advisor.recommend(data)
    given = {k: data[k] for k in ("mailboxes", "databases", "database_copies", "mailbox_profile", "exchange")}
    for entry in response["recommendations"]:
        check_answer(entry, data, catalog)
        # analyze, given the design and its layout, assesses it the same way
        again = advisor.analyze(
            {
                "architecture": entry["architecture"],
                "design": entry["design"],
                "copy_layout": entry["copy_layout"],
                "goals": data["goals"],
                **given,
            }
        )
        assert again["servers"] == entry["servers"] and again["copy_layout"] == entry["copy_layout"]
    for entry in response["weighed"]:
        if entry.get("design") is not None and entry["status"] != "recommended":
            analysis = advisor.analyze(
                {
                    "architecture": entry["architecture"],
                    "design": entry["design"],
                    "goals": data["goals"],
                    **given,
                }
            )
            check_answer(analysis, data, catalog)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    architecture=st.sampled_from(ARCHITECTURES),
    servers=st.integers(2, 8),
    model=st.sampled_from(["SRV-ENTRY-1S", "SRV-MID-2S", "SRV-LARGE-2S"]),
    mailboxes=st.integers(100, 9000),
    databases=st.integers(2, 16),
    profile=profiles,
)
def test_an_analysed_design_of_any_size_reports_loads_its_layout_gives(
    advisor: Any,
    catalog: Catalog,
    architecture: str,
    servers: int,
    model: str,
    mailboxes: int,
    databases: int,
    profile: dict[str, Any],
) -> None:
    design: dict[str, Any] = {"server_model": model}
    if architecture != "single_server":
        design["exchange_servers"] = servers
    data = {
        "architecture": architecture,
        "design": design,
        "mailboxes": mailboxes,
        "databases": databases,
        "mailbox_profile": profile,
        "goals": [{"failure": "server", "services": ["outlook"]}],
    }
    try:
        answer = advisor.analyze(data)
    except Exception as err:  # a design a product rule refuses (mounted databases) is refused by name
        assert "design." in str(getattr(err, "problems", [err])[0].field), err
        return
    check_answer(answer, data, catalog)


def least_totals(advisor: Any, data: dict[str, Any]) -> dict[str, int]:
    """Each architecture's least total cost for the request, the budget out of the way."""
    request = {
        **data,
        "budget": {"amount": 10**8, "applies_to": "total"},
        "objective": "min_cost",
        "alternatives": 6,
    }
    response = advisor.recommend(request)
    return {
        w["architecture"]: round(w["cost"]["total"] * 100)
        for w in response["weighed"]
        if w["status"] in ("recommended", "feasible")
    }


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=sized_requests, heavier=st.sampled_from(["messages_per_day", "mailbox_size_gb", "mailboxes"]))
def test_a_heavier_profile_never_gets_a_cheaper_design(
    advisor: Any, data: dict[str, Any], heavier: str
) -> None:
    heavy = {**data, "mailbox_profile": dict(data["mailbox_profile"])}
    if heavier == "mailboxes":
        heavy["mailboxes"] = data["mailboxes"] + max(1, data["mailboxes"] // 4)
    else:
        heavy["mailbox_profile"][heavier] = data["mailbox_profile"][heavier] * 2
        if heavier == "messages_per_day":
            heavy["mailbox_profile"][heavier] = min(500, heavy["mailbox_profile"][heavier])
    light, weighty = least_totals(advisor, data), least_totals(advisor, heavy)
    assert set(weighty) <= set(light)  # what carries the heavier load carries the lighter one
    for architecture, total in weighty.items():
        assert total >= light[architecture], architecture


def fewest_servers(data: dict[str, Any], catalog: Catalog, architecture: str) -> int | None:
    """The fewest Exchange servers any design of the architecture can be sized with."""
    request = parse_request(data)
    arch = spec(architecture)
    options = allowed(arch, request, catalog)
    if isinstance(options, Forbidden):
        return None
    engine = EngineCache()
    kit = hardware(arch, request, catalog, options)
    found = columns(
        arch,
        request,
        catalog,
        structures(arch, request, catalog, engine),
        Scorer(request, engine.simulator),
        engine,
    )
    sized = [
        c.servers
        for c in found
        if kit.fits(c, catalog) is None and (c.through_failures or not request.survives_server_required)
    ]
    return min(sized, default=None)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=sized_requests,
    architecture=st.sampled_from(["dag_only", "dag_cas_array_single_lb", "dedicated_cas_wnlb"]),
)
def test_more_copies_never_need_fewer_servers(
    catalog: Catalog, data: dict[str, Any], architecture: str
) -> None:
    counts = []
    for copies in (2, 3, 4):
        counts.append(fewest_servers({**data, "database_copies": copies}, catalog, architecture))
    known = [c for c in counts if c is not None]
    assert known == sorted(known)
    # Once no design carries c copies, none carries more.
    assert counts == known + [None] * (len(counts) - len(known))


def test_the_seed_answers_loads_add_up_for_its_own_layout(advisor: Any, catalog: Catalog) -> None:
    from tests.conftest import load_example

    data = load_example("seed-dag-only.json")
    answer = advisor.analyze(data)
    check_answer(answer, data, catalog)
    assert [s["worst_failure"]["failed"] for s in answer["servers"]] == ["ex-2", "ex-1"]


def test_a_required_server_goal_is_never_met_past_the_survivors_sizing(
    advisor: Any, catalog: Catalog
) -> None:
    data = make_request(mailboxes=6000, databases=12, budget={"amount": 10**7})
    response = advisor.recommend(data)
    assert response["recommendations"]
    for rec in response["recommendations"]:
        check_answer(rec, data, catalog)
        assert all(s["worst_failure"]["within_sizing"] for s in rec["servers"])
