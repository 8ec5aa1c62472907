"""Build a comparison from a recommend response: pick the designs, read the request's header."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from advisor.domain import (
    Budget,
    Environment,
    FieldProblem,
    InvalidInput,
    Platform,
    Request,
    money_to_cents,
)
from advisor.exports.model import (
    AdvisorLike,
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


def _cents(value: Any) -> int:
    return money_to_cents(float(value or 0))


def _header(
    request: Request | Mapping[str, Any], response: Mapping[str, Any], catalog: PriceBook, today: date
) -> Header:
    facts = _request_facts(request)
    named = response["catalog"]
    return Header(
        project=facts["project"].get("name", ""),
        customer=facts["project"].get("customer", ""),
        prepared_by=facts["project"].get("prepared_by", ""),
        date=today.isoformat(),
        catalog_id=str(named["id"]),
        catalog_version=str(named["version"]),
        catalog_as_of=str(named["as_of"]),
        catalog_title=catalog.title,
        currency=str(named["currency"]),
        budget_cents=facts["budget"].amount_cents,
        budget_applies_to=facts["budget"].applies_to,
        horizon_years=facts["horizon_years"],
        exchange=_edition_text(
            "Exchange", facts["platform"].exchange_version, facts["platform"].exchange_edition
        ),
        windows=_edition_text(
            "Windows Server", facts["platform"].windows_version, facts["platform"].windows_edition
        ),
        mailboxes=facts["mailboxes"],
        databases=facts["databases"],
        environment=facts["environment"],
        goals=facts["goals"],
    )


def _edition_text(product: str, version: str, edition: str) -> str:
    chosen = "any edition (the advisor chooses)" if edition == "any" else f"{edition} edition"
    return f"{product} {version}, {chosen}"


def _request_facts(request: Request | Mapping[str, Any]) -> dict[str, Any]:
    """The header's facts from a domain Request or from the request's JSON form, whose
    missing fields take the contract's defaults (the JSON was validated by recommend)."""
    if isinstance(request, Request):
        project = request.project
        return {
            "project": asdict(project) if project else {},
            "budget": request.budget,
            "horizon_years": request.horizon_years,
            "platform": request.platform,
            "mailboxes": request.mailboxes,
            "databases": request.databases,
            "environment": asdict(request.environment),
            "goals": tuple(GoalAsked(g.failure, g.services, g.priority, g.weight) for g in request.goals),
        }
    budget = request.get("budget") or {}
    defaults = Budget(0)
    exchange = request.get("exchange") or {}
    windows = request.get("windows") or {}
    platform = Platform()
    return {
        "project": {k: str(v) for k, v in (request.get("project") or {}).items() if v is not None},
        "budget": Budget(
            _cents(budget.get("amount")),
            budget.get("currency", defaults.currency),
            budget.get("applies_to", defaults.applies_to),
        ),
        "horizon_years": int(request.get("horizon_years", Request.horizon_years)),
        "platform": Platform(
            exchange.get("version", platform.exchange_version),
            exchange.get("edition", platform.exchange_edition),
            windows.get("version", platform.windows_version),
            windows.get("edition", platform.windows_edition),
        ),
        "mailboxes": int(request.get("mailboxes", Request.mailboxes)),
        "databases": int(request.get("databases", Request.databases)),
        "environment": asdict(Environment()) | dict(request.get("environment") or {}),
        "goals": tuple(
            GoalAsked(
                g["failure"],
                tuple(g.get("services", ())),
                g.get("priority", "required"),
                float(g.get("weight", 1.0)),
            )
            for g in request.get("goals") or ()
        ),
    }


def _column(
    label: str, report: Mapping[str, Any], source: str, catalog: PriceBook, reasons: Sequence[str]
) -> DesignColumn:
    cost = report["cost"]
    left = cost.get("budget_left")
    applies_to = cost.get("budget_applies_to")
    budget = None
    if left is not None and applies_to in ("upfront", "total"):
        budget = _cents(left) + _cents(cost[applies_to])
    return DesignColumn(
        label=label,
        architecture=str(report["architecture"]),
        title=str(report.get("title", "")),
        source=source,
        design=dict(report.get("design") or {}),
        lines=tuple(
            LineItem(
                sku=str(line["sku"]),
                description=str(line["description"]),
                quantity=int(line["quantity"]),
                unit_price_cents=_cents(line["unit_price"]),
                unit_annual_cents=_cents(line.get("unit_annual")),
                upfront_cents=_cents(line["upfront"]),
                annual_cents=_cents(line["annual"]),
                basis=_basis(catalog, str(line["sku"])),
            )
            for line in report["bill_of_materials"]
        ),
        upfront_cents=_cents(cost["upfront"]),
        annual_cents=_cents(cost["annual"]),
        total_cents=_cents(cost["total"]),
        horizon_years=int(cost["horizon_years"]),
        within_budget=cost.get("within_budget"),
        budget_left_cents=None if left is None else _cents(left),
        budget_cents=budget,
        budget_applies_to=applies_to if budget is not None else None,
        goals=tuple(
            GoalResult(
                g["failure"],
                g["service"],
                g["priority"],
                bool(g["met"]),
                g.get("worst_outcome", ""),
                g.get("explanation", ""),
            )
            for g in report.get("goals", ())
        ),
        single_points_of_failure=tuple(
            SinglePoint(s["component"], s["kind"], tuple(s["services"]), s["explanation"])
            for s in report.get("single_points_of_failure", ())
        ),
        failure_scenarios=tuple(
            Scenario(s["component"], s["kind"], s["description"], dict(s["outcomes"]), s["explanation"])
            for s in report.get("failure_scenarios", ())
        ),
        notes=tuple(report.get("notes", ())),
        reasons=tuple(reasons),
    )


