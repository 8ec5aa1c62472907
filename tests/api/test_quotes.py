"""POST /api/v1/quotes through the test client: the comparison as a file, and problems naming the field."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from advisor.api.schemas import QuoteDocumentSchema
from advisor.exports import FORMATS
from advisor.service import Advisor
from tests.conftest import euros_on_a_wrong_pair, make_request

PROBLEM = "application/problem+json"
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "csv-summary": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PROJECT = {"name": "Mail HA refresh", "customer": "Contoso Ltd", "prepared_by": "A. Planner"}


def quote(client: FlaskClient, **body: Any) -> Any:
    return client.post("/api/v1/quotes", json={"request": make_request(project=PROJECT)} | body)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_quote_comes_back_as_an_attachment_in_every_format(client: FlaskClient, fmt: str) -> None:
    response = quote(client, format=fmt)

    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPES[fmt]
    name = r"contoso-ltd-mail-ha-refresh-quote(-summary)?-\d{4}-\d\d-\d\d\.(json|csv|xlsx|pdf)"
    assert re.fullmatch(f'attachment; filename="{name}"', response.headers["Content-Disposition"])
    assert int(response.headers["Content-Length"]) == len(response.data) > 0


def test_the_json_quote_holds_every_recommendation_with_the_responses_totals(
    client: FlaskClient, advisor: Advisor
) -> None:
    request = make_request(project=PROJECT)

    document = json.loads(client.post("/api/v1/quotes", json={"request": request, "format": "json"}).data)

    expected = advisor.recommend(request)["recommendations"]
    assert [(d["architecture"], d["total"]) for d in document["designs"]] == [
        (r["architecture"], r["cost"]["total"]) for r in expected
    ]
    assert document["header"]["customer"] == "Contoso Ltd"


def test_picks_choose_the_designs_and_their_order_and_may_add_a_weighed_one(client: FlaskClient) -> None:
    picks = ["dedicated_cas_wnlb", "dag_only", "dag_cas_array_single_lb"]

    document = json.loads(quote(client, format="json", picks=picks).data)

    assert [d["architecture"] for d in document["designs"]] == picks
    assert document["designs"][1]["source"].startswith("picked")


def test_the_xlsx_quote_reads_back_with_a_summary_and_a_sheet_per_design(client: FlaskClient) -> None:
    response = quote(client, format="xlsx", picks=["dag_cas_array_single_lb", "dag_cas_array_lb_pair"])

    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 6
    assert book.sheetnames[3] == "Frontier"


def test_the_csv_quote_lines_add_up_to_each_designs_upfront(client: FlaskClient, advisor: Advisor) -> None:
    response = quote(client, format="csv")

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    for design in advisor.recommend(make_request(project=PROJECT))["recommendations"]:
        upfront = sum(float(r["upfront"]) for r in rows if r["architecture"] == design["architecture"])
        assert upfront == pytest.approx(design["cost"]["upfront"])


@pytest.mark.parametrize(("paper", "size"), [("A4", (842, 595)), ("Letter", (792, 612))])
def test_the_pdf_quote_is_printed_on_the_paper_asked_for(
    client: FlaskClient, paper: str, size: tuple[int, int]
) -> None:
    response = quote(client, format="pdf", paper=paper)

    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "docx"}, "format"),
        ({}, "format"),
        ({"format": "pdf", "paper": "B5"}, "paper"),
        ({"format": "csv", "picks": ["bogus"]}, "picks.0"),
        ({"format": "csv", "picks": []}, "picks"),
        ({"format": "csv", "colour": "red"}, "colour"),
        ({"format": "csv", "request": make_request(mailboxes=0)}, "request.mailboxes"),
        ({"format": "csv", "request": make_request(budget={"currency": "EUR"})}, "request.budget.currency"),
        ({"format": "csv", "request": make_request(catalog="nope")}, "request.catalog"),
        ({"format": "csv", "request": None}, "request"),
    ],
)
def test_a_bad_quote_is_a_422_naming_the_field(client: FlaskClient, body: dict[str, Any], field: str) -> None:
    response = quote(client, **body)

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert field in response.get_json()["errors"]


def test_a_quote_in_another_currency_on_a_wrong_pair_names_both_with_its_other_problems(
    client: FlaskClient,
) -> None:
    response = quote(client, format="docx", request=euros_on_a_wrong_pair())

    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == [
        "format",
        "request.budget.currency",
        "request.exchange.version",
        "request.windows.version",
    ]


def test_a_pick_with_no_design_to_compare_is_a_422_naming_that_pick(client: FlaskClient) -> None:
    request = make_request(windows={"version": "2008R2", "edition": "standard"})

    response = client.post(
        "/api/v1/quotes",
        json={"request": request, "format": "csv", "picks": ["single_server", "dag_cas_array_single_lb"]},
    )

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["picks.1"]


def test_nothing_recommended_and_no_picks_is_a_422_saying_what_the_cheapest_design_costs(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/api/v1/quotes", json={"request": make_request(budget={"amount": 100}), "format": "csv"}
    )

    assert response.status_code == 422
    assert "costs" in response.get_json()["errors"]["picks"][0]


@pytest.mark.parametrize("fmt", ["csv", "csv-summary"])
def test_hostile_names_give_a_plain_filename_and_no_spreadsheet_formula(
    client: FlaskClient, fmt: str
) -> None:
    hostile = {
        "name": '=HYPERLINK("http://x")',
        "customer": '../../etc/"passwd"\r\n',
        "prepared_by": "@SUM(A1)",
    }

    response = client.post("/api/v1/quotes", json={"request": make_request(project=hostile), "format": fmt})

    filename = re.fullmatch(r'attachment; filename="([^"]+)"', response.headers["Content-Disposition"])
    assert filename and re.fullmatch(r"[a-z0-9.-]+", filename.group(1))
    cells = [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells if not _number(cell))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("data", "content_type", "status"), [("{}", "text/plain", 415), ("{", "application/json", 400)]
)
def test_a_quote_body_must_be_a_json_object(
    client: FlaskClient, data: str, content_type: str, status: int
) -> None:
    response = client.post("/api/v1/quotes", data=data, content_type=content_type)

    assert response.status_code == status
    assert response.content_type == PROBLEM


def test_the_openapi_document_lists_every_file_the_quote_answers(client: FlaskClient) -> None:
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/quotes"]["post"]

    ok = operation["responses"]["200"]
    assert {t.split(";")[0] for t in MEDIA_TYPES.values()} == set(ok["content"])
    assert ok["headers"]["Content-Disposition"]["required"] is True
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/QuoteOrder"
    }
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert client.post("/api/v1/quotes", json=example).status_code == 200


def test_the_json_quote_is_what_the_document_describes(client: FlaskClient) -> None:
    document = json.loads(quote(client, format="json", picks=["dag_only", "dag_cas_array_single_lb"]).data)

    assert QuoteDocumentSchema().validate(document) == {}
