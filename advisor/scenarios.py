"""Saved-scenario use cases with no HTTP: save, read, rename, delete, re-price and compare."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from advisor.domain import ARCHITECTURES, FieldProblem, InvalidInput, SavedScenario
from advisor.fields import Text
from advisor.schemas import load
from advisor.service import Advisor
from advisor.storage import ScenarioPage, ScenarioStore

MAX_PAGE = 100
NAME_MAX = 200
NOTES_MAX = 5000


_NAMED = validate.Length(min=1, max=NAME_MAX)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ScenarioCreateSchema(_Strict):
    name = Text(required=True, blank=False, validate=_NAMED)
    notes = Text(load_default="", validate=validate.Length(max=NOTES_MAX))
    request = fields.Dict(required=True)


class ScenarioPatchSchema(_Strict):
    name = Text(blank=False, validate=_NAMED)
    notes = Text(validate=validate.Length(max=NOTES_MAX))


class ScenarioListSchema(_Strict):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    name = Text(load_default=None, validate=validate.Length(max=NAME_MAX))


def _prefixed(err: InvalidInput, prefix: str) -> InvalidInput:
    return InvalidInput(
        [
            FieldProblem(f"{prefix}.{p.field}" if p.field != "(body)" else prefix, p.message)
            for p in err.problems
        ]
    )


class Scenarios:
    """Saved scenarios over an advisor (to run requests) and a store (to keep them)."""

    def __init__(self, advisor: Advisor, store: ScenarioStore):
        self.advisor = advisor
        self.store = store

    def save(self, data: Any) -> SavedScenario:
        """Run the request now and keep it with its result and the catalog it was priced from."""
        loaded = load(ScenarioCreateSchema(), data)
        try:
            response = self.advisor.recommend(loaded["request"])
        except InvalidInput as err:
            raise _prefixed(err, "request") from None
        return self.store.add(loaded["name"], loaded["notes"], loaded["request"], response)

    def get(self, scenario_id: str) -> SavedScenario:
        return self.store.get(scenario_id)

    def list(self, query: Any) -> ScenarioPage:
        loaded = load(ScenarioListSchema(), query)
        return self.store.list(loaded["limit"], loaded["offset"], loaded["name"])

    def update(self, scenario_id: str, data: Any) -> SavedScenario:
        loaded = load(ScenarioPatchSchema(), data)
        if not loaded:
            raise InvalidInput(
                [FieldProblem("(body)", "give a new name or notes; a stored result never changes")]
            )
        return self.store.update(scenario_id, loaded.get("name"), loaded.get("notes"))

    def delete(self, scenario_id: str) -> None:
        self.store.delete(scenario_id)

    def reprice(self, scenario_id: str) -> tuple[SavedScenario, dict[str, Any]]:
        """A new scenario from the same request against the current catalog, and what changed."""
        original = self.store.get(scenario_id)
        response = self.advisor.recommend(original.request)
        name = f"{original.name} (re-priced {date.today().isoformat()})"[:NAME_MAX]
        fresh = self.store.add(name, original.notes, original.request, response, repriced_from=original.id)
        return fresh, differences(original.response, response)


def _by_architecture(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {w["architecture"]: w for w in response.get("weighed", [])}


def _money_delta(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, float] | None:
    if not before or not after:
        return None
    return {k: round(after[k] - before[k], 2) for k in ("upfront", "annual", "total")}


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What re-pricing changed: catalog, ranking, each architecture's status, cost and design."""
    old, new = _by_architecture(before), _by_architecture(after)
    architectures = []
    for name in ARCHITECTURES:
        b, a = old.get(name), new.get(name)
        if b is None or a is None:
            continue
        design_changes = {
            key: {"before": (b.get("design") or {}).get(key), "after": (a.get("design") or {}).get(key)}
            for key in sorted(set(b.get("design") or {}) | set(a.get("design") or {}))
            if (b.get("design") or {}).get(key) != (a.get("design") or {}).get(key)
        }
        architectures.append(
            {
                "architecture": name,
                "status": {"before": b["status"], "after": a["status"]},
                "cost_before": b.get("cost"),
                "cost_after": a.get("cost"),
                "cost_change": _money_delta(b.get("cost"), a.get("cost")),
                "design_changes": design_changes,
            }
        )
    return {
        "catalog": {"before": before.get("catalog"), "after": after.get("catalog")},
        "ranking": {
            "before": [r["architecture"] for r in before.get("recommendations", [])],
            "after": [r["architecture"] for r in after.get("recommendations", [])],
        },
        "minimum_budget": {"before": before.get("minimum_budget"), "after": after.get("minimum_budget")},
        "architectures": architectures,
    }