def _basis(catalog: PriceBook, sku: str) -> str:
    try:
        return catalog.item(sku).basis
    except KeyError:
        return "not in the price book"


def option_label(index: int) -> str:
    """The column name of the index-th design: Option A, Option B, ..."""
    return f"Option {chr(ord('A') + index)}" if index < 26 else f"Option {index + 1}"


def _picks(response: Mapping[str, Any], picks: Sequence[str] | None) -> list[str]:
    recommended = [r["architecture"] for r in response["recommendations"]]
    if picks is None:
        if not recommended:
            raise InvalidInput([FieldProblem("picks", _nothing_recommended(response))])
        return recommended
    weighed = {w["architecture"]: w for w in response["weighed"]}
    problems = []
    for i, name in enumerate(picks):
        entry = weighed.get(name)
        if entry is None:
            problems.append(
                FieldProblem(f"picks.{i}", f"unknown architecture {name!r}; known: {', '.join(weighed)}")
            )
        elif name not in recommended and (entry["status"] not in PICKABLE or not entry.get("design")):
            problems.append(
                FieldProblem(
                    f"picks.{i}",
                    f"{name} has no design to compare ({entry['status']}): {'; '.join(entry['reasons'])}",
                )
            )
    if not picks:
        problems.append(FieldProblem("picks", "pick at least one architecture"))
    if problems:
        raise InvalidInput(problems)
    return list(dict.fromkeys(picks))


def _nothing_recommended(response: Mapping[str, Any]) -> str:
    minimum = response.get("minimum_budget")
    pickable = [w["architecture"] for w in response["weighed"] if w["status"] in PICKABLE and w.get("design")]
    text = "nothing is recommended within this budget"
    if minimum:
        cost = f"{minimum['amount']:,.2f} {minimum['currency']}"
        text += f" (the cheapest design meeting the required goals, {minimum['architecture']}, costs {cost})"
    return text + (f"; pick architectures to compare: {', '.join(pickable)}" if pickable else "")


def build_comparison(
    request: Request | Mapping[str, Any],
    response: Mapping[str, Any],
    catalog: PriceBook,
    picks: Sequence[str] | None = None,
    priced: Mapping[str, Mapping[str, Any]] | None = None,
    today: date | None = None,
) -> Comparison:
    """The comparison of a recommend response's designs.

    By default every recommendation; `picks` (architecture names, in the order wanted)
    choose among the recommendations and may add the best design of any weighed
    architecture that has one, priced by `analyze` and passed in `priced` by architecture.
    Raises InvalidInput naming `picks` when a pick cannot be compared.
    """
    header = _header(request, response, catalog, today or date.today())
    recommendations = {r["architecture"]: r for r in response["recommendations"]}
    weighed = {w["architecture"]: w for w in response["weighed"]}
    columns = []
    for index, name in enumerate(_picks(response, picks)):
        if name in recommendations:
            report = recommendations[name]
            columns.append(
                _column(option_label(index), report, f"recommended #{report['rank']}", catalog, ())
            )
            continue
        entry = weighed[name]
        report = (priced or {}).get(name)
        if report is None:
            raise InvalidInput(
                [FieldProblem("picks", f"{name} is not recommended; price its design with analyze first")]
            )
        status = entry["status"].replace("_", " ")
        columns.append(
            _column(option_label(index), report, f"picked ({status})", catalog, entry.get("reasons", ()))
        )
    return Comparison(header, tuple(columns), _price_bases(columns, catalog), _assumptions(header, catalog))


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


def comparison_from_request(
    advisor: AdvisorLike,
    request: Mapping[str, Any],
    picks: Sequence[str] | None = None,
    *,
    response: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Comparison:
    """Recommend (unless `response` is given), price the picked weighed designs with
    analyze, and build the comparison: the one call the API, the web and the CLI make."""
    response = response if response is not None else advisor.recommend(dict(request))
    recommended = {r["architecture"] for r in response["recommendations"]}
    weighed = {w["architecture"]: w for w in response["weighed"]}
    priced = {}
    for name in _picks(response, picks):
        if name not in recommended:
            priced[name] = advisor.analyze(analysis_input(request, name, weighed[name]["design"]))
    catalog = advisor.catalogs.get(str(response["catalog"]["id"]))
    return build_comparison(request, response, catalog, picks, priced, today)


def analysis_input(
    request: Mapping[str, Any], architecture: str, design: Mapping[str, Any]
) -> dict[str, Any]:
    """The analyze input that prices one weighed design under the request's terms."""
    keep = (
        "exchange",
        "windows",
        "mailboxes",
        "databases",
        "environment",
        "goals",
        "catalog",
        "budget",
        "horizon_years",
    )
    data = {key: request[key] for key in keep if key in request}
    return data | {"architecture": architecture, "design": dict(design)}
