"""Price a design from a catalog: the one source of every line a design buys.

Each part of a design (a server group, the load balancers, the witness server, added domain
controllers, the CALs) has one function that says what it buys. The bill of materials is their
lines; the optimizer's cost coefficients are the same lines' sums (`Cents`), so the two cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.catalog.model import Catalog, Item, RoleSpec
from advisor.domain import Design, Line, Quote, Request, assemble


@dataclass(frozen=True)
class Cents:
    """What a part costs: upfront and per year, in integer cents."""

    upfront: int = 0
    annual: int = 0

    @classmethod
    def of(cls, lines: list[Line]) -> Cents:
        return cls(sum(line.upfront_cents for line in lines), sum(line.annual_cents for line in lines))

    def __add__(self, other: Cents) -> Cents:
        return _cents(self.upfront + other.upfront, self.annual + other.annual)

    def __mul__(self, times: int) -> Cents:
        return _cents(self.upfront * times, self.annual * times)


def _cents(upfront: int, annual: int) -> Cents:
    # The optimizer adds prices a few hundred times a request (see `assemble`).
    return assemble(Cents, upfront=upfront, annual=annual)


def _line(item: Item, quantity: int, role: str) -> Line:
    return Line(item.sku, f"{item.description} ({role})", quantity, item.price_cents, item.annual_cents)


def server_group_lines(
    catalog: Catalog,
    exchange_version: str,
    windows_version: str,
    count: int,
    model: str,
    windows_edition: str,
    exchange_edition: str,
    role: str,
) -> list[Line]:
    """`count` Exchange servers of one hardware model with their Windows and Exchange licences
    (Windows as many licences per server as the model's processors or cores need)."""
    return [
        _line(catalog.servers[model].item, count, role),
        _windows_line(catalog, windows_version, windows_edition, model, count, role),
        _line(catalog.exchange_servers[(exchange_version, exchange_edition)], count, role),
    ]


def _windows_line(catalog: Catalog, version: str, edition: str, model: str, count: int, role: str) -> Line:
    per_server = catalog.windows_licences(version, edition, catalog.servers[model])
    if per_server != 1:
        server = catalog.servers[model]
        role = f"{role}, {per_server} per server of {server.cores} cores"
    return _line(catalog.windows[(version, edition)], count * per_server, role)


def windows_cost(catalog: Catalog, version: str, edition: str, model: str) -> Cents:
    """What Windows `edition` costs one server of `model` (per server, processor or core pack):
    the bill of materials' own line for that server."""
    return Cents.of([_windows_line(catalog, version, edition, model, 1, "")])


def disk_lines(catalog: Catalog, model: str, count: int, role: str) -> list[Line]:
    """`count` database disks of one model."""
    if not count:
        return []
    return [_line(catalog.disks[model].item, count, role)]


def load_balancer_lines(catalog: Catalog, model: str, units: int) -> list[Line]:
    role = "load balancer" if units == 1 else "active/standby load-balancer pair"
    return [_line(catalog.load_balancers[model].item, units, role)]


def _role_lines(catalog: Catalog, spec: RoleSpec, windows_version: str, count: int, role: str) -> list[Line]:
    """A supporting server bought for a role: its hardware and its Windows licence."""
    return [
        _line(catalog.servers[spec.hardware_sku].item, count, role),
        _windows_line(catalog, windows_version, spec.windows_edition, spec.hardware_sku, count, role),
    ]


def witness_lines(catalog: Catalog, windows_version: str) -> list[Line]:
    return _role_lines(catalog, catalog.witness_host, windows_version, 1, "DAG witness server")


def domain_controller_lines(catalog: Catalog, windows_version: str, count: int) -> list[Line]:
    if not count:
        return []
    return _role_lines(
        catalog, catalog.domain_controller, windows_version, count, "additional domain controller"
    )


def cals_to_buy(request: Request) -> int:
    return max(0, request.mailboxes - request.environment.cals_owned)


def cal_lines(catalog: Catalog, request: Request) -> list[Line]:
    cals = cals_to_buy(request)
    if not cals:
        return []
    cal = catalog.exchange_cals[(request.platform.exchange_version, "standard")]
    return [_line(cal, cals, "one per mailbox user")]


def exchange_group_role(design: Design) -> str:
    return "Mailbox servers" if design.spec.dedicated_client_access else "Exchange servers"


CLIENT_ACCESS_ROLE = "Client Access and Hub Transport servers"


def bill_of_materials(design: Design, request: Request, catalog: Catalog) -> Quote:
    """Every line a planner would order for the design, and its upfront and annual cost."""
    p = request.platform
    lines = server_group_lines(
        catalog,
        p.exchange_version,
        p.windows_version,
        design.exchange_servers,
        design.server_model,
        design.windows_edition,
        design.exchange_edition,
        exchange_group_role(design),
    )
    if design.disk_model and design.disks_per_server:
        lines += disk_lines(
            catalog,
            design.disk_model,
            design.exchange_servers * design.disks_per_server,
            f"{design.disks_per_server} per {exchange_group_role(design).lower().removesuffix('s')}",
        )
    if design.dedicated_cas_servers:
        if not (design.cas_server_model and design.cas_windows_edition and design.cas_exchange_edition):
            raise ValueError("a design with dedicated Client Access servers names their model and editions")
        lines += server_group_lines(
            catalog,
            p.exchange_version,
            p.windows_version,
            design.dedicated_cas_servers,
            design.cas_server_model,
            design.cas_windows_edition,
            design.cas_exchange_edition,
            CLIENT_ACCESS_ROLE,
        )
    if design.load_balancers:
        if not design.load_balancer_model:
            raise ValueError("a design with load balancers names their model")
        lines += load_balancer_lines(catalog, design.load_balancer_model, design.load_balancers)
    if design.witness == "buy":
        lines += witness_lines(catalog, p.windows_version)
    lines += domain_controller_lines(catalog, p.windows_version, design.domain_controllers_added)
    lines += cal_lines(catalog, request)
    return Quote.of(tuple(lines), request.horizon_years)
