"""The lean API path: the compact answer (`?view=summary`), gzip for large answers a client
accepts, and no cookie session on the API."""

from __future__ import annotations

import gzip
import json
from typing import Any

import flask
import pytest
from flask import Flask
from flask.sessions import NullSession
from flask.testing import FlaskClient

from tests.conftest import load_example, make_request

RECOMMEND = "/api/v1/recommendations"
SUMMARY_RECOMMENDATION = [
    "rank",
    "architecture",
    "title",
    "design",
    "cost",
    "goals",
    "single_points_of_failure",
    "availability",
]
SUMMARY_WEIGHED = ["architecture", "title", "status", "cost", "reasons"]


def _without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    answer["solver"].pop("solve_ms")
    return answer


def _document(client: FlaskClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/v1/openapi.json").get_json()
    return found


@pytest.mark.parametrize(
    "body",
    [
        load_example("small-business.json"),
        load_example("contoso-owns-cals.json"),
        make_request(budget={"amount": 90000}, objective="max_goals"),
        make_request(exchange={"version": "2019"}, windows={"version": "2022"}, objective="min_downtime"),
        make_request(budget={"amount": 100}),
    ],
)
def test_the_summary_view_is_the_full_answer_less_the_parts_it_leaves_out(
    client: FlaskClient, body: dict[str, Any]
) -> None:
    full = _without_timing(client.post(RECOMMEND, json=body).get_json())
    response = client.post(f"{RECOMMEND}?view=summary", json=body)

    assert response.status_code == 200
    summary = _without_timing(response.get_json())
    assert list(summary) == [
        "exchange_version",
        "catalog",
        "recommendations",
        "weighed",
        "minimum_budget",
        "solver",
        "budget_sensitivity",
    ]
    assert {k: summary[k] for k in summary if k not in ("recommendations", "weighed")} == {
        k: full[k] for k in summary if k not in ("recommendations", "weighed")
    }
    second_and_later = ["compared_with_first"]
    assert summary["recommendations"] == [
        {
            k: r[k]
            for k in SUMMARY_RECOMMENDATION[:3] + second_and_later + SUMMARY_RECOMMENDATION[3:]
            if k in r
        }
        for r in full["recommendations"]
    ]
    assert summary["weighed"] == [{k: w[k] for k in SUMMARY_WEIGHED} for w in full["weighed"]]
    assert len(response.get_data()) < len(json.dumps(full))


def test_the_full_view_asked_for_by_name_is_the_default_answer(client: FlaskClient) -> None:
    body = load_example("small-business.json")
    default = _without_timing(client.post(RECOMMEND, json=body).get_json())
    named = _without_timing(client.post(f"{RECOMMEND}?view=full", json=body).get_json())

    assert named == default


def test_an_unknown_view_is_invalid_input_naming_the_view(client: FlaskClient) -> None:
    response = client.post(f"{RECOMMEND}?view=brief", json=load_example("small-business.json"))

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["view"]


def test_the_document_gives_the_view_parameter_and_both_answers_schemas(client: FlaskClient) -> None:
    document = _document(client)
    operation = document["paths"][RECOMMEND]["post"]
    views = [p for p in operation["parameters"] if p["name"] == "view"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert views and views[0]["in"] == "query" and views[0]["schema"]["enum"] == ["full", "summary"]
    assert schema["oneOf"][1] == {"$ref": "#/components/schemas/RecommendationsSummary"}
    summary = document["components"]["schemas"]["RecommendationsSummary"]
    answer = client.post(f"{RECOMMEND}?view=summary", json=load_example("contoso-owns-cals.json")).get_json()
    assert set(summary["required"]) <= set(answer) <= set(summary["properties"])
    recommendation = document["components"]["schemas"]["RecommendationSummary"]
    assert answer["recommendations"]
    assert set(answer["recommendations"][0]) <= set(recommendation["properties"])


def test_a_large_answer_comes_gzipped_to_a_client_that_accepts_gzip(client: FlaskClient) -> None:
    body = load_example("small-business.json")
    plain = client.post(RECOMMEND, json=body)
    packed = client.post(RECOMMEND, json=body, headers={"Accept-Encoding": "br;q=1.0, gzip;q=0.8"})

    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data()) / 3
    assert _without_timing(json.loads(gzip.decompress(packed.get_data()))) == _without_timing(
        plain.get_json()
    )


@pytest.mark.parametrize("accepts", [None, "identity", "gzip;q=0", "deflate"])
def test_a_client_that_does_not_accept_gzip_gets_the_answer_as_it_is(
    client: FlaskClient, accepts: str | None
) -> None:
    headers = {"Accept-Encoding": accepts} if accepts else {}
    response = client.post(RECOMMEND, json=load_example("small-business.json"), headers=headers)

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]  # a cache must not serve it to a gzip client
    assert response.get_json()["recommendations"] is not None


def test_a_small_answer_is_never_compressed(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_json() is not None


def test_a_large_problem_document_is_compressed_too(client: FlaskClient) -> None:
    body = {"budget": {"amount": "lots"}, **{f"extra_{i}": i for i in range(60)}}
    response = client.post(RECOMMEND, json=body, headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 422
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.get_data()))["status"] == 422


def test_an_api_request_opens_no_session_and_sets_no_cookie(app: Flask) -> None:
    client = app.test_client()
    client.get("/")  # the web form's page does set the session cookie (its CSRF token)
    assert client.get_cookie("session") is not None

    for response in (
        client.post(RECOMMEND, json=load_example("small-business.json")),
        client.get("/api/v1/catalogs"),
        client.get("/healthz"),
    ):
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")

    # Not opened at all: no cookie is read or its signature checked (a web page's is still).
    cookie = {"Cookie": f"session={client.get_cookie('session').value}"}  # type: ignore[union-attr]
    for path, opened in ((RECOMMEND, False), ("/api/v1/catalogs", False), ("/healthz", False), ("/", True)):
        with app.test_request_context(path, headers=cookie):
            session = app.session_interface.open_session(app, flask.request)
            assert isinstance(session, NullSession) is not opened, path
