"""Catalog loading and validation: every problem names its file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.catalog import Catalog
from advisor.catalog.loader import InvalidCatalog, load_catalog
from advisor.catalog.registry import CatalogRegistry
from advisor.domain import UnknownCatalog


def test_the_shipped_catalog_is_valid_and_names_its_version(catalog: Catalog) -> None:
    assert catalog.id == "default"
    assert catalog.summary() == {
        "id": "default",
        "version": catalog.version,
        "currency": "USD",
        "as_of": catalog.as_of,
    }


def test_every_shipped_price_carries_its_basis(catalog: Catalog) -> None:
    items = [s.item for s in catalog.servers.values()]
    items += [
        *catalog.windows.values(),
        *catalog.exchange_servers.values(),
        *catalog.exchange_cals.values(),
        *(lb.item for lb in catalog.load_balancers.values()),
    ]
    assert len(items) >= 15
    for item in items:
        assert item.basis.strip(), item.sku


def test_the_shipped_prices_follow_domain_ballparks(catalog: Catalog) -> None:
    assert catalog.windows[("2008R2", "standard")].price_cents == 99900
    assert catalog.windows[("2008R2", "enterprise")].price_cents == 399900
    assert catalog.windows[("2012R2", "standard")].price_cents == 88200
    assert catalog.windows[("2012R2", "datacenter")].price_cents == 480900
    assert catalog.load_balancers["LB-ENTRY-HW"].item.price_cents == 259000
    assert catalog.rates["software_assurance"].rate == 0.25


def test_annual_figures_come_from_the_support_rates(catalog: Catalog) -> None:
    licence = catalog.windows[("2008R2", "enterprise")]
    assert licence.annual_cents == round(licence.price_cents * 0.25)
    server = catalog.servers["SRV-ENTRY-1S"].item
    assert server.annual_cents == round(server.price_cents * 0.15)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_bad_price_is_reported_with_file_item_and_field(catalog_copy: Path) -> None:
    _edit(catalog_copy / "hardware.toml", "price = 2800.00", "price = -5")
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    [problem] = caught.value.problems
    assert problem.file == "hardware.toml"
    assert problem.item == "server[1] (SRV-ENTRY-1S)"
    assert problem.field == "price"


def test_every_problem_is_reported_not_just_the_first(catalog_copy: Path) -> None:
    _edit(catalog_copy / "hardware.toml", "price = 2800.00", "price = -5")
    _edit(catalog_copy / "load_balancers.toml", "ha_pair = false", 'ha_pair = "no"')
    _edit(catalog_copy / "catalog.toml", 'currency = "USD"', 'currency = "usd"')
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    files = {p.file for p in caught.value.problems}
    assert files == {"hardware.toml", "load_balancers.toml", "catalog.toml"}


def test_a_missing_basis_is_a_problem(catalog_copy: Path) -> None:
    _edit(catalog_copy / "licences.toml", 'basis = "Microsoft list price, 2012"\n', "")
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    assert any(p.field == "basis" for p in caught.value.problems)


def test_a_dangling_rule_and_an_unknown_sku_are_cross_checked(catalog_copy: Path) -> None:
    _edit(catalog_copy / "facts.toml", 'rule = "dag.limits"', 'rule = "dag.nonsense"')
    _edit(catalog_copy / "roles.toml", 'hardware_sku = "SRV-SMALL-1S"', 'hardware_sku = "NOPE"')
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    text = [str(p) for p in caught.value.problems]
    assert any("dag.nonsense" in t for t in text)
    assert any("NOPE" in t and "roles.toml" in t for t in text)


def test_broken_toml_and_a_missing_file_are_reported(catalog_copy: Path) -> None:
    (catalog_copy / "support.toml").write_text("[software_assurance\n")
    (catalog_copy / "roles.toml").unlink()
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    messages = {p.file: p.message for p in caught.value.problems}
    assert "not valid TOML" in messages["support.toml"]
    assert messages["roles.toml"] == "file is missing"


def test_a_planners_own_catalog_answers_to_default(catalog_copy: Path) -> None:
    _edit(catalog_copy / "catalog.toml", 'id = "default"', 'id = "contoso-2026"')
    registry = CatalogRegistry(own=catalog_copy)
    assert registry.get("default").id == "contoso-2026"
    assert registry.get("contoso-2026").id == "contoso-2026"
    assert "default" in registry.ids()


def test_an_unknown_catalog_id_lists_the_known_ones(registry: CatalogRegistry) -> None:
    with pytest.raises(UnknownCatalog) as caught:
        registry.get("nope")
    assert caught.value.known == ["default"]


def test_a_role_bought_with_an_unpriced_windows_edition_is_a_problem(catalog_copy: Path) -> None:
    block = (
        '[[windows]]\nversion = "2012R2"\nedition = "standard"\nsku = "WS2012R2-STD"\n'
        'per = "two_processors"\n'
        'description = "Windows Server 2012 R2 Standard, two processors"\nprice = 882.00\n'
        'basis = "Microsoft list price, 2012"\n'
    )
    _edit(catalog_copy / "licences.toml", block, "")
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    found = [str(p) for p in caught.value.problems]
    assert any("roles.toml: witness_host: windows_edition" in p and "2012R2 standard" in p for p in found)
    assert any("roles.toml: domain_controller: windows_edition" in p for p in found)


def test_skus_that_read_the_same_in_a_model_are_a_problem(catalog_copy: Path) -> None:
    _edit(catalog_copy / "load_balancers.toml", 'sku = "LB-BASIC-HW"', 'sku = "LB_ENTRY_HW"')
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    assert any(p.field == "sku" and "LB-ENTRY-HW" in p.message for p in caught.value.problems)


def test_a_dag_that_allows_fewer_copies_than_a_request_may_ask_for_is_a_problem(catalog_copy: Path) -> None:
    _edit(catalog_copy / "facts.toml", "max_copies_per_database = 16", "max_copies_per_database = 3")
    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)
    assert [(p.file, p.field) for p in caught.value.problems] == [("facts.toml", "max_copies_per_database")]
    assert "up to 4 copies" in caught.value.problems[0].message


def break_file(folder: Path, kind: str, name: str = "support.toml") -> None:
    """Replace one catalog file with something that is not a TOML text file."""
    import os

    path = folder / name
    path.unlink()
    if kind == "invalid UTF-8":
        path.write_bytes(b'[software_assurance]\nbasis = "caf\xe9"\n')
    elif kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
    elif kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "directory":
        path.mkdir()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("invalid UTF-8", "is not UTF-8 text: byte 33 cannot be read"),
        ("fifo", "is not a regular file"),
        ("link to /dev/zero", "is not a regular file"),
        ("directory", "is not a regular file"),
    ],
)
def test_a_catalog_file_that_is_not_a_text_file_is_a_problem_not_a_crash_or_a_hang(
    catalog_copy: Path, kind: str, message: str
) -> None:
    break_file(catalog_copy, kind)

    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)

    assert [(p.file, p.message) for p in caught.value.problems] == [("support.toml", message)]


def test_a_catalog_file_far_larger_than_any_price_book_is_a_problem(catalog_copy: Path) -> None:
    with (catalog_copy / "support.toml").open("a") as handle:
        handle.write("# padding\n" * 200_000)

    with pytest.raises(InvalidCatalog) as caught:
        load_catalog(catalog_copy)

    assert [p.message for p in caught.value.problems] == ["is larger than 1048576 bytes"]
