"""Text that is not text: lone surrogates, byte-order marks and other encodings are 4xx problems naming
the field, never a 500; integral numbers written with a fraction are still whole numbers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.test_errors import problem_of
from tests.conftest import make_request

LONE = "\ud800"


def send(client: FlaskClient, method: str, path: str, body: Any) -> Any:
    # ensure_ascii writes the surrogate as the escape \ud800, as a client's JSON library would
    return client.open(path, method=method, data=json.dumps(body), content_type="application/json")


def saved_id(client: FlaskClient) -> str:
    response = send(client, "POST", "/api/v1/scenarios", {"name": "plain", "request": make_request()})
    assert response.status_code == 201
    scenario_id: str = response.get_json()["id"]
    return scenario_id


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/recommendations", make_request(project={"name": LONE}), "project.name"),
        (
            "POST",
            "/api/v1/analyses",
            {"architecture": "dag_only", "project": {"customer": LONE}},
            "project.customer",
        ),
        *[
            (
                "POST",
                "/api/v1/quotes",
                {"request": make_request(project={"name": f"Contoso {LONE}"}), "format": fmt},
                "request.project.name",
            )
            for fmt in ("json", "csv", "csv-summary", "xlsx", "pdf")
        ],
        ("POST", "/api/v1/scenarios", {"name": f"x{LONE}", "request": make_request()}, "name"),
        ("POST", "/api/v1/scenarios", {"name": "x", "notes": "\udfff", "request": make_request()}, "notes"),
        (
            "POST",
            "/api/v1/scenarios",
            {"name": "x", "request": make_request(goals=[{"failure": "site", "services": [LONE]}])},
            "request.goals.0.services.0",
        ),
        ("PATCH", "/api/v1/scenarios/{id}", {"notes": f"fine, then {LONE}"}, "notes"),
    ],
)
def test_a_lone_surrogate_in_any_string_is_a_422_naming_the_field(
    client: FlaskClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    if "{id}" in path:
        path = path.format(id=saved_id(client))
    before = client.get("/api/v1/scenarios?limit=1").get_json()["total"]

    response = send(client, method, path, body)

    problem = problem_of(response, 422)
    assert list(problem["errors"]) == [field]
    assert "surrogate" in problem["errors"][field][0]
    assert client.get("/api/v1/scenarios?limit=1").get_json()["total"] == before


def test_a_lone_surrogate_in_a_field_name_is_named_without_breaking_the_answer(client: FlaskClient) -> None:
    body = make_request(environment={f"sites{LONE}": 1})

    problem = problem_of(send(client, "POST", "/api/v1/recommendations", body), 422)

    assert list(problem["errors"]) == ["environment.sites\\ud800"]


def test_a_surrogate_pair_is_an_ordinary_character(client: FlaskClient) -> None:
    body = make_request(project={"name": "Mail HA \ud83d\udce7"})  # the pair for U+1F4E7
    response = client.post(
        "/api/v1/recommendations", data=json.dumps(body, ensure_ascii=True), content_type="application/json"
    )
    assert response.status_code == 200


def test_utf8_encoded_surrogates_are_a_400_saying_the_body_is_not_utf8(client: FlaskClient) -> None:
    raw = b'{"budget": {"amount": 1}, "goals": [], "project": {"name": "\xed\xa0\x80"}}'

    response = client.post("/api/v1/recommendations", data=raw, content_type="application/json")

    detail = problem_of(response, 400)["detail"]
    assert "UTF-8" in detail and "byte 60" in detail


def test_a_body_with_a_utf8_byte_order_mark_is_read_as_the_json_after_it(client: FlaskClient) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(make_request()).encode()

    response = client.post("/api/v1/recommendations", data=raw, content_type="application/json")

    assert response.status_code == 200
    assert response.get_json()["recommendations"]


def test_a_utf16_body_is_a_400_saying_to_send_utf8(client: FlaskClient) -> None:
    raw = json.dumps(make_request()).encode("utf-16")

    response = client.post("/api/v1/recommendations", data=raw, content_type="application/json")

    assert "UTF-8" in problem_of(response, 400)["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"environment": {"cals_owned": 1105.0}}, None),
        ({"mailboxes": 300.0, "horizon_years": 3.0}, None),
        ({"environment": {"cals_owned": 1105.5}}, "environment.cals_owned"),
        ({"mailboxes": True}, "mailboxes"),
        ({"mailboxes": "300"}, "mailboxes"),
    ],
)
def test_a_whole_number_written_with_a_fraction_is_a_whole_number(
    client: FlaskClient, changes: dict[str, Any], field: str | None
) -> None:
    response = send(client, "POST", "/api/v1/recommendations", make_request(**changes))

    if field is None:
        assert response.status_code == 200, response.get_json()
    else:
        assert list(problem_of(response, 422)["errors"]) == [field]


def test_the_openapi_document_declares_that_text_fields_refuse_control_characters(
    client: FlaskClient,
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for schema, field in [
        ("Project", "name"),
        ("Project", "customer"),
        ("NewScenario", "notes"),
        ("NewScenario", "name"),
        ("ScenarioChanges", "notes"),
    ]:
        found = next(s for name, s in schemas.items() if name.startswith(schema))
        prop = found["properties"][field]
        assert "pattern" in prop, (schema, field)
        pattern = prop["pattern"]

        assert re.fullmatch(pattern, "Mail HA\tRefresh\nline two")
        assert not re.fullmatch(pattern, "bell\x07")
        assert not re.fullmatch(pattern, "nul\x00")
        assert "control characters" in prop["description"]
