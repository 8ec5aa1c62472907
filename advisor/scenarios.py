"""Saved-scenario use cases with no HTTP: save, read, rename, delete, re-price and compare.

They take domain values (the edges parse the bodies with advisor.schemas) and answer typed
results; the store keeps the request's document as it was sent and the result as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from advisor.domain import (
    DESIGN_FIELDS,
    ArchitectureChange,
    Change,
    Design,
    Differences,
    FieldProblem,
    IdempotencyKey,
    InvalidInput,
    MoneyChange,
    Recommendations,
    Request,
    SavedScenario,
)
from advisor.service import Advisor

if TYPE_CHECKING:  # the store is given: any object with its methods serves
    from advisor.storage import ScenarioPage, ScenarioStore

NAME_MAX = 200  # the longest name a scenario takes (a re-priced one is cut to it)


class Scenarios:
    """Saved scenarios over an advisor (to run requests) and a store (to keep them)."""

    def __init__(self, advisor: Advisor, store: ScenarioStore):
        self.advisor = advisor
        self.store = store

    def save(
        self,
        name: str,
        notes: str,
        request: Request,
        document: Mapping[str, Any],
        owner: int | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> SavedScenario:
        """Run the request now and keep it (its document as sent) with its result and the
        catalog it was priced from, for `owner` (None: without accounts). Problems with the
        request name `request.<field>`. With an idempotency key already used with this body,
        the scenario saved then (nothing is solved again); with another body, IdempotencyConflict."""
        if idempotency is not None:
            earlier = self.store.replayed(idempotency)
            if earlier is not None:
                return earlier
        try:
            result = self.advisor.recommend(request)
        except InvalidInput as err:
            raise err.within("request") from None
        # Two saves under one key at once both solve; the store answers both with the first to commit.
        return self.store.add(name, notes, dict(document), result, owner=owner, idempotency=idempotency)

    def get(self, scenario_id: str, owner: int | None = None) -> SavedScenario:
        """A saved scenario; with `owner` (accounts on), only one that account saved."""
        return self.store.get(scenario_id, owner)

    def shared(self, share_token: str) -> SavedScenario:
        """The scenario a read-only share link names, whoever saved it."""
        return self.store.shared(share_token)

    def list(
        self, limit: int = 20, offset: int = 0, name: str | None = None, owner: int | None = None
    ) -> ScenarioPage:
        return self.store.list(limit, offset, name, owner)

    def update(
        self, scenario_id: str, name: str | None = None, notes: str | None = None, owner: int | None = None
    ) -> SavedScenario:
        if name is None and notes is None:
            raise InvalidInput(
                [FieldProblem("(body)", "give a new name or notes; a stored result never changes")]
            )
        return self.store.update(scenario_id, name, notes, owner)

    def delete(self, scenario_id: str, owner: int | None = None) -> None:
        self.store.delete(scenario_id, owner)

    def reprice(self, original: SavedScenario, request: Request) -> tuple[SavedScenario, Differences]:
        """A new scenario from the original's request (given parsed) against the current
        catalog, and what changed; it belongs to the original's owner."""
        result = self.advisor.recommend(request)
        return self._keep(original, result), differences(original.result, result)

    def reprice_if_changed(
        self, original: SavedScenario, request: Request
    ) -> tuple[SavedScenario | None, Differences]:
        """As `reprice`, but keeps nothing (None) when re-pricing changed no figure, status,
        design or ranking: a second copy of the same answer helps no one."""
        result = self.advisor.recommend(request)
        changes = differences(original.result, result)
        return (self._keep(original, result) if changes.anything else None), changes

    def _keep(self, original: SavedScenario, result: Recommendations) -> SavedScenario:
        name = f"{original.name} (re-priced {date.today().isoformat()})"[:NAME_MAX]
        return self.store.add(
            name,
            original.notes,
            dict(original.request),
            result,
            repriced_from=original.id,
            owner=original.owner_id,
        )


def _money_delta(before: Any, after: Any) -> MoneyChange | None:
    if before is None or after is None:
        return None
    return MoneyChange(
        after.upfront_cents - before.upfront_cents,
        after.annual_cents - before.annual_cents,
        after.total_cents - before.total_cents,
    )


# A design's fields as the contract names them (a stored design is read back through the
# contract, so fields of the domain type the contract does not carry, such as the copy layout,
# are no change).
_DESIGN_FIELDS = tuple(sorted(DESIGN_FIELDS))


def _design_changes(before: Design | None, after: Design | None) -> dict[str, Change]:
    changes = {}
    for name in _DESIGN_FIELDS:
        b = getattr(before, name) if before is not None else None
        a = getattr(after, name) if after is not None else None
        if b != a:
            changes[name] = Change(b, a)
    return changes


def differences(before: Recommendations, after: Recommendations) -> Differences:
    """What re-pricing changed: catalog, ranking, each architecture's status, cost and design."""
    old, new = before.weighed_by_name(), after.weighed_by_name()
    changes = []
    for name, a in new.items():
        b = old.get(name)
        if b is None:
            continue
        changes.append(
            ArchitectureChange(
                architecture=name,
                status=Change(b.status, a.status),
                cost_before=b.cost,
                cost_after=a.cost,
                cost_change=_money_delta(b.cost, a.cost),
                design_changes=_design_changes(b.design, a.design),
            )
        )
    return Differences(
        catalog=Change(before.catalog, after.catalog),
        ranking=Change(
            tuple(r.architecture for r in before.recommendations),
            tuple(r.architecture for r in after.recommendations),
        ),
        minimum_budget=Change(before.minimum_budget, after.minimum_budget),
        architectures=tuple(changes),
    )
