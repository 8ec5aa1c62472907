"""Comparisons of stored results: designs taken exactly as they were saved, from one result or several.

A saved scenario keeps its request and its response; these build the comparison every
renderer takes from them without running the solver or re-pricing anything, so an export of
a scenario shows the figures that were saved, whatever the catalog says today.

    comparison = stored_comparison(request, result, advisor.catalogs, picks=[architecture])
    comparison = comparison_across([StoredDesign(request, result, architecture, "scenario A"), ...],
                                   advisor.catalogs)
    render("xlsx", comparison)

Only a result's recommendations carry a full design report (bill of materials, failure
scenarios), so only they can be picked; other weighed architectures would have to be priced
again, which a stored result never is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from advisor.domain import FieldProblem, InvalidInput, Recommendations, Request, UnknownCatalog
from advisor.exports.build import build_comparison, option_label
from advisor.exports.model import (
    Assumption,
    Comparison,
    DesignColumn,
    Header,
    PriceBasis,
    PriceBook,
    PriceBooks,
)

__all__ = ["StoredDesign", "StoredPriceBook", "comparison_across", "price_book_for", "stored_comparison"]


@dataclass(frozen=True)
class StoredDesign:
    """One design to compare: an architecture recommended in a stored result, and where it is from."""

    request: Request
    result: Recommendations
    architecture: str
    origin: str  # words for the comparison, e.g. 'saved scenario "Budget 30k"'
    key: str = ""  # identifies the stored result (designs with one key share a result); origin if empty

    @property
    def stored_as(self) -> str:
        """Which stored result the design is from (designs of one share it)."""
        return self.key or self.origin


@dataclass(frozen=True)
class _StoredItem:
    description: str
    basis: str


@dataclass(frozen=True)
class _NoPolicy:
    bases: Mapping[str, str]


@dataclass(frozen=True)
class _NoRate:
    rate: float
    basis: str


class StoredPriceBook:
    """Stands in for the price book a result was priced from when that version is not loaded any
    more: descriptions come from the stored bill of materials, and each basis says where the
    figures come from instead of quoting today's price book for yesterday's prices."""

    def __init__(self, result: Recommendations):
        named = result.catalog
        self._named = f"{named.id} version {named.version} as of {named.as_of}"
        self.title = f"price book {self._named} (no longer loaded; figures as stored)"
        self.rates: Mapping[str, _NoRate] = {}
        self.policy = _NoPolicy({})
        self._descriptions = {
            line.sku: line.description
            for report in result.recommendations
            for line in report.bill_of_materials
        }

    def item(self, sku: str) -> _StoredItem:
        if sku not in self._descriptions:
            raise KeyError(sku)
        return _StoredItem(self._descriptions[sku], f"as priced from {self._named} when the result was saved")


def price_book_for(catalogs: PriceBooks, result: Recommendations) -> PriceBook:
    """The loaded price book a stored result names when its version is the one loaded now;
    otherwise a stand-in, so bases and rates of a newer version never describe older figures."""
    named = result.catalog
    try:
        loaded = catalogs.get(named.id)
    except UnknownCatalog:
        return StoredPriceBook(result)
    if str(getattr(loaded, "version", "")) != named.version:
        return StoredPriceBook(result)
    return loaded


def _unrecommended(result: Recommendations, architecture: str) -> str | None:
    """Why an architecture cannot be taken from a stored result, or None when it can."""
    recommended = [r.architecture for r in result.recommendations]
    if architecture in recommended:
        return None
    shown = ", ".join(recommended) if recommended else "none"
    return (
        f"{architecture} is not among the stored recommendations ({shown}); a saved result is "
        "exported as it was stored and never priced again"
    )


def stored_comparison(
    request: Request,
    result: Recommendations,
    catalogs: PriceBooks,
    picks: Sequence[str] | None = None,
    *,
    today: date | None = None,
) -> Comparison:
    """One stored result's recommendations side by side (or the picked ones, in that order).
    A pick that is not a stored recommendation is InvalidInput naming `picks.N`."""
    if picks is not None:
        problems = [
            FieldProblem(f"picks.{i}", why)
            for i, name in enumerate(picks)
            if (why := _unrecommended(result, name)) is not None
        ]
        if problems:
            raise InvalidInput(problems)
    return build_comparison(request, result, price_book_for(catalogs, result), picks, today=today)


def _problems(designs: Sequence[StoredDesign], field: str) -> list[FieldProblem]:
    problems = []
    currency = designs[0].result.catalog.currency if designs else ""
    seen: dict[tuple[str, str], int] = {}
    for i, design in enumerate(designs):
        why = _unrecommended(design.result, design.architecture)
        if why is not None:
            problems.append(FieldProblem(f"{field}.{i}.architecture", why))
        priced_in = design.result.catalog.currency
        if priced_in != currency:
            problems.append(
                FieldProblem(
                    f"{field}.{i}", f"priced in {priced_in}; the designs compared must all be in {currency}"
                )
            )
        key = (design.stored_as, design.architecture)
        if key in seen:
            problems.append(FieldProblem(f"{field}.{i}", f"the same design as {field}.{seen[key]}"))
        seen.setdefault(key, i)
    return problems


def _terms(label: str, header: Header, origin: str) -> Assumption:
    """What a design of another result was priced under: its budget, horizon, size and price book."""
    return Assumption(
        f"{label} terms",
        f"budget {header.money(header.budget_cents)} for the {header.budget_applies_to} cost; "
        f"total over {header.horizon_years} year(s); {header.mailboxes} mailboxes, {header.databases} "
        f"databases; price book {header.catalog_id} {header.catalog_version} as of {header.catalog_as_of}",
        origin,
    )


def comparison_across(
    designs: Sequence[StoredDesign],
    catalogs: PriceBooks,
    *,
    field: str = "designs",
    today: date | None = None,
) -> Comparison:
    """Designs from several stored results side by side, each exactly as stored.

    The header is the first design's result's; a design from any other result adds an
    assumption stating the terms it was priced under (its own budget decides its "within
    budget"). Every design must be a stored recommendation, all in one currency, none twice;
    otherwise InvalidInput names `{field}.N` or `{field}.N.architecture`.
    """
    problems = _problems(designs, field)
    if not designs:
        problems.append(FieldProblem(field, "pick at least one design"))
    if problems:
        raise InvalidInput(problems)
    first = designs[0]
    columns: list[DesignColumn] = []
    bases: dict[str, PriceBasis] = {}
    assumptions: list[Assumption] = []
    header: Header | None = None
    for index, design in enumerate(designs):
        book = price_book_for(catalogs, design.result)
        single = build_comparison(design.request, design.result, book, [design.architecture], today=today)
        (column,) = single.designs
        label = option_label(index)
        columns.append(replace(column, label=label, source=f"{design.origin}, {column.source}"))
        for basis in single.price_bases:
            bases.setdefault(basis.sku, basis)
        if header is None:
            header, assumptions = single.header, list(single.assumptions)
        elif design.stored_as != first.stored_as:
            assumptions.append(_terms(label, single.header, design.origin))
    if header is None:  # no design: refused above
        raise InvalidInput([FieldProblem(field, "pick at least one design")])
    return Comparison(header, tuple(columns), tuple(bases.values()), tuple(assumptions))
