"""The reference views: price books and architectures as plain dicts; no rule is decided here.

The service answers them (`Advisor.catalog_list`, `catalog_detail`, `architecture_profiles`)
for the API's reference endpoints. The architectures' failure profile comes from the
service's own `analyze` of each smallest design, so the failure simulator stays the single
authority on what a design survives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.architectures import ARCHITECTURE_INFO
from advisor.catalog import Catalog, Item
from advisor.domain import ARCHITECTURES, FAILURE_KINDS, SERVICES, InvalidInput, cents_to_money
from advisor.schemas import ANALYSIS_SCHEMA, EnvironmentSchema

if TYPE_CHECKING:  # the service calls into this module
    from advisor.service import Advisor

BASELINE = "single_server"


def _profile_assumptions() -> str:
    """What the failure profiles assume: the request's own defaults, read off its schema."""
    size = ANALYSIS_SCHEMA.fields
    env = EnvironmentSchema().load({})
    return (
        "The smallest valid design of each architecture for the request defaults: "
        f"{size['mailboxes'].load_default} mailboxes, {size['databases'].load_default} databases, "
        f"{env['domain_controllers']} domain controllers, the witness on an {env['witness_host']} "
        f"server and {env['sites']} site."
    )


def catalog_entry(catalog: Catalog, default_id: str) -> dict[str, Any]:
    return {**catalog.summary(), "title": catalog.title, "default": catalog.id == default_id}


def _item(item: Item, **extra: Any) -> dict[str, Any]:
    return {
        "sku": item.sku,
        "description": item.description,
        "category": item.category,
        "price": cents_to_money(item.price_cents),
        "annual": cents_to_money(item.annual_cents),
        "basis": item.basis,
        **extra,
    }


def catalog_detail(catalog: Catalog, default_id: str) -> dict[str, Any]:
    """A price book with every price and its basis, the product facts and the rules they cite."""
    policy = catalog.policy
    return {
        **catalog_entry(catalog, default_id),
        "prices": {
            "servers": [
                _item(s.item, sockets=s.sockets, mailboxes=s.mailboxes) for s in catalog.servers.values()
            ],
            "windows": [
                _item(item, version=version, edition=edition)
                for (version, edition), item in catalog.windows.items()
            ],
            "exchange_servers": [
                _item(item, version=version, edition=edition)
                for (version, edition), item in catalog.exchange_servers.items()
            ],
            "exchange_cals": [
                _item(item, version=version, edition=edition)
                for (version, edition), item in catalog.exchange_cals.items()
            ],
            "load_balancers": [
                _item(lb.item, kind=lb.kind, ha_pair=lb.ha_pair) for lb in catalog.load_balancers.values()
            ],
        },
        "annual_rates": {name: {"rate": r.rate, "basis": r.basis} for name, r in catalog.rates.items()},
        "roles": {
            role: {
                "hardware_sku": spec.hardware_sku,
                "windows_edition": spec.windows_edition,
                "basis": spec.basis,
            }
            for role, spec in (
                ("witness_host", catalog.witness_host),
                ("domain_controller", catalog.domain_controller),
            )
        },
        "facts": {
            "windows_editions": {
                "rule": catalog.windows_editions_rule,
                "editions": {k: list(v) for k, v in catalog.windows_editions.items()},
            },
            "windows_clustering": {
                "rule": catalog.windows_clustering_rule,
                "editions": {k: list(v) for k, v in catalog.windows_clustering.items()},
            },
            "exchange": {
                version: {
                    "editions": list(x.editions),
                    "windows_rule": x.windows_rule,
                    "windows_versions": list(x.windows_versions),
                    "mounted_databases_rule": x.mounted_databases_rule,
                    "mounted_databases": dict(x.mounted_databases),
                }
                for version, x in catalog.exchange.items()
            },
            "dag": {
                "rule": catalog.dag_rule,
                "max_members": catalog.dag_max_members,
                "max_copies_per_database": catalog.dag_max_copies,
            },
            "design_policy": {
                name: {"value": getattr(policy, name), "basis": policy.bases.get(f"{name}_basis", "")}
                for name in ("database_copies", "max_dedicated_cas_servers", "max_added_domain_controllers")
            },
        },
        "rules": [{"id": r.id, "statement": r.statement, "source": r.source} for r in catalog.rules.values()],
    }


_EVERY_GOAL = [
    {"failure": kind, "services": list(SERVICES), "priority": "preferred"} for kind in FAILURE_KINDS
]


def _outages(report: dict[str, Any]) -> dict[str, list[str]]:
    """Failure kind -> the services it takes down, from the service's goal report."""
    out: dict[str, list[str]] = {}
    for goal in report["goals"]:
        if not goal["met"]:
            out.setdefault(goal["failure"], []).append(goal["service"])
    return out


def architectures(advisor: Advisor) -> dict[str, Any]:
    """Every architecture with its rules and what its smallest design removes and leaves."""
    catalog = advisor.catalogs.get("default")
    # A budget in the catalog's own currency: analyze checks the currency even when no budget matters.
    request = {
        "catalog": "default",
        "goals": _EVERY_GOAL,
        "budget": {"amount": 0, "currency": catalog.currency},
    }
    reports: dict[str, dict[str, Any] | None] = {}
    reasons: dict[str, list[str]] = {}
    for name in ARCHITECTURES:
        try:
            reports[name] = advisor.analyze({**request, "architecture": name})
        except InvalidInput as err:  # this catalog's product rules rule the architecture out
            reports[name] = None
            reasons[name] = [str(p) for p in err.problems]
    baseline = reports.get(BASELINE)
    baseline_outages = _outages(baseline) if baseline else {}
    entries = []
    for name in ARCHITECTURES:
        info = ARCHITECTURE_INFO[name]
        report = reports[name]
        outages = _outages(report) if report else {}
        removes = [
            {"failure": kind, "services": [s for s in services if s not in outages.get(kind, [])]}
            for kind, services in baseline_outages.items()
        ]
        entries.append(
            {
                "name": name,
                "title": info.title,
                "description": info.description,
                "rules": [_rule(catalog, rule) for rule in info.rules],
                "available": report is not None,
                "reasons": reasons.get(name, []),
                "smallest_design": report["design"] if report else None,
                "removes": [r for r in removes if r["services"]] if report else [],
                "leaves": [{"failure": kind, "services": services} for kind, services in outages.items()],
                "single_points_of_failure": report["single_points_of_failure"] if report else [],
            }
        )
    return {
        "catalog": catalog.summary(),
        "baseline": BASELINE,
        "assumptions": _profile_assumptions(),
        "architectures": entries,
    }


def _rule(catalog: Catalog, rule_id: str) -> dict[str, Any]:
    rule = catalog.rules.get(rule_id)
    return {
        "id": rule_id,
        "statement": rule.statement if rule else None,
        "source": rule.source if rule else None,
    }
