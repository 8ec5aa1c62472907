"""The form: every request field labelled, the seed case as defaults, help beside each choice."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from advisor import architectures
from advisor.catalog import Catalog
from advisor.domain import (
    EXCHANGE_VERSIONS,
    FAILURE_KINDS,
    FEWEST_DATABASE_COPIES,
    SERVICES,
    WINDOWS_VERSIONS,
)
from advisor.web.controls import CONTROLS, control_id, goal_name, weight_name
from advisor.web.forms import parse_amount, parse_integer, values_from_request
from advisor.web.versions import version_menus
from tests.web.conftest import post_form, seed_form

FIELD_ERROR = re.compile(
    r'<p class="field-error" id="f-([a-z-]+)-error"><span class="vh">Error: </span>(.*?)</p>'
)


def field_errors(page: str) -> dict[str, str]:
    """Each field's error message on a form page, by the field's id (`windows-version`)."""
    return dict(FIELD_ERROR.findall(page))


def labelled(page: str, name: str) -> bool:
    return f'for="{control_id(name)}"' in page or f'for="{control_id(name)}-' in page


def test_the_form_has_a_labelled_control_for_every_request_field(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    names = [
        *CONTROLS,
        *(goal_name(f, s) for f in FAILURE_KINDS for s in SERVICES),
        *map(weight_name, FAILURE_KINDS),
    ]
    for name in names:
        assert f'name="{name}"' in page, name
        assert labelled(page, name), name
    for field in (
        "budget.amount",
        "budget.currency",
        "budget.applies_to",
        "horizon_years",
        "exchange.version",
        "exchange.edition",
        "windows.version",
        "windows.edition",
        "mailboxes",
        "databases",
        "environment.domain_controllers",
        "environment.witness_host",
        "environment.sites",
        "environment.cals_owned",
        "objective",
        "alternatives",
        "catalog",
        "project.name",
        "project.customer",
        "project.prepared_by",
    ):
        assert field in CONTROLS


def test_the_form_starts_from_the_seed_case(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'name="budget.amount" value="30000"' in page
    assert re.search(r'<option value="2008R2" selected>', page)
    assert re.search(r'<option value="2010" selected>', page)
    assert 'name="mailboxes" value="300"' in page
    assert 'name="databases" value="4"' in page
    assert 'name="environment.domain_controllers" value="2"' in page
    assert re.search(r'value="existing"\s+checked', page)
    assert 'name="weight.load_balancer" value="5"' in page
    cell = re.search(r'name="goal\.server\.outlook".*?</select>', page, re.S)
    assert cell and '<option value="required" selected>' in cell.group(0)


def test_each_choice_says_what_it_changes(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "2008 R2 Standard have no failover clustering, so a DAG needs Enterprise" in page
    assert "A single load balancer is a single point of failure" in page
    assert "Standard also supports a DAG" in page
    assert page.count('class="help"') >= 30


def test_the_form_is_a_post_with_a_csrf_token_and_no_script_or_inline_style(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/" novalidate', page)
    assert 'name="csrf_token"' in page
    assert "<script" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_amounts_are_read_as_people_type_them() -> None:
    assert parse_amount("30000") == 30000
    assert parse_amount("30,000") == 30000
    assert parse_amount(" $30 000.50 ") == 30000.5
    assert parse_amount("1,5") is None
    assert parse_amount("lots") is None
    assert parse_integer("1,000") == 1000
    assert parse_integer("2.5") is None


def test_a_request_fills_the_form_back_in() -> None:
    values = values_from_request(
        {
            "budget": {"amount": 12345.5, "applies_to": "total"},
            "goals": [
                {"failure": "witness", "services": ["owa"], "priority": "preferred", "weight": 7},
                {"failure": "witness", "services": ["owa", "smtp_inbound"], "priority": "required"},
            ],
            "project": {"name": "Refresh"},
        }
    )
    assert values["budget.amount"] == "12345.5"
    assert values["budget.applies_to"] == "total"
    assert values[goal_name("witness", "owa")] == "required"
    assert values[goal_name("witness", "smtp_inbound")] == "required"
    assert values[goal_name("server", "outlook")] == "none"
    assert values[weight_name("witness")] == "7"
    assert values["project.name"] == "Refresh"
    assert values["mailboxes"] == seed_form()["mailboxes"]


def test_the_help_texts_state_the_product_facts_the_shipped_catalog_holds(catalog: Catalog) -> None:
    """The form's help texts are words, not catalog look-ups: this keeps the two from drifting."""
    facts = catalog.exchange["2010"]
    limits = facts.mounted_databases
    edition = {c.value: c.help for c in CONTROLS["exchange.edition"].choices}
    # Two servers each holding a copy of every database mount every database.
    assert f"At most {limits['standard']} mounted databases" in edition["standard"]
    assert f"top out at {limits['standard'] * 2 // FEWEST_DATABASE_COPIES} databases" in edition["standard"]
    assert f"Up to {limits['enterprise']} mounted databases" in edition["enterprise"]
    runs_on = CONTROLS["exchange.version"].help + CONTROLS["windows.version"].help
    names = {"2008": "2008 SP2", "2008R2": "2008 R2 SP1", "2012": "2012", "2012R2": "2012 R2"}
    assert all(names[v] in runs_on for v in facts.windows_versions)
    windows = {c.value: c.help for c in CONTROLS["windows.edition"].choices}
    for version in ("2008", "2008R2"):
        assert "standard" not in catalog.clustering_editions(version), windows["standard"]
        assert "enterprise" in catalog.clustering_editions(version), windows["enterprise"]
    for version in ("2012", "2012R2"):
        assert "standard" in catalog.clustering_editions(version), windows["standard"]
        assert "enterprise" not in catalog.windows_editions.get(version, ()), windows["enterprise"]
    assert all("datacenter" in catalog.clustering_editions(v) for v in facts.windows_versions)
    # ... and the words say just that.
    assert "2008 and 2008 R2 Standard have no failover clustering" in windows["standard"]
    assert "from 2012 on Standard clusters" in windows["standard"]
    assert "2008 and 2008 R2 only" in windows["enterprise"] and "gone from 2012 on" in windows["enterprise"]
    assert "Clusters on every version" in windows["datacenter"]


