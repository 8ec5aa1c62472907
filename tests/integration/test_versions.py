"""Every Exchange version as a first-class citizen: architectures, what a server shutdown does,
edition and Windows rules, mounted-database limits, licences, sizing and lifecycle (DOMAIN.md)."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.architectures import names
from advisor.catalog import Catalog
from advisor.domain import InvalidInput
from tests.conftest import make_request

VERSIONS = ("2010", "2013", "2016", "2019", "SE")
WINDOWS_FOR = {"2010": "2008R2", "2013": "2012R2", "2016": "2016", "2019": "2022", "SE": "2025"}

# DOMAIN.md "Which Windows versions each Exchange version runs on".
SUPPORTED = {
    "2010": {"2008", "2008R2", "2012", "2012R2"},
    "2013": {"2008R2", "2012", "2012R2"},
    "2016": {"2012", "2012R2", "2016"},
    "2019": {"2019", "2022", "2025"},
    "SE": {"2019", "2022", "2025"},
}
WINDOWS = ("2008", "2008R2", "2012", "2012R2", "2016", "2019", "2022", "2025")

# What a complete shutdown of ex-1 (and of ex-2) does to Outlook, by architecture and version.
SHUTDOWN_2010 = {
    "single_server": ("outage", None),
    "dag_only": ("outage", "failover"),
    "dag_cas_array_dns": ("outage", "outage"),
    "dag_cas_array_single_lb": ("failover", "failover"),
    "dag_cas_array_lb_pair": ("failover", "failover"),
    "dedicated_cas_wnlb": ("failover", "failover"),
}
SHUTDOWN_LATER = {
    "single_server": ("outage", None),
    "dag_only": ("outage", "failover"),  # the namespace resolves to ex-1 alone
    "dag_dns_round_robin": ("failover", "failover"),  # HTTP clients retry the next address
    "dag_single_lb": ("failover", "failover"),
    "dag_lb_pair": ("failover", "failover"),
    "dedicated_cas_wnlb": ("failover", "failover"),  # 2013 only
}


def analyze(advisor: Any, version: str, architecture: str, **extra: Any) -> Any:
    return advisor.analyze(
        {
            "architecture": architecture,
            "exchange": {"version": version},
            "windows": {"version": WINDOWS_FOR[version]},
            **extra,
        }
    )


def test_each_version_weighs_exactly_the_architectures_design_md_names(advisor: Any) -> None:
    assert names("2010") == tuple(SHUTDOWN_2010)
    assert names("2013") == (
        "single_server",
        "dag_only",
        "dag_dns_round_robin",
        "dag_single_lb",
        "dag_lb_pair",
        "dedicated_cas_wnlb",
    )
    for version in ("2016", "2019", "SE"):
        assert names(version) == (
            "single_server",
            "dag_only",
            "dag_dns_round_robin",
            "dag_single_lb",
            "dag_lb_pair",
        )
    for version in VERSIONS:
        request = make_request(exchange={"version": version}, windows={"version": WINDOWS_FOR[version]})
        weighed = [w["architecture"] for w in advisor.recommend(request)["weighed"]]
        assert weighed == list(names(version)), version


@pytest.mark.parametrize("version", VERSIONS)
def test_a_server_shutdown_gives_each_architectures_outlook_outcome(advisor: Any, version: str) -> None:
    expected = SHUTDOWN_2010 if version == "2010" else SHUTDOWN_LATER
    for architecture in names(version):
        scenarios = {s["component"]: s for s in analyze(advisor, version, architecture)["failure_scenarios"]}
        first, second = expected[architecture]
        assert scenarios["ex-1"]["outcomes"]["outlook"] == first, (version, architecture)
        if second is not None:
            assert scenarios["ex-2"]["outcomes"]["outlook"] == second, (version, architecture)


@pytest.mark.parametrize("version", ["2013", "2016", "2019", "SE"])
def test_after_2010_the_namespace_not_rpc_client_access_explains_a_shutdown(
    advisor: Any, version: str
) -> None:
    one = {s["component"]: s for s in analyze(advisor, version, "dag_only")["failure_scenarios"]}["ex-1"]
    assert "client namespace resolves to ex-1 alone" in one["explanation"]
    assert "rule ex2013.single_namespace" in one["explanation"]
    assert "RpcClientAccessServer" not in one["explanation"]
    rr = {s["component"]: s for s in analyze(advisor, version, "dag_dns_round_robin")["failure_scenarios"]}[
        "ex-1"
    ]
    assert "try the next address DNS gave them after about 20 seconds" in rr["explanation"]
    assert "rule ex2013.dns_round_robin" in rr["explanation"]


def test_a_load_balancer_failure_is_an_outage_with_one_unit_and_a_failover_with_a_pair(advisor: Any) -> None:
    for version in ("2013", "SE"):
        single = analyze(advisor, version, "dag_single_lb", design={"load_balancer_model": "LB-ENTRY-HW"})
        pair = analyze(advisor, version, "dag_lb_pair", design={"load_balancer_model": "LB-ENTRY-HW"})
        lb = {s["component"]: s for s in single["failure_scenarios"]}["lb-1"]
        active = {s["component"]: s for s in pair["failure_scenarios"]}["lb-1"]
        assert lb["outcomes"]["outlook"] == "outage" and active["outcomes"]["outlook"] == "failover"


def test_2016_and_later_servers_hold_the_mailbox_role_alone_and_2013_the_two_roles(advisor: Any) -> None:
    assert analyze(advisor, "2013", "dag_only")["servers"][0]["roles"] == ["mailbox", "client_access"]
    for version in ("2016", "2019", "SE"):
        assert analyze(advisor, version, "dag_only")["servers"][0]["roles"] == ["mailbox"]
    wnlb = analyze(advisor, "2013", "dedicated_cas_wnlb")
    assert {s["name"]: s["roles"] for s in wnlb["servers"]}["cas-1"] == ["client_access"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("windows", WINDOWS)
def test_the_windows_support_matrix_holds_for_every_pair(advisor: Any, version: str, windows: str) -> None:
    request = make_request(exchange={"version": version}, windows={"version": windows}, goals=[])
    if windows in SUPPORTED[version]:
        assert advisor.recommend(request)["exchange_version"] == version
        return
    with pytest.raises(InvalidInput) as caught:
        advisor.recommend(request)
    assert {p.field for p in caught.value.problems} == {"windows.version", "exchange.version"}


def test_exchange_2010_on_windows_server_2012_r2_is_told_to_install_sp3_update_rollup_5(advisor: Any) -> None:
    result = advisor.analyze(
        {"architecture": "dag_only", "exchange": {"version": "2010"}, "windows": {"version": "2012R2"}}
    )
    assert any("runs on Windows Server 2012 R2 from SP3 RU5 on" in n for n in result["notes"])
    on_2008 = advisor.analyze({"architecture": "dag_only", "exchange": {"version": "2010"}})
    assert not any("rule exchange.windows_support" in n for n in on_2008["notes"])


def test_the_minimum_cumulative_update_is_named_where_a_windows_version_needs_one(advisor: Any) -> None:
    notes = analyze(advisor, "2019", "dag_lb_pair")["notes"]  # 2019 on 2022
    assert any("runs on Windows Server 2022 from CU12 on" in n for n in notes)
    request = make_request(exchange={"version": "2019"}, windows={"version": "2012R2"})
    with pytest.raises(InvalidInput) as caught:
        advisor.recommend(request)
    message = {p.field: p.message for p in caught.value.problems}["windows.version"]
    assert "2022 (Exchange 2019 CU12 or later), 2025 (Exchange 2019 CU15 or later)" in message


def test_an_omitted_windows_version_is_the_newest_the_exchange_version_runs_on(advisor: Any) -> None:
    for version, windows in (("2010", "2008 R2"), ("2013", "2012 R2"), ("2016", "2016"), ("SE", "2025")):
        request = {"budget": {"amount": 10**6}, "exchange": {"version": version}, "goals": []}
        answer = advisor.recommend(request)
        lines = [line["description"] for line in answer["recommendations"][0]["bill_of_materials"]]
        assert any(f"Windows Server {windows} " in line for line in lines), (version, lines)


def test_se_on_windows_2025_standard_recommends_a_dag_on_standard_and_2010_on_2008r2_standard_cannot(
    advisor: Any,
) -> None:
    goals = [
        {"failure": "server", "services": ["outlook", "owa"]},
        {"failure": "database", "services": ["outlook"]},
    ]
    se = advisor.recommend(
        make_request(
            exchange={"version": "SE"},
            windows={"version": "2025", "edition": "standard"},
            goals=goals,
            budget={"amount": 10**6},
            mailboxes=1000,
        )
    )
    first = se["recommendations"][0]
    assert first["design"]["dag"] is True and first["design"]["windows_edition"] == "standard"
    assert {line["sku"] for line in first["bill_of_materials"]} >= {"WS2025-STD-2C", "EXCHSE-SCAL"}
    old = advisor.recommend(
        make_request(
            windows={"version": "2008R2", "edition": "standard"}, goals=goals, budget={"amount": 10**6}
        )
    )
    assert old["recommendations"] == []
    status = {w["architecture"]: w for w in old["weighed"]}
    for architecture in names("2010"):
        if architecture != "single_server":
            assert status[architecture]["status"] == "not_allowed"
            assert "rule windows.clustering_edition" in status[architecture]["reasons"][0]


@pytest.mark.parametrize("version", ["2010", "2013"])
def test_windows_2008r2_standard_rules_out_every_dag_of_2010_and_2013(advisor: Any, version: str) -> None:
    request = make_request(
        exchange={"version": version}, windows={"version": "2008R2", "edition": "standard"}
    )
    for entry in advisor.recommend(request)["weighed"]:
        if entry["architecture"] != "single_server":
            assert entry["status"] == "not_allowed", (version, entry["architecture"])


@pytest.mark.parametrize("version", VERSIONS)
def test_standard_mounts_five_databases_and_enterprise_a_hundred(
    advisor: Any, version: str, catalog: Catalog
) -> None:
    assert catalog.exchange[version].mounted_databases == {"standard": 5, "enterprise": 100}
    # Two servers holding a copy of every one of 6 databases mount 6 each: Standard cannot.
    with pytest.raises(InvalidInput) as caught:
        analyze(advisor, version, "dag_only", databases=6, design={"exchange_edition": "standard"})
    assert "rule exchange.mounted_databases" in caught.value.problems[0].message
    assert analyze(advisor, version, "dag_only", databases=6)["design"]["exchange_edition"] == "enterprise"


def test_windows_2016_and_later_is_bought_per_two_core_pack_with_a_sixteen_core_minimum(advisor: Any) -> None:
    for model, packs in (("SRV-EPYC-1S", 8), ("SRV-XEON-2S-48", 24)):
        answer = analyze(advisor, "SE", "dag_lb_pair", design={"server_model": model, "exchange_servers": 2})
        windows = next(line for line in answer["bill_of_materials"] if line["sku"].startswith("WS2025-"))
        assert windows["quantity"] == 2 * packs, model
        assert any(f"{packs} two-core packs per {model} server" in n for n in answer["notes"])
    small = analyze(advisor, "2010", "dag_only")
    windows = next(line for line in small["bill_of_materials"] if line["sku"].startswith("WS2008R2-"))
    assert windows["quantity"] == 2  # 2008 R2: one licence per server


def test_se_licences_carry_software_assurance_every_year_and_say_it_is_not_optional(advisor: Any) -> None:
    answer = analyze(advisor, "SE", "dag_lb_pair")
    licence = next(line for line in answer["bill_of_materials"] if line["sku"].startswith("EXCHSE-"))
    assert licence["unit_annual"] == pytest.approx(licence["unit_price"] * 0.25, abs=0.01)
    assert any("rule licence.se_subscription" in n for n in answer["notes"])


def test_each_version_is_sized_by_its_own_rules(advisor: Any, catalog: Catalog) -> None:
    def busy(version: str, model: str) -> float:
        pair = "dag_cas_array_lb_pair" if version == "2010" else "dag_lb_pair"
        design = {"server_model": model, "exchange_servers": 2}
        answer = analyze(advisor, version, pair, mailboxes=1000, databases=4, design=design)
        server = answer["servers"][0]
        assert server["capacity"]["memory_gb"] >= catalog.sizing[version].memory_minimum_gb
        return float(server["worst_failure"]["cpu_utilisation"])

    # On the same server, a 2013 mailbox takes several times the CPU of a 2010 one (DOMAIN.md
    # section 6: 2.13 megacycles per 50 messages on a 2 GHz baseline against 1 on a 3.33 GHz one).
    assert busy("2013", "SRV-ENTRY-1S") > 3 * busy("2010", "SRV-ENTRY-1S")
    # 2016's figures are a slight increase over 2013's; 2019 and SE reuse 2016's.
    assert busy("2016", "SRV-G9-1S") > busy("2013", "SRV-G9-1S")
    assert busy("2019", "SRV-EPYC-1S") == pytest.approx(busy("2016", "SRV-EPYC-1S"), rel=1e-3)
    assert busy("SE", "SRV-EPYC-1S") == pytest.approx(busy("2019", "SRV-EPYC-1S"), rel=1e-3)


@pytest.mark.parametrize(
    ("version", "warned"), [("2010", True), ("2013", True), ("2016", True), ("2019", True), ("SE", False)]
)
def test_a_design_out_of_support_carries_the_lifecycle_warning_and_se_does_not(
    advisor: Any, version: str, warned: bool
) -> None:
    answer = analyze(advisor, version, "dag_lb_pair" if version != "2010" else "dag_cas_array_lb_pair")
    exchange = answer["lifecycle"][0]
    assert exchange["supported"] is not warned
    assert answer["notes"][0].startswith("Out of support:") is warned
    if warned:
        assert any(n.startswith(f"Out of support: {exchange['product']}") for n in answer["notes"])
    else:
        assert exchange == {
            "product": "Exchange Server Subscription Edition",
            "end_of_support": None,
            "supported": True,
        }
        assert not any(n.startswith("Out of support") for n in answer["notes"])


def test_the_editions_that_cluster_are_domain_mds_for_every_windows_version(catalog: Catalog) -> None:
    clustering = {
        "2008": {"enterprise", "datacenter"},
        "2008R2": {"enterprise", "datacenter"},
        **{v: {"standard", "datacenter"} for v in ("2012", "2012R2", "2016", "2019", "2022", "2025")},
    }
    for version, editions in clustering.items():
        assert set(catalog.clustering_editions(version)) == editions, version
    for version in ("2012", "2012R2", "2016", "2019", "2022", "2025"):
        assert "enterprise" not in catalog.windows_editions[version]  # the edition is gone from 2012 on
