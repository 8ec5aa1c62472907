"""Scenario use cases: save runs the request, re-pricing shows what a new price book changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.catalog.registry import CatalogRegistry
from advisor.domain import InvalidInput, SavedScenario, ScenarioNotFound
from advisor.scenarios import Scenarios, differences
from advisor.schemas import (
    ScenarioListSchema,
    ScenarioPatchSchema,
    load,
    parse_scenario,
    parse_stored_request,
)
from advisor.service import Advisor
from advisor.storage import ScenarioStore
from tests.conftest import dearer_windows_2008, make_request


@pytest.fixture
def scenarios(store: ScenarioStore, registry: CatalogRegistry) -> Scenarios:
    return Scenarios(Advisor(registry), store)


def save(scenarios: Scenarios, data: Any) -> SavedScenario:
    """A scenario's body, read at the edge as the API and the web form read it, then saved."""
    return scenarios.save(*parse_scenario(data))


def update(scenarios: Scenarios, scenario_id: str, data: Any) -> SavedScenario:
    changes = load(ScenarioPatchSchema(), data)
    return scenarios.update(scenario_id, changes.get("name"), changes.get("notes"))


def count(scenarios: Scenarios) -> int:
    return scenarios.list(**load(ScenarioListSchema(), {})).total


def test_saving_runs_the_request_and_keeps_its_result(scenarios: Scenarios) -> None:
    saved = save(scenarios, {"name": "Contoso", "request": make_request()})
    assert saved.result.recommendations[0].architecture == "dag_cas_array_single_lb"
    assert saved.catalog.id == "default"
    assert scenarios.get(saved.id).result == saved.result


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"request": make_request()}, "name"),
        ({"name": "", "request": make_request()}, "name"),
        ({"name": "   ", "request": make_request()}, "name"),
        ({"name": "x", "request": make_request(mailboxes=0)}, "request.mailboxes"),
        ({"name": "x", "request": make_request(), "colour": 1}, "colour"),
        ({"name": "x", "notes": "n" * 5001, "request": make_request()}, "notes"),
        ({"name": "x", "request": "budget 30000"}, "request"),
        # Control characters never reach the database (PostgreSQL cannot store a NUL).
        ({"name": "Contoso\u0000", "request": make_request()}, "name"),
        ({"name": "x", "notes": "sent\u0007", "request": make_request()}, "notes"),
        ({"name": "x", "request": make_request(project={"name": "Mail\u0000HA"})}, "request.project.name"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(
    scenarios: Scenarios, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        save(scenarios, data)
    assert field in [p.field for p in caught.value.problems]
    assert count(scenarios) == 0  # nothing half-stored


def test_a_patch_needs_a_name_or_notes_and_nothing_else(scenarios: Scenarios) -> None:
    saved = save(scenarios, {"name": "x", "request": make_request()})
    with pytest.raises(InvalidInput):
        update(scenarios, saved.id, {})
    with pytest.raises(InvalidInput) as caught:
        update(scenarios, saved.id, {"response": {}})
    assert caught.value.problems[0].field == "response"
    assert update(scenarios, saved.id, {"notes": "ok"}).notes == "ok"


def test_a_stored_result_does_not_change_when_the_catalog_changes_and_repricing_shows_it(
    store: ScenarioStore, registry: CatalogRegistry, catalog_copy: Path
) -> None:
    saved = save(Scenarios(Advisor(registry), store), {"name": "before", "request": make_request()})
    licences = catalog_copy / "licences.toml"
    licences.write_text(dearer_windows_2008(licences.read_text()))
    header = catalog_copy / "catalog.toml"
    header.write_text(header.read_text().replace('version = "2026.12.1"', 'version = "2027.01.1"'))
    newer = Scenarios(Advisor(CatalogRegistry(own=catalog_copy)), store)
    original = newer.get(saved.id)
    assert original.result == saved.result
    fresh, changes = newer.reprice(original, parse_stored_request(original.request))
    assert fresh.id != saved.id and fresh.repriced_from == saved.id
    assert fresh.catalog.version == "2027.01.1" and store.get(saved.id).catalog.version == "2026.12.1"
    assert changes.catalog.before.version == "2026.12.1"
    pair = next(a for a in changes.architectures if a.architecture == "dag_cas_array_lb_pair")
    assert pair.cost_change is not None and pair.cost_change.upfront_cents == 2 * 1000_00


def test_differences_of_a_response_with_itself_are_empty(advisor: Any) -> None:
    response = advisor.service.recommend(parse_stored_request(make_request()))
    changes = differences(response, response)
    assert all(
        a.cost_change is None
        or vars(a.cost_change) == {"upfront_cents": 0, "annual_cents": 0, "total_cents": 0}
        for a in changes.architectures
    )
    assert all(not a.design_changes for a in changes.architectures)
    assert not changes.anything


def test_notes_keep_their_line_breaks_and_tabs(scenarios: Scenarios) -> None:
    saved = save(scenarios, {"name": "x", "notes": "line one\n\tline two\r\n", "request": make_request()})
    assert scenarios.get(saved.id).notes == "line one\n\tline two\r\n"


def test_repricing_a_scenario_deleted_meanwhile_is_not_found_rather_than_a_crash(
    scenarios: Scenarios, store: ScenarioStore
) -> None:
    saved = save(scenarios, {"name": "x", "request": make_request()})
    store.delete(saved.id)
    with pytest.raises(ScenarioNotFound):
        store.add("x (re-priced)", "", dict(saved.request), saved.result, repriced_from=saved.id)