def test_the_catalog_menu_offers_each_price_book_once_with_one_selected(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    menu = page.split('name="catalog"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]+)"', menu)
    assert values == sorted(set(values), key=values.index)  # no value twice
    assert menu.count("selected") == 1


def windows_menu(page: str) -> list[tuple[set[str], list[str]]]:
    """The Windows menu's groups: the Exchange versions each names, and its options' values."""
    menu = page.split('name="windows.version"', 1)[1].split("</select>", 1)[0]
    groups = re.findall(r'<optgroup label="[^"]+" data-exchange="([^"]+)">(.*?)</optgroup>', menu, re.S)
    return [(set(runs.split()), re.findall(r'<option value="([^"]+)"', body)) for runs, body in groups]


def test_every_exchange_and_windows_version_is_offered(client: FlaskClient, catalog: Catalog) -> None:
    page = client.get("/").get_data(as_text=True)
    exchange = page.split('name="exchange.version"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]+)"', exchange) == list(EXCHANGE_VERSIONS)
    offered = [w for _, values in windows_menu(page) for w in values]
    assert offered == [
        w for w in WINDOWS_VERSIONS if any(w in f.windows_versions for f in catalog.exchange.values())
    ]
    assert offered == list(WINDOWS_VERSIONS)


def test_each_windows_version_is_grouped_under_the_exchange_versions_the_catalog_runs_on_it(
    client: FlaskClient, catalog: Catalog
) -> None:
    page = client.get("/").get_data(as_text=True)
    for runs, values in windows_menu(page):
        for windows in values:
            assert runs == {e for e, f in catalog.exchange.items() if windows in f.windows_versions}, windows
    se = next(values for runs, values in windows_menu(page) if "SE" in runs)
    assert se == ["2019", "2022", "2025"]


def test_the_style_sheet_hides_the_windows_an_exchange_version_does_not_run_on_for_every_version(
    client: FlaskClient,
) -> None:
    with client.get("/static/web/web.css") as response:
        css = response.get_data(as_text=True)
    chosen = '.plan:has(#f-exchange-version option[value="{v}"]:checked)'
    for v in EXCHANGE_VERSIONS:
        assert f'{chosen.format(v=v)} #f-windows-version optgroup:not([data-exchange~="{v}"])' in css, v
        assert f'.pair-hint[data-exchange="{v}"]' in css, v
        assert f'.version-facts li[data-exchange="{v}"]' in css, v


def test_each_exchange_version_states_its_support_windows_limits_and_architectures_from_the_catalog(
    catalog: Catalog,
) -> None:
    menus = version_menus(catalog, "2026-01-01")
    facts = {f.exchange: f.facts for f in menus.facts}
    assert list(facts) == list(EXCHANGE_VERSIONS)
    for version, text in facts.items():
        entry = catalog.lifecycle[("exchange", version)]
        if entry.end_of_support is None:
            assert "supported while kept on the current update" in text
        else:
            assert f"out of support since {entry.end_of_support}" in text, text
        limits = catalog.exchange[version].mounted_databases
        assert f"at most {limits['standard']} on Standard, {limits['enterprise']} on Enterprise" in text
        weighed = [spec.title for spec in architectures.for_version(version)]
        assert text.endswith(f"Architectures weighed: {'; '.join(weighed)}.")
        named = set(
            re.findall(r"\b20\d\d(?: R2)?\b", text.split("runs on Windows Server", 1)[1].split(";")[0])
        )
        assert named == {w.replace("R2", " R2") for w in catalog.exchange[version].windows_versions}, text
    assert "CAS array" in facts["2010"] and "CAS array" not in facts["2019"]
    assert "Windows NLB" in facts["2013"] and "Windows NLB" not in facts["2016"]
    assert "2022 (from CU12) and 2025 (from CU15)" in facts["2019"]
    assert "subscription" in facts["SE"] and "subscription" not in facts["2019"]
    before = dict(version_menus(catalog, "2025-06-01").exchange)  # the quote's date decides
    assert before["2016"] == "Exchange 2016 (supported to 2025-10-14)"
    assert before["SE"] == "Exchange SE (supported)"
    assert dict(version_menus(catalog, "2026-01-01").exchange)["2019"] == "Exchange 2019 (ended 2025-10-14)"


def test_the_windows_help_states_every_exchange_versions_windows_as_the_catalog_holds_them(
    catalog: Catalog,
) -> None:
    help_text = CONTROLS["windows.version"].help
    segments = help_text.split(". ", 1)[0].split("; ")
    assert len(segments) == len(EXCHANGE_VERSIONS)
    for version, segment in zip(EXCHANGE_VERSIONS, segments, strict=True):
        words, windows = segment.split(" on ", 1)
        assert version in words, segment
        named = set(re.findall(r"\b20\d\d(?: R2)?\b", windows))
        facts = catalog.exchange[version]
        assert named == {w.replace("R2", " R2") for w in facts.windows_versions}, segment
        for w, update in facts.windows_minimum_update.items():
            if update.startswith("CU"):
                assert f"{w.replace('R2', ' R2')} ({update} or later)" in windows, segment


def test_an_unsupported_pair_comes_back_with_the_versions_that_fit_beside_both_fields(
    client: FlaskClient,
) -> None:
    response = post_form(client, **{"exchange.version": "SE", "windows.version": "2008R2"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = field_errors(page)
    assert "it runs on 2019, 2022, 2025" in errors["windows-version"]
    assert "runs Exchange 2010, 2013, not SE" in errors["exchange-version"]
    assert re.search(r'<option value="SE" selected>', page) and re.search(
        r'<option value="2008R2" selected>', page
    )


def test_a_form_with_another_problem_still_says_the_pair_does_not_fit(client: FlaskClient) -> None:
    response = post_form(
        client,
        **{"exchange.version": "SE", "windows.version": "2008R2", "storage": "jbod", "database_copies": "2"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = field_errors(page)
    assert set(errors) == {"storage", "windows-version", "exchange-version"}
    assert "it runs on 2019, 2022, 2025" in errors["windows-version"]


def test_a_supported_pair_of_every_exchange_version_is_accepted(
    client: FlaskClient, catalog: Catalog
) -> None:
    for version in EXCHANGE_VERSIONS:
        newest = catalog.exchange[version].windows_versions[-1]
        response = post_form(client, **{"exchange.version": version, "windows.version": newest})
        assert response.status_code == 303, (version, newest)


def test_the_form_starts_with_the_goals_of_the_readmes_recommendation_example() -> None:
    import json
    from pathlib import Path

    from advisor.web.controls import SEED_GOALS, SEED_WEIGHTS

    example = json.loads((Path(__file__).parents[2] / "examples" / "contoso-owns-cals.json").read_text())
    goals = {(g["failure"], s): g["priority"] for g in example["goals"] for s in g["services"]}
    assert goals == SEED_GOALS
    assert {g["failure"]: str(g["weight"]) for g in example["goals"] if "weight" in g} == SEED_WEIGHTS


def test_a_form_in_another_currency_with_a_wrong_pair_names_all_three_fields_at_once(
    client: FlaskClient,
) -> None:
    for other in ({}, {"storage": "jbod", "database_copies": "2"}):
        response = post_form(
            client,
            **{"exchange.version": "SE", "windows.version": "2008R2", "budget.currency": "EUR"},
            **other,
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        errors = field_errors(page)
        assert set(errors) == {"budget-currency", "windows-version", "exchange-version"} | {
            k.replace("_", "-") for k in other if k == "storage"
        }
        assert "prices in USD, not EUR" in errors["budget-currency"]
