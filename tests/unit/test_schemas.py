"""Request validation: defaults, and an error naming the field for every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.domain import FieldProblem, InvalidInput
from advisor.schemas import parse_analysis, parse_request, with_catalog_problems
from tests.conftest import make_request


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_request(data)
    return {p.field: p.message for p in caught.value.problems}


def test_only_the_budget_amount_and_goals_are_required() -> None:
    request = parse_request({"budget": {"amount": 1000}, "goals": []})
    assert request.budget.amount_cents == 100000
    assert request.budget.currency == "USD" and request.budget.applies_to == "upfront"
    assert request.platform.exchange_version == "2010"
    assert request.platform.windows_version == "2008R2"
    assert request.mailboxes == 300 and request.databases == 4 and request.horizon_years == 3
    assert request.environment.domain_controllers == 2
    assert request.objective == "min_cost" and request.alternatives == 3
    assert request.catalog == "default" and request.project is None


def test_a_missing_budget_and_goals_are_both_named() -> None:
    found = problems({})
    assert "budget" in found and "goals" in found


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (make_request(surprise=1), "surprise"),
        (make_request(budget={"amount": "30000"}), "budget.amount"),
        (make_request(budget={"amount": -1}), "budget.amount"),
        (make_request(budget={"amount": True}), "budget.amount"),
        (make_request(budget={"currency": "dollars"}), "budget.currency"),
        (make_request(budget={"applies_to": "monthly"}), "budget.applies_to"),
        (make_request(horizon_years=0), "horizon_years"),
        (make_request(horizon_years=2.5), "horizon_years"),
        (make_request(mailboxes="300"), "mailboxes"),
        (make_request(mailboxes=0), "mailboxes"),
        (make_request(databases=10_000), "databases"),
        (make_request(exchange={"version": "2003"}), "exchange.version"),
        (make_request(windows={"edition": "home"}), "windows.edition"),
        (make_request(environment={"witness_host": "cloud"}), "environment.witness_host"),
        (make_request(environment={"sites": 2}), "environment.sites"),
        (make_request(environment={"colour": "blue"}), "environment.colour"),
        (make_request(goals=[{"failure": "meteor", "services": ["outlook"]}]), "goals.0.failure"),
        (make_request(goals=[{"failure": "server", "services": ["fax"]}]), "goals.0.services.0"),
        (make_request(goals=[{"failure": "server", "services": []}]), "goals.0.services"),
        (make_request(goals=[{"failure": "server", "services": ["owa"], "weight": -2}]), "goals.0.weight"),
        (make_request(objective="cheapest"), "objective"),
        (make_request(alternatives=0), "alternatives"),
        (make_request(catalog="../etc"), "catalog"),
        (make_request(project={"name": "x" * 201}), "project.name"),
    ],
)
def test_bad_input_is_rejected_with_an_error_naming_the_field(data: Any, field: str) -> None:
    found = problems(data)
    assert field in found, found
    assert found[field]


def test_a_body_that_is_not_an_object_is_rejected() -> None:
    assert "(body)" in problems([1, 2, 3])


def test_an_unknown_field_is_called_unknown() -> None:
    assert problems(make_request(surprise=1))["surprise"] == "unknown field"


def test_duplicate_services_in_a_goal_count_once() -> None:
    request = parse_request(
        make_request(goals=[{"failure": "server", "services": ["owa", "owa"], "priority": "required"}])
    )
    assert request.goals[0].services == ("owa",)


def test_a_required_goal_wins_over_a_preferred_one_on_the_same_pair() -> None:
    request = parse_request(
        make_request(
            goals=[
                {"failure": "server", "services": ["owa"], "priority": "preferred", "weight": 3},
                {"failure": "server", "services": ["owa"], "priority": "required"},
            ]
        )
    )
    assert request.goal_pairs()[("server", "owa")].priority == "required"


def test_an_analysis_needs_an_architecture_and_rejects_unknown_design_fields() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_analysis({"design": {"turbo": True}})
    fields = {p.field for p in caught.value.problems}
    assert {"architecture", "design.turbo"} <= fields


def test_an_analysis_rejects_a_string_where_a_boolean_belongs() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_analysis({"architecture": "dag_only", "design": {"dag": "yes"}})
    assert [p.field for p in caught.value.problems] == ["design.dag"]


def test_text_fields_refuse_a_lone_surrogate_even_when_called_directly() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_request(make_request(project={"prepared_by": "A. \udc00"}))
    assert [p.field for p in caught.value.problems] == ["project.prepared_by"]


class _Recorder:
    """A catalog check that records what it is asked and names nothing."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None, str | None, str | None]] = []

    def __call__(
        self, catalog: str, exchange: str | None, windows: str | None, currency: str | None
    ) -> list[FieldProblem]:
        self.asked.append((catalog, exchange, windows, currency))
        return [FieldProblem("budget.currency", "checked")] if currency else []


@pytest.mark.parametrize(
    ("budget", "named", "asked"),
    [
        (None, [], None),  # no budget (an analysis): no currency to check
        ({"amount": 1}, [], "USD"),  # the schema's default currency
        ({"amount": 1, "currency": "EUR"}, [], "EUR"),
        ({"amount": 1, "currency": "eur"}, ["budget.currency"], None),  # the schema names it
        ({"amount": 1, "currency": 5}, [], None),
        ({"amount": -1, "currency": "EUR"}, ["budget.amount"], "EUR"),
    ],
)
def test_the_catalog_is_asked_about_a_budgets_currency_only_when_the_body_gives_a_valid_one(
    budget: dict[str, Any] | None, named: list[str], asked: str | None
) -> None:
    body = {k: v for k, v in make_request(budget=budget).items() if budget is not None or k != "budget"}
    check = _Recorder()
    problems = [FieldProblem(field, "schema") for field in named]
    found = with_catalog_problems(problems, body, check)
    assert [currency for *_, currency in check.asked] == [asked]
    assert [p.field for p in found] == named + (["budget.currency"] if asked else [])


def test_a_request_under_a_field_is_checked_there_and_its_problems_are_named_under_it() -> None:
    check = _Recorder()
    body = {"name": "x", "request": make_request(budget={"currency": "EUR"})}
    found = with_catalog_problems([FieldProblem("name", "schema")], body, check, under="request")
    assert [p.field for p in found] == ["name", "request.budget.currency"]
    assert check.asked == [("default", "2010", "2008R2", "EUR")]

    check = _Recorder()
    named = [FieldProblem("request.budget.currency", "schema")]
    assert with_catalog_problems(named, body, check, under="request") == named
    assert check.asked == [("default", "2010", "2008R2", None)]

    check = _Recorder()
    whole = [FieldProblem("request", "not an object")]
    assert with_catalog_problems(whole, {"request": [1]}, check, under="request") == whole
    assert check.asked == []
