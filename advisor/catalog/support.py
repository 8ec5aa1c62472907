"""What a catalog says of a request's platform and currency: whether its Exchange version runs on
its Windows version (the supportability matrix) and whether its budget is in the catalog's
currency. One wording for each, whoever asks: the edges, the service and the optimizer."""

from __future__ import annotations

from advisor.catalog.model import Catalog
from advisor.domain import FieldProblem, Request, windows_name


def request_problems(request: Request, catalog: Catalog, budget_given: bool = True) -> list[FieldProblem]:
    """Every field of a request the catalog refuses, all at once: its budget's currency (when a
    budget is given), then its Exchange version on its Windows version."""
    p = request.platform
    found = currency_problems(request.budget.currency, catalog) if budget_given else []
    return found + platform_problems(p.exchange_version, p.windows_version, catalog)


def currency_problems(currency: str, catalog: Catalog) -> list[FieldProblem]:
    """`budget.currency` when it is not the currency the catalog prices in (nothing when it is)."""
    if currency == catalog.currency:
        return []
    return [
        FieldProblem(
            "budget.currency",
            f"the catalog {catalog.id!r} prices in {catalog.currency}, not {currency}",
        )
    ]


def platform_problems(exchange_version: str, windows_version: str, catalog: Catalog) -> list[FieldProblem]:
    """What is wrong with an Exchange version on a Windows version under the catalog's
    supportability matrix (nothing when it runs there), on both fields, with the versions that
    fit."""
    facts = catalog.exchange.get(exchange_version)
    if facts is None:
        return [
            FieldProblem(
                "exchange.version",
                f"the catalog {catalog.id!r} has no facts for Exchange {exchange_version}; it knows "
                f"{', '.join(catalog.exchange)}",
            )
        ]
    if windows_version in facts.windows_versions:
        return []

    def on(version: str) -> str:
        update = facts.windows_minimum_update.get(version)
        return windows_name(version) + (f" (Exchange {exchange_version} {update} or later)" if update else "")

    runs = [v for v, x in catalog.exchange.items() if windows_version in x.windows_versions]
    rule = f"rule {facts.windows_rule}"
    return [
        FieldProblem(
            "windows.version",
            f"Exchange {exchange_version} does not run on Windows Server "
            f"{windows_name(windows_version)}; it runs on "
            f"{', '.join(on(v) for v in facts.windows_versions)} ({rule})",
        ),
        FieldProblem(
            "exchange.version",
            f"Windows Server {windows_name(windows_version)} runs Exchange "
            f"{', '.join(runs) if runs else 'no version the catalog knows'}, not "
            f"{exchange_version} ({rule})",
        ),
    ]
