"""Build a comparison from typed results: pick the designs, read the request's header."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date

from advisor.domain import (
    DesignReport,
    FieldProblem,
    InvalidInput,
    Recommendations,
    Request,
    format_money,
)
from advisor.exports.frontier import frontier_rows
from advisor.exports.model import (
    Assumption,
    Comparison,
    DesignColumn,
    GoalAsked,
    GoalResult,
    Header,
    LineItem,
    PriceBasis,
    PriceBook,
    Scenario,
    SinglePoint,
)

PICKABLE = ("recommended", "feasible", "over_budget", "misses_required_goal")


def _header(request: Request, result: Recommendations, catalog: PriceBook, today: date) -> Header:
    named = result.catalog
    project = request.project
    p = request.platform
    return Header(
        project=project.name if project else "",
        customer=project.customer if project else "",
        prepared_by=project.prepared_by if project else "",
        date=today.isoformat(),
        catalog_id=named.id,
        catalog_version=named.version,
        catalog_as_of=named.as_of,
        catalog_title=catalog.title,
        currency=named.currency,
        budget_cents=request.budget.amount_cents,
        budget_applies_to=request.budget.applies_to,
        horizon_years=request.horizon_years,
        exchange=_edition_text("Exchange", p.exchange_version, p.exchange_edition),
        windows=_edition_text("Windows Server", p.windows_version, p.windows_edition),
        mailboxes=request.mailboxes,
        databases=request.databases,
        environment=asdict(request.environment),
        goals=tuple(GoalAsked(g.failure, g.services, g.priority, g.weight) for g in request.goals),
    )


def _edition_text(product: str, version: str, edition: str) -> str:
    chosen = "any edition (the advisor chooses)" if edition == "any" else f"{edition} edition"
    return f"{product} {version}, {chosen}"


def _column(
    label: str, report: DesignReport, source: str, catalog: PriceBook, reasons: Sequence[str]
) -> DesignColumn:
    cost = report.cost
    budget = cost.budget
    return DesignColumn(
        label=label,
        architecture=report.architecture,
        title=report.title,
        source=source,
        design=report.design,
        lines=tuple(
            LineItem(
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                unit_annual_cents=line.unit_annual_cents,
                upfront_cents=line.upfront_cents,
                annual_cents=line.annual_cents,
                basis=_basis(catalog, line.sku),
            )
            for line in report.bill_of_materials
        ),
        upfront_cents=cost.upfront_cents,
        annual_cents=cost.annual_cents,
        total_cents=cost.total_cents,
        horizon_years=cost.horizon_years,
        within_budget=cost.within_budget,
        budget_left_cents=cost.budget_left_cents,
        budget_cents=budget.amount_cents if budget else None,
        budget_applies_to=budget.applies_to if budget else None,
        goals=tuple(
            GoalResult(g.failure, g.service, g.priority, g.met, g.worst_outcome, g.explanation or "")
            for g in report.goals
        ),
        single_points_of_failure=tuple(
            SinglePoint(s.component, s.kind, s.services, s.explanation)
            for s in report.single_points_of_failure
        ),
        failure_scenarios=tuple(
            Scenario(
                s.component,
                s.kind,
                s.description,
                dict(s.outcomes),
                s.explanation,
                dict(s.load) if s.load is not None else None,
            )
            for s in report.failure_scenarios
        ),
        notes=report.notes,
        reasons=tuple(reasons),
        servers=report.servers,
        copy_layout=report.copy_layout,
        lifecycle=report.lifecycle,
        availability=report.availability,
        compared_with_first=getattr(report, "compared_with_first", None) or "",
    )


def _basis(catalog: PriceBook, sku: str) -> str:
    try:
        return catalog.item(sku).basis
    except KeyError:
        return "not in the price book"


def option_label(index: int) -> str:
    """The column name of the index-th design: Option A, Option B, ..."""
    return f"Option {chr(ord('A') + index)}" if index < 26 else f"Option {index + 1}"


def chosen_picks(result: Recommendations, picks: Sequence[str] | None) -> list[str]:
    """The architectures to compare: the recommendations by default, or the picks (each a
    recommendation or a weighed architecture with a design); InvalidInput names `picks`."""
    recommended = [r.architecture for r in result.recommendations]
    if picks is None:
        if not recommended:
            raise InvalidInput([FieldProblem("picks", _nothing_recommended(result))])
        return recommended
    weighed = result.weighed_by_name()
    problems = []
    for i, name in enumerate(picks):
        entry = weighed.get(name)
        if entry is None:
            problems.append(
                FieldProblem(f"picks.{i}", f"unknown architecture {name!r}; known: {', '.join(weighed)}")
            )
        elif name not in recommended and (entry.status not in PICKABLE or entry.design is None):
            problems.append(
                FieldProblem(
                    f"picks.{i}",
                    f"{name} has no design to compare ({entry.status}): {'; '.join(entry.reasons)}",
                )
            )
    if not picks:
        problems.append(FieldProblem("picks", "pick at least one architecture"))
    if problems:
        raise InvalidInput(problems)
    return list(dict.fromkeys(picks))


def _nothing_recommended(result: Recommendations) -> str:
    minimum = result.minimum_budget
    pickable = [w.architecture for w in result.weighed if w.status in PICKABLE and w.design is not None]
    text = "nothing is recommended within this budget"
    if minimum:
        cost = format_money(minimum.amount_cents, minimum.currency)
        text += f" (the cheapest design meeting the required goals, {minimum.architecture}, costs {cost})"
    return text + (f"; pick architectures to compare: {', '.join(pickable)}" if pickable else "")


def build_comparison(
    request: Request,
    result: Recommendations,
    catalog: PriceBook,
    picks: Sequence[str] | None = None,
    priced: Mapping[str, DesignReport] | None = None,
    today: date | None = None,
) -> Comparison:
    """The comparison of a result's designs.

    By default every recommendation; `picks` (architecture names, in the order wanted)
    choose among the recommendations and may add the best design of any weighed
    architecture that has one, priced by `analyze` and passed in `priced` by architecture.
    Raises InvalidInput naming `picks` when a pick cannot be compared.
    """
    header = _header(request, result, catalog, today or date.today())
    weighed = result.weighed_by_name()
    columns = []
    for index, name in enumerate(chosen_picks(result, picks)):
        recommended = result.recommended(name)
        if recommended is not None:
            columns.append(
                _column(option_label(index), recommended, f"recommended #{recommended.rank}", catalog, ())
            )
            continue
        entry = weighed[name]
        report = (priced or {}).get(name)
        if report is None:
            raise InvalidInput(
                [FieldProblem("picks", f"{name} is not recommended; price its design with analyze first")]
            )
        status = entry.status.replace("_", " ")
        columns.append(_column(option_label(index), report, f"picked ({status})", catalog, entry.reasons))
    method = next((c.availability.method for c in columns if c.availability is not None), "")
    step = result.budget_sensitivity
    return Comparison(
        header,
        tuple(columns),
        _price_bases(columns, catalog),
        _assumptions(header, catalog),
        frontier=frontier_rows(result.frontier, request.budget.applies_to),
        budget_sensitivity=step.sentence if step is not None else "",
        availability_method=method,
    )


def _price_bases(columns: Sequence[DesignColumn], catalog: PriceBook) -> tuple[PriceBasis, ...]:
    seen: dict[str, PriceBasis] = {}
    for column in columns:
        for line in column.lines:
            if line.sku not in seen:
                try:
                    description = catalog.item(line.sku).description
                except KeyError:
                    description = line.description
                seen[line.sku] = PriceBasis(line.sku, description, line.basis)
    return tuple(seen.values())


def _assumptions(header: Header, catalog: PriceBook) -> tuple[Assumption, ...]:
    env = header.environment
    out = [
        Assumption(
            "price book",
            f"{header.catalog_id} {header.catalog_version}, as of {header.catalog_as_of}",
            catalog.title,
        ),
        Assumption(
            "budget",
            f"{header.money(header.budget_cents)} for the {header.budget_applies_to} cost",
            "the request",
        ),
        Assumption(
            "horizon",
            f"total = upfront + {header.horizon_years} x annual",
            "the request; annual figures are support and Software Assurance",
        ),
        Assumption(
            "environment",
            f"{header.mailboxes} mailboxes, {header.databases} databases, "
            f"{env.get('domain_controllers')} domain controllers, witness host {env.get('witness_host')}, "
            f"{env.get('sites')} site(s), {env.get('cals_owned')} Exchange CALs owned",
            "the request",
        ),
    ]
    for name, rate in catalog.rates.items():
        out.append(Assumption(name.replace("_", " "), f"{rate.rate:.0%} of the price a year", rate.basis))
    for name, basis in catalog.policy.bases.items():
        out.append(Assumption(name.removesuffix("_basis").replace("_", " "), "design policy", basis))
    return tuple(out)
