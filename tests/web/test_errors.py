"""Invalid input: the message beside the right field with everything typed kept; broken links are friendly."""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import pytest
from flask.testing import FlaskClient

from advisor.domain import FieldProblem, SolverFailed
from advisor.web import codec
from advisor.web.forms import GoalRow, control_for
from tests.web.conftest import build_app, post_form


def error_beside(page: str, control_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{control_id}-error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {control_id}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_bad_budget_is_named_beside_the_budget_with_everything_typed_kept(client: FlaskClient) -> None:
    response = post_form(
        client, **{"budget.amount": "-5", "project.name": "Keep me", "goal.witness.owa": "preferred"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Must be between 0 and 100,000,000" in error_beside(page, "f-budget-amount")
    assert 'name="budget.amount" value="-5"' in page
    assert 'aria-invalid="true"' in page
    assert 'name="project.name" value="Keep me"' in page
    witness_owa = re.search(r'name="goal\.witness\.owa".*?</select>', page, re.S)
    assert witness_owa and '<option value="preferred" selected>' in witness_owa.group(0)
    assert '<a href="#f-budget-amount">Budget — ' in page
    assert "<title>Error:" in page


def test_text_that_is_not_a_number_is_kept_as_typed(client: FlaskClient) -> None:
    page = post_form(client, **{"budget.amount": "about 30k", "mailboxes": "three hundred"}).get_data(
        as_text=True
    )
    assert 'value="about 30k"' in page and 'value="three hundred"' in page
    assert "an amount such as 30000" in error_beside(page, "f-budget-amount")
    assert "whole number" in error_beside(page, "f-mailboxes")


def test_an_empty_budget_asks_for_one(client: FlaskClient) -> None:
    page = post_form(client, **{"budget.amount": ""}).get_data(as_text=True)
    assert "Enter the budget" in error_beside(page, "f-budget-amount")


def test_a_goal_weight_out_of_range_is_named_beside_that_rows_weight(client: FlaskClient) -> None:
    page = post_form(client, **{"weight.load_balancer": "5000"}).get_data(as_text=True)
    assert "between 0 and 1,000" in error_beside(page, "f-weight-load-balancer")


def test_a_currency_the_catalog_does_not_price_in_is_named_beside_the_currency(client: FlaskClient) -> None:
    page = post_form(client, **{"budget.currency": "eur"}).get_data(as_text=True)
    assert "prices in USD, not EUR" in error_beside(page, "f-budget-currency")
    assert 'name="budget.currency" value="eur"' in page


def test_an_unknown_catalog_is_named_beside_the_catalog(client: FlaskClient) -> None:
    page = post_form(client, catalog="nope").get_data(as_text=True)
    assert "Unknown catalog" in error_beside(page, "f-catalog")
    assert '<option value="nope" selected>' in page


@pytest.mark.parametrize(
    ("path", "control"),
    [
        ("budget.amount", "budget.amount"),
        ("environment.sites", "environment.sites"),
        ("budget", "budget.amount"),
        ("goals.1.weight", "weight.load_balancer"),
        ("goals.0.services.1", "goal.server.owa"),
        ("goals.0.priority", "goals"),
        ("goals", "goals"),
        ("goals.9.weight", "goals"),
        ("(body)", ""),
    ],
)
def test_engine_field_paths_map_to_the_form_control_that_shows_them(path: str, control: str) -> None:
    rows = [GoalRow("server", ("outlook", "owa")), GoalRow("load_balancer", ("outlook",))]
    assert control_for(path, rows) == control


def test_a_tampered_result_url_is_a_friendly_400_page(client: FlaskClient) -> None:
    for token in ("", "not-a-request", "A" * 9000, codec.encode({"x": 1})[:-6]):
        response = client.get("/result", query_string={"r": token})
        assert response.status_code == 400, token[:20]
        assert response.mimetype == "text/html"
        assert "This result link cannot be read" in response.get_data(as_text=True)


def test_a_link_to_a_request_that_breaks_the_contract_re_shows_the_form_with_the_problem(
    client: FlaskClient,
) -> None:
    token = codec.encode({"budget": {"amount": -1}, "goals": [], "mailboxes": 12})
    response = client.get("/result", query_string={"r": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Must be between 0 and 100,000,000" in error_beside(page, "f-budget-amount")
    assert 'name="mailboxes" value="12"' in page


def test_a_link_that_is_not_a_request_object_is_refused() -> None:
    with pytest.raises(codec.BadToken):
        codec.decode(codec.encode([1, 2]))  # type: ignore[arg-type]


class SolverThatTimesOut:
    def __init__(self, real: Any):
        self.catalogs = real.catalogs

    def catalog_for(self, request: Any) -> Any:
        return self.catalogs.get(request.catalog)

    def recommend(self, data: Any) -> dict[str, Any]:
        raise SolverFailed("the solver reached its 5 s time limit before proving the best design")


class AdvisorWithABug(SolverThatTimesOut):
    def recommend(self, data: Any) -> dict[str, Any]:
        raise KeyError("secret internal detail")


def test_a_solver_time_out_is_a_503_page_that_says_to_try_again() -> None:
    app = build_app()
    app.extensions["advisor"] = SolverThatTimesOut(app.extensions["advisor"])
    response = app.test_client().get(
        "/result", query_string={"r": codec.encode({"budget": {"amount": 1}, "goals": []})}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "try again" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_page_that_hides_the_detail(caplog: pytest.LogCaptureFixture) -> None:
    app = build_app()
    app.extensions["advisor"] = AdvisorWithABug(app.extensions["advisor"])
    response = app.test_client().get(
        "/result", query_string={"r": codec.encode({"budget": {"amount": 1}, "goals": []})}
    )
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert any("unhandled error" in r.message for r in caplog.records)


def test_problems_found_reading_the_form_come_before_the_schemas_for_the_same_field() -> None:
    from advisor.web.forms import merge_problems

    mine = [FieldProblem("budget.amount", "must be an amount such as 30000")]
    theirs = [
        FieldProblem("budget.amount", "Missing data for required field."),
        FieldProblem("mailboxes", "x"),
    ]
    assert merge_problems(mine, theirs) == [mine[0], theirs[1]]


def test_a_link_inflating_to_deeply_nested_brackets_is_a_400_not_a_crash(client: FlaskClient) -> None:
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = squeezer.compress(b"[" * 60_000) + squeezer.flush()
    token = base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    assert len(token) <= codec.MAX_TOKEN
    response = client.get(f"/result?r={token}")
    assert response.status_code == 400
    assert "cannot be read" in response.get_data(as_text=True)


def escaped_token(request: dict[str, Any]) -> str:
    """A result link made as codec.encode does, but with JSON escapes (as a hand-made link may have)."""
    import json

    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = squeezer.compress(json.dumps(request).encode("ascii")) + squeezer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


LONE_SURROGATE_LINK = {"budget": {"amount": 30000}, "goals": [], "project": {"name": "Mail \ud800"}}


@pytest.mark.parametrize("path", ["/result", "/scenarios/new", "/result/diagram-1.svg", "/result/export"])
def test_a_link_whose_request_holds_a_lone_surrogate_is_a_400_page_naming_the_field(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path, query_string={"r": escaped_token(LONE_SURROGATE_LINK)})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "project.name" in page and "surrogate" in page


def test_the_form_opened_from_a_link_with_a_lone_surrogate_says_which_field_it_could_not_use(
    client: FlaskClient,
) -> None:
    response = client.get("/", query_string={"r": escaped_token(LONE_SURROGATE_LINK)})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "That link could not be used" in page and "project.name" in page


def test_saving_a_result_whose_link_holds_a_lone_surrogate_is_a_400_page(client: FlaskClient) -> None:
    app_client = build_app(WTF_CSRF_ENABLED=False).test_client()
    form = {"r": escaped_token(LONE_SURROGATE_LINK), "name": "x"}

    response = app_client.post("/scenarios", data=form)

    assert response.status_code == 400
    assert "project.name" in response.get_data(as_text=True)
