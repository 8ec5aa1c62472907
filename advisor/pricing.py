"""Price a concrete design from a catalog: its bill of materials and its cost."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.catalog import Catalog, Item
from advisor.catalog.model import RoleSpec
from advisor.domain import Cost, Design, Line, Request


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    cost: Cost


def _line(item: Item, quantity: int, role: str) -> Line:
    return Line(item.sku, f"{item.description} ({role})", quantity, item.price_cents, item.annual_cents)


def _role_items(catalog: Catalog, spec: RoleSpec, windows_version: str) -> list[Item]:
    """A supporting server bought for a role: its hardware and its Windows licence."""
    return [catalog.servers[spec.hardware_sku].item, catalog.windows[(windows_version, spec.windows_edition)]]


def witness_items(catalog: Catalog, windows_version: str) -> list[Item]:
    return _role_items(catalog, catalog.witness_host, windows_version)


def domain_controller_items(catalog: Catalog, windows_version: str) -> list[Item]:
    return _role_items(catalog, catalog.domain_controller, windows_version)


def cals_to_buy(request: Request) -> int:
    return max(0, request.mailboxes - request.environment.cals_owned)


def bill_of_materials(design: Design, request: Request, catalog: Catalog) -> Quote:
    """Every line a planner would order for the design, and its upfront and annual cost."""
    platform = request.platform
    lines: list[Line] = []
    group = "Exchange servers" if design.dedicated_cas_servers == 0 else "Mailbox servers"
    n = design.exchange_servers
    lines.append(_line(catalog.servers[design.server_model].item, n, group))
    lines.append(_line(catalog.windows[(platform.windows_version, design.windows_edition)], n, group))
    lines.append(
        _line(catalog.exchange_servers[(platform.exchange_version, design.exchange_edition)], n, group)
    )
    m = design.dedicated_cas_servers
    if m:
        role = "Client Access and Hub Transport servers"
        assert design.cas_server_model and design.cas_windows_edition and design.cas_exchange_edition
        lines.append(_line(catalog.servers[design.cas_server_model].item, m, role))
        lines.append(_line(catalog.windows[(platform.windows_version, design.cas_windows_edition)], m, role))
        lines.append(
            _line(catalog.exchange_servers[(platform.exchange_version, design.cas_exchange_edition)], m, role)
        )
    if design.load_balancers:
        assert design.load_balancer_model
        role = "load balancer" if design.load_balancers == 1 else "active/standby load-balancer pair"
        lines.append(
            _line(catalog.load_balancers[design.load_balancer_model].item, design.load_balancers, role)
        )
    if design.witness == "buy":
        for item in witness_items(catalog, platform.windows_version):
            lines.append(_line(item, 1, "DAG witness server"))
    if design.domain_controllers_added:
        for item in domain_controller_items(catalog, platform.windows_version):
            lines.append(_line(item, design.domain_controllers_added, "additional domain controller"))
    cals = cals_to_buy(request)
    if cals:
        cal = catalog.exchange_cals[(platform.exchange_version, "standard")]
        lines.append(_line(cal, cals, "one per mailbox user"))
    upfront = sum(line.upfront_cents for line in lines)
    annual = sum(line.annual_cents for line in lines)
    return Quote(tuple(lines), Cost(upfront, annual, request.horizon_years))
