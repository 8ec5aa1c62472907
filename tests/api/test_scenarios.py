"""/api/v1/scenarios end to end through the test client: save, list, read, rename, delete, re-price,
export and compare, each outcome with its status and every failure as a problem."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.test import TestResponse

from advisor.api.schemas import (
    QuoteDocumentSchema,
    RepricedScenarioSchema,
    ScenarioPageSchema,
    ScenarioSchema,
)
from advisor.app import create_app
from advisor.exports import FORMATS
from advisor.storage import ScenarioStore, make_engine
from tests.conftest import dearer_windows_2008, euros_on_a_wrong_pair, make_request

PROBLEM = "application/problem+json"
ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _app(tmp_path: Path, **config: Any) -> Flask:
    settings = {"TESTING": True, "ADVISOR_CATALOG": None, "ADVISOR_DATABASE_URL": _url(tmp_path)}
    return create_app(settings | config)


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'scenarios.sqlite3'}"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    """A client of an app with a database of its own, empty at the start."""
    return _app(tmp_path).test_client()


def save(client: FlaskClient, name: str = "Contoso", **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/scenarios", json={"name": name, "request": make_request(**changes)})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def problem_of(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    return body


def test_saving_runs_the_request_and_answers_201_with_the_scenario_and_its_location(
    client: FlaskClient,
) -> None:
    request = make_request(project={"name": "Mail HA", "customer": "Contoso"})

    response = client.post(
        "/api/v1/scenarios", json={"name": "Contoso", "notes": "draft", "request": request}
    )

    assert response.status_code == 201
    body = response.get_json()
    assert ID.match(body["id"])
    assert response.headers["Location"] == f"/api/v1/scenarios/{body['id']}"
    assert body["links"]["self"] == response.headers["Location"]
    assert (body["name"], body["notes"], body["repriced_from"]) == ("Contoso", "draft", None)
    assert body["request"] == request
    assert body["response"]["recommendations"][0]["architecture"] == "dag_cas_array_single_lb"
    assert body["catalog"] == {
        k: body["response"]["catalog"][k] for k in ("id", "version", "as_of", "currency")
    }
    assert body["created_at"] == body["updated_at"]
    assert ScenarioSchema().validate(body) == {}


def test_a_saved_scenario_reads_back_exactly_as_acknowledged(client: FlaskClient) -> None:
    saved = save(client)

    response = client.get(saved["links"]["self"])

    assert response.status_code == 200
    assert response.get_json() == saved


def test_two_saves_of_one_request_get_different_unguessable_ids(client: FlaskClient) -> None:
    ids = {save(client)["id"] for _ in range(3)}

    assert len(ids) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"request": make_request()}, "name"),
        ({"name": "", "request": make_request()}, "name"),
        ({"name": "x"}, "request"),
        ({"name": "x", "request": make_request(), "colour": "red"}, "colour"),
        ({"name": "x", "request": make_request(mailboxes=0)}, "request.mailboxes"),
        ({"name": "x", "request": make_request(budget={"amount": -1})}, "request.budget.amount"),
        ({"name": "x", "request": make_request(budget={"currency": "EUR"})}, "request.budget.currency"),
        ({"name": "x", "request": make_request(catalog="nope")}, "request.catalog"),
        ({"name": "x", "notes": 5, "request": make_request()}, "notes"),
    ],
)
def test_a_bad_scenario_is_a_422_naming_the_field_and_nothing_is_saved(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    problem = problem_of(client.post("/api/v1/scenarios", json=body), 422)

    assert field in problem["errors"]
    assert client.get("/api/v1/scenarios").get_json()["total"] == 0


@pytest.mark.parametrize("other", [{}, {"name": ""}, {"request": {"mailboxes": 0}}])
def test_a_scenario_whose_request_is_in_another_currency_on_a_wrong_pair_names_both_with_its_other_problems(
    client: FlaskClient, other: dict[str, Any]
) -> None:
    request = euros_on_a_wrong_pair(**other.get("request", {}))
    body = {"name": other.get("name", "x"), "request": request}
    problem = problem_of(client.post("/api/v1/scenarios", json=body), 422)

    catalog_fields = ["request.budget.currency", "request.windows.version", "request.exchange.version"]
    others = ["name"] if "name" in other else [f"request.{k}" for k in other.get("request", {})]
    assert sorted(problem["errors"]) == sorted(others + catalog_fields)
    assert "prices in USD, not EUR" in problem["errors"]["request.budget.currency"][0]
    assert client.get("/api/v1/scenarios").get_json()["total"] == 0


def test_a_scenario_whose_request_is_not_an_object_is_told_so_alone(client: FlaskClient) -> None:
    problem = problem_of(client.post("/api/v1/scenarios", json={"name": "x", "request": [1]}), 422)
    assert list(problem["errors"]) == ["request"]


@pytest.mark.parametrize(
    ("data", "content_type", "status"), [("{}", "text/plain", 415), ("{", "application/json", 400)]
)
def test_a_body_that_is_not_a_json_object_is_refused(
    client: FlaskClient, data: str, content_type: str, status: int
) -> None:
    saved = save(client)

    problem_of(client.post("/api/v1/scenarios", data=data, content_type=content_type), status)
    problem_of(client.patch(saved["links"]["self"], data=data, content_type=content_type), status)
    problem_of(client.post("/api/v1/scenarios/compare", data=data, content_type=content_type), status)


@pytest.mark.parametrize("scenario_id", ["AAAAAAAAAAAAAAAAAAAAAA", "nope", "x" * 300, "%C3%A9t%C3%A9"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"notes": "x"}),
        ("delete", "", None),
        ("post", "/reprice", None),
        ("get", "/export?format=json", None),
    ],
)
def test_an_unknown_or_malformed_id_is_a_404_problem(
    client: FlaskClient, scenario_id: str, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    response = getattr(client, method)(f"/api/v1/scenarios/{scenario_id}{suffix}", json=body)

    problem = problem_of(response, 404)
    assert problem["type"].endswith("#problem-scenario-not-found")
    assert len(problem["detail"]) < 200


def test_the_listing_is_newest_first_with_the_total_and_links_to_the_next_and_previous_page(
    client: FlaskClient,
) -> None:
    ids = [save(client, f"plan {i}", mailboxes=100 + i)["id"] for i in range(5)]

    first = client.get("/api/v1/scenarios?limit=2").get_json()
    second = client.get(first["links"]["next"]).get_json()
    last = client.get(second["links"]["next"]).get_json()

    assert [s["id"] for s in first["items"] + second["items"] + last["items"]] == ids[::-1]
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert first["links"]["prev"] is None and last["links"]["next"] is None
    assert client.get(last["links"]["prev"]).get_json() == second
    assert ScenarioPageSchema().validate(first) == {}


def test_listed_items_leave_out_the_full_result_but_give_the_recommendations_in_brief(
    client: FlaskClient,
) -> None:
    saved = save(client)

    (item,) = client.get("/api/v1/scenarios").get_json()["items"]

    assert "request" not in item and "response" not in item
    assert item["links"] == saved["links"]
    assert [(r["rank"], r["architecture"], r["cost"]) for r in item["recommendations"]] == [
        (r["rank"], r["architecture"], r["cost"]) for r in saved["response"]["recommendations"]
    ]


def test_the_listing_filters_by_a_part_of_the_name_in_any_case(client: FlaskClient) -> None:
    save(client, "Contoso 30k")
    save(client, "Fabrikam")
    save(client, "contoso 50k")

    page = client.get("/api/v1/scenarios?name=CONTOSO&limit=1").get_json()

    assert page["total"] == 2
    assert page["items"][0]["name"] == "contoso 50k"
    assert page["links"]["next"] == "/api/v1/scenarios?limit=1&offset=1&name=CONTOSO"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("limit=ten", "limit"),
    ],
)
def test_a_bad_listing_query_is_a_422_naming_the_parameter(
    client: FlaskClient, query: str, field: str
) -> None:
    problem = problem_of(client.get(f"/api/v1/scenarios?{query}"), 422)

    assert list(problem["errors"]) == [field]


def test_with_listing_switched_off_the_listing_is_a_403_problem_but_links_still_work(tmp_path: Path) -> None:
    client = _app(tmp_path, ADVISOR_SCENARIO_LISTING=False).test_client()
    saved = save(client)

    problem = problem_of(client.get("/api/v1/scenarios?limit=0"), 403)

    assert problem["type"].endswith("#problem-listing-off")
    assert client.get(saved["links"]["self"]).status_code == 200


def test_a_patch_renames_and_annotates_but_leaves_the_stored_result(client: FlaskClient) -> None:
    saved = save(client)

    response = client.patch(saved["links"]["self"], json={"name": "Contoso, final", "notes": "sent"})

    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["notes"]) == ("Contoso, final", "sent")
    assert body["updated_at"] > saved["updated_at"] and body["created_at"] == saved["created_at"]
    assert (body["request"], body["response"]) == (saved["request"], saved["response"])
    assert client.get(saved["links"]["self"]).get_json() == body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"response": {}}, "response"),
        ({"request": make_request()}, "request"),
        ({"name": "x", "id": "AAAAAAAAAAAAAAAAAAAAAA"}, "id"),
        ({"name": ""}, "name"),
        ({}, "(body)"),
    ],
)
def test_a_patch_of_anything_but_name_and_notes_is_a_422_and_changes_nothing(
    client: FlaskClient, changes: dict[str, Any], field: str
) -> None:
    saved = save(client)

    problem = problem_of(client.patch(saved["links"]["self"], json=changes), 422)

    assert field in problem["errors"]
    assert client.get(saved["links"]["self"]).get_json() == saved


def test_deleting_answers_204_and_the_link_stops_working(client: FlaskClient) -> None:
    saved = save(client)

    response = client.delete(saved["links"]["self"])

    assert response.status_code == 204 and response.data == b""
    problem_of(client.get(saved["links"]["self"]), 404)
    problem_of(client.delete(saved["links"]["self"]), 404)


def _newer_catalog(catalog_copy: Path) -> Path:
    """The shipped catalog one version on, with every Windows Server 2008 and 2008 R2 licence 1,000 dearer."""
    licences = catalog_copy / "licences.toml"
    licences.write_text(dearer_windows_2008(licences.read_text()))
    header = catalog_copy / "catalog.toml"
    header.write_text(header.read_text().replace('version = "2026.12.1"', 'version = "2027.01.1"'))
    return catalog_copy


def test_repricing_saves_a_new_scenario_against_the_current_catalog_and_shows_the_differences(
    tmp_path: Path, catalog_copy: Path
) -> None:
    saved = save(_app(tmp_path).test_client())
    later = _app(tmp_path, ADVISOR_CATALOG=str(_newer_catalog(catalog_copy))).test_client()

    response = later.post(saved["links"]["reprice"])

    assert response.status_code == 201
    fresh = response.get_json()
    assert response.headers["Location"] == fresh["links"]["self"] != saved["links"]["self"]
    assert fresh["repriced_from"] == saved["id"] and fresh["links"]["repriced_from"] == saved["links"]["self"]
    assert fresh["request"] == saved["request"]
    assert fresh["catalog"]["version"] == "2027.01.1"
    changes = fresh["differences"]
    assert (changes["catalog"]["before"]["version"], changes["catalog"]["after"]["version"]) == (
        "2026.12.1",
        "2027.01.1",
    )
    pair = next(a for a in changes["architectures"] if a["architecture"] == "dag_cas_array_lb_pair")
    assert pair["cost_change"]["upfront"] == pytest.approx(2000.0)
    assert RepricedScenarioSchema().validate(fresh) == {}
    assert later.get(fresh["links"]["self"]).get_json() == {
        k: v for k, v in fresh.items() if k != "differences"
    }
    assert later.get(saved["links"]["self"]).get_json() == saved  # the original never changes


def _json_export(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = json.loads(response.data)
    return body


def _totals(document: dict[str, Any]) -> list[tuple[str, float]]:
    return [(d["architecture"], d["total"]) for d in document["designs"]]


def _stored_totals(scenario: dict[str, Any]) -> list[tuple[str, float]]:
    return [(r["architecture"], r["cost"]["total"]) for r in scenario["response"]["recommendations"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_scenario_exports_in_every_format_as_a_named_attachment(client: FlaskClient, fmt: str) -> None:
    saved = save(client, project={"name": "Mail HA", "customer": "Contoso"})

    response = client.get(f"{saved['links']['export']}?format={fmt}&paper=Letter")

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="contoso-mail-ha-quote(-summary)?-\d{4}-\d\d-\d\d\.[a-z]+"', disposition
    )
    assert int(response.headers["Content-Length"]) == len(response.data) > 0
    expected = {
        "json": "application/json",
        "csv": "text/csv",
        "csv-summary": "text/csv",
        "pdf": "application/pdf",
    }
    assert response.mimetype == expected.get(
        fmt, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_a_scenario_export_holds_the_stored_designs_in_the_picked_order(client: FlaskClient) -> None:
    saved = save(client)
    stored = dict(_stored_totals(saved))

    every = _json_export(client.get(f"{saved['links']['export']}?format=json"))
    picked = _json_export(
        client.get(
            f"{saved['links']['export']}?format=json&picks=dedicated_cas_wnlb&picks=dag_cas_array_single_lb"
        )
    )

    assert _totals(every) == _stored_totals(saved)
    assert _totals(picked) == [(a, stored[a]) for a in ("dedicated_cas_wnlb", "dag_cas_array_single_lb")]


def test_an_export_keeps_the_stored_figures_after_the_catalog_changes(
    tmp_path: Path, catalog_copy: Path
) -> None:
    saved = save(_app(tmp_path).test_client())
    later = _app(tmp_path, ADVISOR_CATALOG=str(_newer_catalog(catalog_copy))).test_client()

    document = _json_export(later.get(f"{saved['links']['export']}?format=json"))

    assert _totals(document) == _stored_totals(saved)
    assert (document["header"]["catalog_version"], document["header"]["catalog_as_of"]) == (
        saved["catalog"]["version"],
        saved["catalog"]["as_of"],
    )
    # Today's price book is a newer version: its bases and rates do not describe the stored prices.
    assert all("when the result was saved" in b["basis"] for b in document["price_bases"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=json&picks=single_server", "picks.0"),  # weighed, but not a stored recommendation
        ("format=json&picks=dag_only&picks=bogus", "picks.1"),
        ("format=docx", "format"),
        ("picks=dag_only", "format"),
        ("format=pdf&paper=B5", "paper"),
    ],
)
def test_a_bad_export_query_is_a_422_naming_the_parameter(
    client: FlaskClient, query: str, field: str
) -> None:
    saved = save(client)

    problem = problem_of(client.get(f"{saved['links']['export']}?{query}"), 422)

    assert field in problem["errors"]


def test_a_comparison_takes_each_design_from_its_own_stored_scenario(client: FlaskClient) -> None:
    tight = save(client, "tight", budget={"amount": 30000})
    roomy = save(client, "roomy", budget={"amount": 60000}, mailboxes=500)
    designs = [
        {"scenario": tight["id"], "architecture": "dag_cas_array_single_lb"},
        {"scenario": roomy["id"], "architecture": "dag_cas_array_lb_pair"},
        {"scenario": tight["id"], "architecture": "dedicated_cas_wnlb"},
    ]

    document = _json_export(
        client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "json"})
    )

    stored = {(s["id"], a): t for s in (tight, roomy) for a, t in _stored_totals(s)}
    assert _totals(document) == [
        (d["architecture"], stored[(d["scenario"], d["architecture"])]) for d in designs
    ]
    assert [d["label"] for d in document["designs"]] == ["Option A", "Option B", "Option C"]
    assert 'saved scenario "roomy"' in document["designs"][1]["source"]
    assert document["header"]["mailboxes"] == 300  # the first scenario's request heads the comparison
    assert QuoteDocumentSchema().validate(document) == {}
    (terms,) = [a for a in document["assumptions"] if a["topic"] == "Option B terms"]
    assert "500 mailboxes" in terms["value"] and "60,000.00 USD" in terms["value"]


def test_a_comparison_exports_as_a_workbook_with_a_sheet_per_design(client: FlaskClient) -> None:
    one, other = save(client, "one"), save(client, "other", budget={"amount": 45000})
    designs = [
        {"scenario": one["id"], "architecture": "dag_cas_array_single_lb"},
        {"scenario": other["id"], "architecture": "dag_cas_array_single_lb"},
    ]

    response = client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "xlsx"})

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert {"Summary", "Scenarios", "Assumptions"} <= set(book.sheetnames) and len(book.sheetnames) == 5


def test_a_comparison_csv_lists_each_designs_lines_from_its_scenario(client: FlaskClient) -> None:
    one, other = save(client, "one"), save(client, "other", budget={"amount": 60000}, mailboxes=500)
    designs = [
        {"scenario": one["id"], "architecture": "dag_cas_array_single_lb"},
        {"scenario": other["id"], "architecture": "dag_cas_array_single_lb"},
    ]

    response = client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    for label, scenario in zip(("Option A", "Option B"), (one, other), strict=True):
        stored = scenario["response"]["recommendations"][0]
        upfront = sum(float(r["upfront"]) for r in rows if r["design"].startswith(label))
        assert upfront == pytest.approx(stored["cost"]["upfront"])


def test_a_comparison_names_each_design_it_cannot_take(client: FlaskClient) -> None:
    saved = save(client)
    designs = [
        {"scenario": "AAAAAAAAAAAAAAAAAAAAAA", "architecture": "dag_only"},
        {"scenario": saved["id"], "architecture": "dag_cas_array_single_lb"},
    ]

    unknown = problem_of(
        client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "csv"}), 422
    )
    designs[0] = {"scenario": saved["id"], "architecture": "single_server"}
    unstored = problem_of(
        client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "csv"}), 422
    )
    designs[0] = designs[1]
    twice = problem_of(
        client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "csv"}), 422
    )
    alone = problem_of(
        client.post("/api/v1/scenarios/compare", json={"designs": designs[:1], "format": "csv"}), 422
    )

    assert list(unknown["errors"]) == ["designs.0.scenario"]
    assert list(unstored["errors"]) == ["designs.0.architecture"]
    assert list(twice["errors"]) == ["designs.1"]
    assert list(alone["errors"]) == ["designs"]


def test_designs_priced_in_different_currencies_cannot_be_compared(
    tmp_path: Path, catalog_copy: Path
) -> None:
    header = catalog_copy / "catalog.toml"
    header.write_text(header.read_text().replace('currency = "USD"', 'currency = "EUR"'))
    dollars = save(_app(tmp_path).test_client())
    client = _app(tmp_path, ADVISOR_CATALOG=str(catalog_copy)).test_client()
    euros = save(client, budget={"currency": "EUR"})
    designs = [
        {"scenario": dollars["id"], "architecture": "dag_cas_array_single_lb"},
        {"scenario": euros["id"], "architecture": "dag_cas_array_single_lb"},
    ]

    problem = problem_of(
        client.post("/api/v1/scenarios/compare", json={"designs": designs, "format": "json"}), 422
    )

    assert "priced in EUR" in problem["errors"]["designs.1"][0]


@pytest.fixture
def unreachable(tmp_path: Path) -> FlaskClient:
    """An app whose database went away after it started: nothing listens on port 1."""
    app = _app(tmp_path)
    app.extensions["scenarios"].store = ScenarioStore(
        make_engine("postgresql+psycopg://nobody@127.0.0.1:1/gone")
    )
    return app.test_client()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/scenarios", None),
        ("post", "/api/v1/scenarios", {"name": "x", "request": make_request()}),
        ("get", "/api/v1/scenarios/AAAAAAAAAAAAAAAAAAAAAA", None),
        ("patch", "/api/v1/scenarios/AAAAAAAAAAAAAAAAAAAAAA", {"notes": "x"}),
        ("delete", "/api/v1/scenarios/AAAAAAAAAAAAAAAAAAAAAA", None),
    ],
)
def test_an_unreachable_database_is_a_503_problem_that_says_nothing_of_its_internals(
    unreachable: FlaskClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = getattr(unreachable, method)(path, json=body)

    problem = problem_of(response, 503)
    assert problem["type"].endswith("#problem-storage-unavailable")
    assert response.headers["Retry-After"] == "5"
    assert "127.0.0.1" not in problem["detail"] and "nobody" not in problem["detail"]


def test_the_openapi_document_describes_the_scenario_responses(app: Flask) -> None:
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]

    created = paths["/api/v1/scenarios"]["post"]["responses"]["201"]
    exported = paths["/api/v1/scenarios/{scenario_id}/export"]["get"]["responses"]["200"]
    listing = paths["/api/v1/scenarios"]["get"]["responses"]

    assert created["headers"]["Location"]["required"] is True
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Scenario"}
    assert {"application/json", "text/csv", "application/pdf"} <= set(exported["content"])
    assert "Content-Disposition" in exported["headers"]
    assert {"200", "403", "422", "503"} <= set(listing)
    assert paths["/api/v1/scenarios/{scenario_id}"]["delete"]["responses"]["204"]
