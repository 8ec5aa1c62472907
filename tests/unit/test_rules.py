"""Product rules from DOMAIN.md: which architectures a platform allows, table-driven."""

from __future__ import annotations

import pytest

from advisor.architectures import names, spec
from advisor.catalog import Catalog
from advisor.optimizer.variants import Forbidden, Options, allowed
from advisor.schemas import parse_request
from tests.conftest import make_request

ARCHITECTURES = names("2010")

DAG_ARCHITECTURES = [a for a in ARCHITECTURES if a != "single_server"]


def options(
    catalog: Catalog, architecture: str, windows: str, edition: str, exchange_edition: str = "any"
) -> Options | Forbidden:
    request = parse_request(
        make_request(
            windows={"version": windows, "edition": edition},
            exchange={"version": "2010", "edition": exchange_edition},
        )
    )
    return allowed(spec(architecture), request, catalog)


@pytest.mark.parametrize("architecture", DAG_ARCHITECTURES)
def test_windows_2008r2_standard_rules_out_every_dag_architecture(
    catalog: Catalog, architecture: str
) -> None:
    result = options(catalog, architecture, "2008R2", "standard")
    assert isinstance(result, Forbidden)
    assert "rule windows.clustering_edition" in result.reason
    assert result.field == "windows.edition"


@pytest.mark.parametrize("architecture", DAG_ARCHITECTURES)
def test_windows_2012r2_standard_allows_every_dag_architecture(catalog: Catalog, architecture: str) -> None:
    result = options(catalog, architecture, "2012R2", "standard")
    assert isinstance(result, Options)
    assert result.windows_editions == ("standard",)


@pytest.mark.parametrize(
    ("windows", "edition", "dag_editions"),
    [
        ("2008", "any", ("enterprise", "datacenter")),
        ("2008R2", "any", ("enterprise", "datacenter")),
        ("2008R2", "datacenter", ("datacenter",)),
        ("2012", "any", ("standard", "datacenter")),
        ("2012R2", "any", ("standard", "datacenter")),
    ],
)
def test_dag_members_get_only_editions_with_failover_clustering(
    catalog: Catalog, windows: str, edition: str, dag_editions: tuple[str, ...]
) -> None:
    result = options(catalog, "dag_only", windows, edition)
    assert isinstance(result, Options)
    assert result.windows_editions == dag_editions


def test_a_single_server_may_run_windows_2008r2_standard(catalog: Catalog) -> None:
    result = options(catalog, "single_server", "2008R2", "standard")
    assert isinstance(result, Options)
    assert result.windows_editions == ("standard",)


def test_dedicated_cas_servers_may_run_standard_while_the_dag_needs_enterprise(
    catalog: Catalog,
) -> None:
    result = options(catalog, "dedicated_cas_wnlb", "2008R2", "any")
    assert isinstance(result, Options)
    assert "standard" in result.cas_windows_editions
    assert "standard" not in result.windows_editions


@pytest.mark.parametrize("windows", ["2016", "2019", "2022", "2025"])
def test_exchange_2010_is_not_allowed_on_windows_it_does_not_run_on(catalog: Catalog, windows: str) -> None:
    result = options(catalog, "dag_only", windows, "any")
    assert isinstance(result, Forbidden)
    assert "rule exchange.windows_support" in result.reason


def test_the_optimizer_forbids_a_pair_in_the_words_the_service_refuses_it_with(catalog: Catalog) -> None:
    from advisor.catalog.support import platform_problems

    result = options(catalog, "dag_only", "2016", "any")
    assert isinstance(result, Forbidden)
    refused = platform_problems("2010", "2016", catalog)[0]
    assert result.field == refused.field == "windows.version"
    assert result.reason == refused.message[0].upper() + refused.message[1:] + "."


def test_windows_2012_has_no_enterprise_edition(catalog: Catalog) -> None:
    result = options(catalog, "single_server", "2012R2", "enterprise")
    assert isinstance(result, Forbidden)
    assert "rule windows.editions" in result.reason


def test_a_fixed_exchange_edition_is_the_only_one_offered(catalog: Catalog) -> None:
    result = options(catalog, "dag_only", "2008R2", "any", exchange_edition="enterprise")
    assert isinstance(result, Options)
    assert result.exchange_editions == ("enterprise",)


def test_a_load_balancer_pair_is_offered_only_models_that_can_pair(catalog: Catalog) -> None:
    result = options(catalog, "dag_cas_array_lb_pair", "2008R2", "any")
    assert isinstance(result, Options)
    assert result.load_balancer_models
    assert all(catalog.load_balancers[m].ha_pair for m in result.load_balancer_models)
    single = options(catalog, "dag_cas_array_single_lb", "2008R2", "any")
    assert isinstance(single, Options)
    assert set(single.load_balancer_models) == set(catalog.load_balancers)


def test_the_catalog_holds_the_domain_limits(catalog: Catalog) -> None:
    facts = catalog.exchange["2010"]
    assert facts.mounted_databases == {"standard": 5, "enterprise": 100}
    assert catalog.dag_max_members == 16
    assert catalog.clustering_editions("2008R2") == ("enterprise", "datacenter")
    assert "standard" in catalog.clustering_editions("2012R2")
