"""The OpenAPI document covers every route and field; the docs page renders it without scripts or CDNs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from advisor.api.descriptions import REQUEST_FIELDS
from advisor.api.docs_page import METHODS, sections
from advisor.api.settings import SETTINGS

# Served under /api/v1 but not API operations: the docs page's own stylesheet.
NOT_OPERATIONS = {"documentation.static"}


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_document_lists_every_route_the_app_serves_under_api_v1(
    app: Flask, document: dict[str, Any]
) -> None:
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and rule.endpoint not in NOT_OPERATIONS
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {
        (path, method) for path, item in document["paths"].items() for method in item if method in METHODS
    }

    assert served
    assert served <= documented


def test_the_health_routes_are_documented_too(document: dict[str, Any]) -> None:
    assert {"/healthz", "/readyz"} <= set(document["paths"])


def test_the_document_is_openapi_3_1_with_the_api_title(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Exchange HA design-cost advisor"


def test_every_request_field_has_a_description(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    undescribed = [
        f"{name}.{field}"
        for name in REQUEST_FIELDS
        for field, prop in schemas[name]["properties"].items()
        if not prop.get("description")
    ]

    assert undescribed == []
    assert set(REQUEST_FIELDS) <= set(schemas)


def test_every_response_field_has_a_description(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    skipped = set(REQUEST_FIELDS) | {"PaginationMetadata"}
    undescribed = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        if name not in skipped
        for field, prop in schema.get("properties", {}).items()
        if not prop.get("description") and "$ref" not in prop and "anyOf" not in prop
    ]

    assert len(undescribed) < 25, undescribed
    # Exactly these speak for themselves (the catalog's nested tables and their self-named fields):
    assert set(undescribed) == SELF_EXPLAINED, sorted(set(undescribed) ^ SELF_EXPLAINED)


SELF_EXPLAINED = {
    "Architecture.description",
    "Architecture.title",
    "ArchitectureList.architectures",
    "DagFact.max_copies_per_database",
    "DagFact.max_members",
    "DagFact.rule",
    "ExchangeFact.editions",
    "ExchangeFact.mounted_databases_rule",
    "ExchangeFact.windows_rule",
    "Facts.exchange",
    "FailureServices.services",
    "PolicyValue.basis",
    "PolicyValue.value",
    "Prices.exchange_cals",
    "Prices.exchange_servers",
    "Prices.load_balancers",
    "Prices.servers",
    "Prices.windows",
}


def test_validation_errors_are_documented_as_problems(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/recommendations"]["post"]
    assert operation["responses"]["422"] == {"$ref": "#/components/responses/UNPROCESSABLE_ENTITY"}

    unprocessable = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]

    assert list(unprocessable["content"]) == ["application/problem+json"]
    required = document["components"]["schemas"]["Problem"]["required"]
    assert sorted(required) == ["detail", "instance", "request_id", "status", "title", "type"]


def test_each_body_operation_has_an_example_that_the_api_accepts(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    for path in ("/api/v1/recommendations", "/api/v1/analyses"):
        example = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]

        assert client.post(path, json=example).status_code == 200


def test_the_docs_page_shows_every_operation_with_its_fields(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    page = response.get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in set(item) & set(METHODS):
            assert f"{method.upper()}</span> <code>{path}</code>" in page
    assert "<code>goals[].services</code>" in page
    assert "<code>recommendations[].single_points_of_failure[].explanation</code>" in page
    assert 'id="problem-invalid-input"' in page
    assert "ADVISOR_TIME_LIMIT" in page
    for setting in SETTINGS:  # every setting with the default it really has
        assert (
            f"<td><code>{setting.env}</code></td><td><code>{escape(setting.shown_default)}</code></td>"
            in page
        )
        assert setting.shown_default not in ("()", "None")
    unset = [s.unset for s in SETTINGS if s.default is None]
    assert len(set(unset)) == len(unset)  # each says what happens without it, in its own words
    assert "<code>catalog_id (path)</code>" in page


def test_the_docs_page_works_offline_under_a_strict_content_security_policy(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert "<script" not in page.lower()
    assert "style=" not in page.lower() and "<style" not in page.lower()
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page)
    (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
    with client.get(stylesheet) as css:  # a file response: close it
        assert css.status_code == 200
        assert css.content_type.startswith("text/css")
        assert "@import" not in css.get_data(as_text=True) and "url(" not in css.get_data(as_text=True)


def test_the_docs_page_reader_follows_refs_and_nullable_fields(document: dict[str, Any]) -> None:
    by_path = {op.path: op for section in sections(document) for op in section.operations}

    fields = {f.path: f for f in by_path["/api/v1/recommendations"].body_fields}

    assert fields["budget.amount"].required
    assert "min 0" in fields["budget.amount"].rules
    assert fields["project"].type == "object or null"
    assert fields["goals[].failure"].rules.startswith("one of database, server")


def test_the_request_schema_documents_every_version_and_the_windows_each_exchange_runs_on(
    document: dict[str, Any], catalog: Any
) -> None:
    from advisor.domain import EXCHANGE_VERSIONS, WINDOWS_VERSIONS

    schemas = document["components"]["schemas"]
    exchange = schemas["Exchange"]["properties"]["version"]
    windows = schemas["Windows"]["properties"]["version"]
    assert exchange["enum"] == list(EXCHANGE_VERSIONS)
    assert [v for v in windows["enum"] if v is not None] == list(WINDOWS_VERSIONS)  # null: the default
    assert all(v in exchange["description"] for v in EXCHANGE_VERSIONS)
    for version in EXCHANGE_VERSIONS:
        stated = re.search(rf"\b{version} on ([0-9R, ]+)[;.]", windows["description"])
        assert stated, version
        assert stated.group(1).split(", ") == list(catalog.exchange[version].windows_versions), version
    assert "`exchange.version` and `windows.version`" in windows["description"]
