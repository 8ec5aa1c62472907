"""Every error class the API answers, each as an RFC 9457 problem with the right status."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from advisor.app import create_app
from tests.api.conftest import AdvisorWithABug, SolverThatTimesOut
from tests.conftest import euros_on_a_wrong_pair, make_request

PROBLEM = "application/problem+json"
ENDPOINTS = ["/api/v1/recommendations", "/api/v1/analyses"]


def problem_of(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.content_type == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "detail", "instance", "request_id"} <= set(body)
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


@pytest.mark.parametrize("path", ENDPOINTS)
def test_malformed_json_is_a_400_problem(client: FlaskClient, path: str) -> None:
    response = client.post(path, data='{"budget": ', content_type="application/json")

    body = problem_of(response, 400)
    assert body["type"] == "about:blank"
    assert "not valid JSON" in body["detail"]


def test_json_nested_past_the_parser_limit_is_a_400_problem_not_a_crash(client: FlaskClient) -> None:
    response = client.post(ENDPOINTS[0], data="[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert "nests too deeply" in problem_of(response, 400)["detail"]


def test_a_body_that_is_not_utf8_is_a_400_problem(client: FlaskClient) -> None:
    response = client.post(ENDPOINTS[0], data=b'{"budget": "\xff\xfe"}', content_type="application/json")

    problem_of(response, 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_a_415_problem(client: FlaskClient, content_type: str | None) -> None:
    response = client.post(ENDPOINTS[0], data="{}", content_type=content_type)

    assert "application/json" in problem_of(response, 415)["detail"]


def test_a_json_suffix_media_type_is_accepted(client: FlaskClient) -> None:
    response = client.post(
        ENDPOINTS[1], data='{"architecture": "dag_only"}', content_type="application/vnd.x+json"
    )

    assert response.status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_json_value_that_is_not_an_object_is_a_422_naming_the_body(client: FlaskClient, path: str) -> None:
    response = client.post(path, json=[make_request()])

    body = problem_of(response, 422)
    assert body["errors"] == {"(body)": ["must be a JSON object"]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"surprise": 1}, "surprise", "unknown field"),
        ({"mailboxes": "300"}, "mailboxes", "Not a valid integer"),
        ({"mailboxes": True}, "mailboxes", "Not a valid integer"),
        ({"databases": 0}, "databases", "greater than or equal to 1"),
        ({"budget": {"amount": -5}}, "budget.amount", "greater than or equal to 0"),
        ({"budget": {"currency": "usd"}}, "budget.currency", "three-letter"),
        ({"goals": [{"failure": "meteor", "services": ["owa"]}]}, "goals.0.failure", "Must be one of"),
        (
            {"goals": [{"failure": "server", "services": ["owa", "fax"]}]},
            "goals.0.services.1",
            "Must be one of",
        ),
        ({"objective": "cheapest"}, "objective", "Must be one of"),
        ({"environment": {"sites": 2}}, "environment.sites", "sites must be 1"),
    ],
)
def test_a_body_breaking_the_schema_is_a_422_naming_each_field_by_its_path(
    client: FlaskClient, change: dict[str, Any], field: str, words: str
) -> None:
    response = client.post(ENDPOINTS[0], json=make_request(**change))

    body = problem_of(response, 422)
    assert body["type"] == "/api/v1/docs#problem-invalid-input"
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]
    assert field in body["detail"]


def test_a_body_missing_the_required_fields_names_both(client: FlaskClient) -> None:
    body = problem_of(client.post(ENDPOINTS[0], json={}), 422)

    assert set(body["errors"]) == {"budget", "goals"}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_422_for_a_schema_problem_also_names_an_exchange_that_does_not_run_on_its_windows(
    client: FlaskClient, path: str
) -> None:
    bad = make_request(
        exchange={"version": "SE"}, windows={"version": "2012R2"}, storage="jbod", database_copies=2
    )
    if path.endswith("analyses"):
        bad = {k: v for k, v in bad.items() if k not in ("budget", "goals", "objective", "alternatives")}
        bad["architecture"] = "dag_only"
    body = problem_of(client.post(path, json=bad), 422)
    assert list(body["errors"]) == ["storage", "windows.version", "exchange.version"]
    assert "it runs on 2019, 2022, 2025" in body["errors"]["windows.version"][0]
    assert "The request has 3 problem(s)" in body["detail"]


@pytest.mark.parametrize(
    "versions",
    [
        {"windows": {"version": "1999"}},  # not a Windows version: the schema says so, alone
        {"exchange": {"version": "2003"}, "windows": {"version": "2008R2"}},
        {"exchange": "2019", "windows": {"version": "2008R2"}},
        {"exchange": {"version": "2019"}, "windows": {}},  # left out: one that fits is chosen
        {"catalog": "nope", "exchange": {"version": "2019"}, "windows": {"version": "2008R2"}},
    ],
)
def test_a_pair_that_cannot_be_looked_up_adds_nothing_to_the_schemas_problems(
    client: FlaskClient, versions: dict[str, Any]
) -> None:
    bad = make_request(**versions, mailboxes=0)
    for key in ("exchange", "windows"):  # replaced, not merged with the base request's
        if key in versions:
            bad[key] = versions[key]
    body = problem_of(client.post(ENDPOINTS[0], json=bad), 422)
    assert "mailboxes" in body["errors"]
    from advisor.domain import InvalidInput
    from advisor.schemas import parse_request

    with pytest.raises(InvalidInput) as schema:
        parse_request(bad)
    assert set(body["errors"]) == {p.field for p in schema.value.problems}  # the schema's alone
    assert not any("does not run on" in m for ms in body["errors"].values() for m in ms)


def test_the_api_names_the_same_fields_as_the_cli(client: FlaskClient) -> None:
    from advisor.domain import InvalidInput
    from advisor.schemas import parse_request

    bad = make_request(budget={"amount": "lots"}, goals=[{"services": []}], alternatives=99)
    with pytest.raises(InvalidInput) as cli:
        parse_request(bad)

    body = problem_of(client.post(ENDPOINTS[0], json=bad), 422)
    assert sorted(body["errors"]) == sorted({p.field for p in cli.value.problems})


@pytest.mark.parametrize("other", [{}, {"mailboxes": 0}])
def test_a_budget_in_another_currency_and_a_wrong_pair_are_named_in_one_422(
    client: FlaskClient, other: dict[str, Any]
) -> None:
    body = problem_of(client.post(ENDPOINTS[0], json=euros_on_a_wrong_pair(**other)), 422)
    assert list(body["errors"]) == [*other, "budget.currency", "windows.version", "exchange.version"]
    assert "prices in USD, not EUR" in body["errors"]["budget.currency"][0]
    assert "it runs on 2019, 2022, 2025" in body["errors"]["windows.version"][0]


def test_an_analysis_without_a_budget_is_not_told_about_a_currency(client: FlaskClient) -> None:
    bad = {"architecture": "dag_only", "mailboxes": 0, "exchange": {"version": "SE"}}
    bad["windows"] = {"version": "2012R2"}
    body = problem_of(client.post(ENDPOINTS[1], json=bad), 422)
    assert list(body["errors"]) == ["mailboxes", "windows.version", "exchange.version"]


def test_a_budget_in_another_currency_than_the_catalog_is_a_422_on_budget_currency(
    client: FlaskClient,
) -> None:
    body = problem_of(client.post(ENDPOINTS[0], json=make_request(budget={"currency": "EUR"})), 422)

    assert list(body["errors"]) == ["budget.currency"]
    assert "USD" in body["errors"]["budget.currency"][0]


def test_a_design_a_product_rule_forbids_is_a_422_naming_the_design_field(client: FlaskClient) -> None:
    analysis = {"architecture": "dag_only", "design": {"exchange_servers": 2, "witness": "none"}}

    body = problem_of(client.post(ENDPOINTS[1], json=analysis), 422)

    assert list(body["errors"]) == ["design.witness"]
    assert "rule dag.witness" in body["errors"]["design.witness"][0]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_catalog_in_a_body_is_a_422_naming_catalog(client: FlaskClient, path: str) -> None:
    data = (
        make_request(catalog="acme-2031")
        if path == ENDPOINTS[0]
        else {"architecture": "dag_only", "catalog": "x"}
    )

    body = problem_of(client.post(path, json=data), 422)

    assert list(body["errors"]) == ["catalog"]
    assert "known: default" in body["errors"]["catalog"][0]


def test_an_unknown_catalog_in_the_url_is_a_404_problem(client: FlaskClient) -> None:
    body = problem_of(client.get("/api/v1/catalogs/acme-2031"), 404)

    assert body["type"] == "/api/v1/docs#problem-unknown-catalog"
    assert "acme-2031" in body["detail"] and "default" in body["detail"]


def test_a_body_over_the_limit_is_a_413_problem() -> None:
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None, "MAX_CONTENT_LENGTH": 2048})
    padded = make_request(project={"name": "x" * 200, "customer": "y" * 200})
    padded["goals"] = padded["goals"] * 10

    response = app.test_client().post(ENDPOINTS[0], json=padded)

    assert "2048 bytes" in problem_of(response, 413)["detail"]


def test_a_chunked_body_over_the_limit_is_a_413_problem_not_a_json_error() -> None:
    app = create_app({"TESTING": True, "ADVISOR_CATALOG": None, "MAX_CONTENT_LENGTH": 2048})
    body = json.dumps(make_request(project={"name": " " * 4000})).encode()

    response = app.test_client().post(
        ENDPOINTS[0],
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},  # no Content-Length: the server ends the stream
        environ_overrides={"wsgi.input_terminated": True},
    )

    assert "2048 bytes" in problem_of(response, 413)["detail"]


def test_the_default_body_limit_is_one_mebibyte(client: FlaskClient, app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    response = client.post(ENDPOINTS[0], data=" " * (1024 * 1024 + 1), content_type="application/json")

    problem_of(response, 413)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", ENDPOINTS[0], "POST"),
        ("put", ENDPOINTS[1], "POST"),
        ("delete", "/api/v1/catalogs/default", "GET"),
        ("post", "/api/v1/architectures", "GET"),
        ("post", "/healthz", "GET"),
    ],
)
def test_an_unsupported_method_is_a_405_problem_with_allow(
    client: FlaskClient, method: str, path: str, allowed: str
) -> None:
    response = getattr(client, method)(path)

    body = problem_of(response, 405)
    assert allowed in response.headers["Allow"]
    assert method.upper() in body["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v2/recommendations", "/nothing", "/api/v1/catalogs/"]
)
def test_an_unknown_route_is_a_404_problem(client: FlaskClient, path: str) -> None:
    body = problem_of(client.get(path), 404)

    assert body["instance"] == path
    assert "/api/v1/docs" in body["detail"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_solver_at_its_time_limit_is_a_503_problem_with_retry_after(fresh_app: Flask, path: str) -> None:
    fresh_app.extensions["advisor"] = SolverThatTimesOut(fresh_app.extensions["advisor"])
    data = make_request() if path == ENDPOINTS[0] else {"architecture": "dag_only"}

    response = fresh_app.test_client().post(path, json=data)

    body = problem_of(response, 503)
    assert body["type"] == "/api/v1/docs#problem-solver-failed"
    assert "time limit" in body["detail"]
    assert response.headers["Retry-After"] == "5"


def test_an_unexpected_error_is_a_500_problem_without_internals(
    fresh_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    fresh_app.extensions["advisor"] = AdvisorWithABug(fresh_app.extensions["advisor"])

    response = fresh_app.test_client().post(ENDPOINTS[0], json=make_request())

    body = problem_of(response, 500)
    assert body["type"] == "/api/v1/docs#problem-internal"
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.name == "advisor.api" and r.exc_info]
    assert logged and body["request_id"] in logged[0].getMessage()


def test_a_body_with_many_unknown_fields_names_each_in_errors_and_a_few_in_detail(
    client: FlaskClient,
) -> None:
    body = problem_of(
        client.post(ENDPOINTS[0], json=make_request(**{f"extra_{i}": i for i in range(50)})), 422
    )

    assert len(body["errors"]) == 50
    assert body["detail"].endswith("and 40 more.")


def test_a_browser_on_an_unknown_page_gets_an_html_page_not_a_problem(client: FlaskClient) -> None:
    response = client.get("/nothing", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "Not Found" in response.get_data(as_text=True)
    api = client.get("/api/v1/nothing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.content_type == "application/problem+json"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_exchange_version_on_a_windows_it_does_not_run_on_is_a_422_naming_both_fields_and_the_choices(
    client: FlaskClient, path: str
) -> None:
    body = {"architecture": "dag_only"} if path.endswith("analyses") else make_request()
    body.update(exchange={"version": "SE"}, windows={"version": "2008R2"})
    response = client.post(path, json=body)

    problem = problem_of(response, 422)
    assert set(problem["errors"]) == {"exchange.version", "windows.version"}
    assert "it runs on 2019, 2022, 2025" in problem["errors"]["windows.version"][0]
    assert "runs Exchange 2010, 2013, not SE" in problem["errors"]["exchange.version"][0]
    assert "exchange.version" in problem["detail"] and "windows.version" in problem["detail"]
