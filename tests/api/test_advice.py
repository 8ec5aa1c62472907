"""POST /api/v1/recommendations and /api/v1/analyses end to end through the Flask test client."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from advisor.architectures import names
from advisor.contract.responses import AnalysisResponseSchema, RecommendationsResponseSchema
from advisor.service import Advisor
from tests.conftest import load_example, make_request

ARCHITECTURES = names("2010")

PROBLEM = "application/problem+json"


def test_a_recommendation_answers_the_contract_response(client: FlaskClient) -> None:
    response = client.post("/api/v1/recommendations", json=make_request())

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["catalog"]["id"] == "default"
    assert [r["rank"] for r in body["recommendations"]] == [1, 2, 3]
    assert len({r["architecture"] for r in body["recommendations"]}) == 3
    assert [w["architecture"] for w in body["weighed"]] == list(ARCHITECTURES)
    assert body["solver"]["status"] == "optimal"
    best = body["recommendations"][0]
    assert best["cost"]["within_budget"] is True
    assert best["cost"]["upfront"] == round(sum(line["upfront"] for line in best["bill_of_materials"]), 2)


def test_the_api_answers_exactly_what_the_cli_service_answers(client: FlaskClient, advisor: Advisor) -> None:
    request = make_request(objective="max_goals", alternatives=2)

    response = client.post("/api/v1/recommendations", json=request)

    expected = advisor.recommend(request)
    body = response.get_json()
    for answer in (body, expected):
        answer["solver"].pop("solve_ms")
    assert body == expected


def test_a_budget_too_small_gives_no_recommendation_but_the_minimum_budget(client: FlaskClient) -> None:
    response = client.post("/api/v1/recommendations", json=make_request(budget={"amount": 100}))

    assert response.status_code == 200
    body = response.get_json()
    assert body["recommendations"] == []
    assert body["minimum_budget"]["amount"] > 100
    assert body["minimum_budget"]["architecture"] in ARCHITECTURES


def test_only_budget_amount_and_goals_are_needed(client: FlaskClient) -> None:
    response = client.post("/api/v1/recommendations", json={"budget": {"amount": 50000}, "goals": []})

    assert response.status_code == 200
    assert response.get_json()["recommendations"]


def test_the_seed_case_analysis_shows_the_rpc_client_access_server_as_a_single_point_of_failure(
    client: FlaskClient,
) -> None:
    response = client.post("/api/v1/analyses", json=load_example("seed-dag-only.json"))

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["architecture"] == "dag_only"
    assert "rank" not in body
    assert body["catalog"]["id"] == "default"
    spofs = {s["component"]: s for s in body["single_points_of_failure"]}
    assert "outlook" in spofs["ex-1"]["services"]
    assert "rule ex2010.rpc_client_access" in spofs["ex-1"]["explanation"]
    missed = [g for g in body["goals"] if not g["met"]]
    assert {(g["failure"], g["service"]) for g in missed} == {("server", "outlook"), ("server", "owa")}


def test_an_analysis_fills_missing_design_fields_with_the_smallest_valid_values(client: FlaskClient) -> None:
    response = client.post("/api/v1/analyses", json={"architecture": "dag_cas_array_lb_pair"})

    assert response.status_code == 200
    design = response.get_json()["design"]
    assert design["exchange_servers"] == 2
    assert design["load_balancers"] == 2
    assert response.get_json()["cost"]["within_budget"] is None


@pytest.mark.parametrize(
    ("path", "body", "schema"),
    [
        ("/api/v1/recommendations", make_request(), RecommendationsResponseSchema),
        ("/api/v1/recommendations", make_request(budget={"amount": 10}), RecommendationsResponseSchema),
        (
            "/api/v1/recommendations",
            make_request(objective="max_goals", alternatives=6),
            RecommendationsResponseSchema,
        ),
        ("/api/v1/analyses", load_example("seed-dag-only.json"), AnalysisResponseSchema),
        (
            "/api/v1/analyses",
            {
                "architecture": "dedicated_cas_wnlb",
                "budget": {"amount": 1},
                "goals": [{"failure": "server", "services": ["owa"]}],
            },
            AnalysisResponseSchema,
        ),
    ],
)
def test_the_response_schema_describes_every_field_the_service_answers(
    client: FlaskClient, path: str, body: dict[str, Any], schema: type
) -> None:
    """The schema must neither lack a field the answer has nor name one it lacks: read back through
    the schema and dumped again by marshmallow itself, the answer is unchanged."""
    answer = client.post(path, json=body).get_json()

    typed = schema().load(answer)  # a field the schema lacks is dropped here
    assert schema().native_dump(typed) == answer  # so nothing was: the schema lacks no field
    assert schema().validate(answer) == {}  # and the answer lacks no field the schema requires
