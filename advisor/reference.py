"""The reference views, typed: price books and architectures as planners' tools see them.

No rule is decided here. The architectures' failure profile comes from `analyze` of each
smallest design (passed in by the service), so the failure simulator stays the single
authority on what a design survives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from advisor import architectures as specs
from advisor.catalog.model import Catalog, Item
from advisor.domain import (
    FAILURE_KINDS,
    SERVICES,
    AnalysisRequest,
    Budget,
    CatalogRef,
    Design,
    DesignReport,
    Environment,
    Goal,
    InvalidInput,
    Request,
    SpofReport,
)
from advisor.report import catalog_ref


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    version: str
    currency: str
    as_of: str
    title: str
    default: bool


@dataclass(frozen=True)
class PriceEntry:
    """One priced item of a catalog; the extra facts depend on what it is (a server's sockets and
    mailboxes, a licence's version and edition, a load balancer's kind and pairing)."""

    sku: str
    description: str
    category: str
    price_cents: int
    annual_cents: int
    basis: str
    sockets: int | None = None
    cores: int | None = None
    specint_rate_per_core: float | None = None
    memory_gb: int | None = None
    disk_bays: int | None = None
    mailbox_server: bool | None = None
    size_gb: int | None = None
    random_iops: int | None = None
    version: str | None = None
    edition: str | None = None
    kind: str | None = None
    ha_pair: bool | None = None


@dataclass(frozen=True)
class Prices:
    servers: tuple[PriceEntry, ...]
    disks: tuple[PriceEntry, ...]
    windows: tuple[PriceEntry, ...]
    exchange_servers: tuple[PriceEntry, ...]
    exchange_cals: tuple[PriceEntry, ...]
    load_balancers: tuple[PriceEntry, ...]


@dataclass(frozen=True)
class RateEntry:
    rate: float
    basis: str


@dataclass(frozen=True)
class RoleEntry:
    hardware_sku: str
    windows_edition: str
    basis: str


@dataclass(frozen=True)
class EditionsFact:
    rule: str
    editions: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class ExchangeFact:
    editions: tuple[str, ...]
    windows_rule: str
    windows_versions: tuple[str, ...]
    mounted_databases_rule: str
    mounted_databases: Mapping[str, int]


@dataclass(frozen=True)
class DagFact:
    rule: str
    max_members: int
    max_copies_per_database: int


@dataclass(frozen=True)
class PolicyValue:
    value: int
    basis: str


@dataclass(frozen=True)
class SizingFact:
    """One Exchange version's sizing figures (sizing.toml) and the sources they come from."""

    figures: Mapping[str, float]
    sources: Mapping[str, str]


@dataclass(frozen=True)
class StorageFact:
    usable_share: float
    write_penalty: float
    spare_disks: int
    basis: str


@dataclass(frozen=True)
class Facts:
    windows_editions: EditionsFact
    windows_clustering: EditionsFact
    exchange: Mapping[str, ExchangeFact]
    dag: DagFact
    design_policy: Mapping[str, PolicyValue]
    sizing: Mapping[str, SizingFact]
    storage: Mapping[str, StorageFact]


@dataclass(frozen=True)
class RuleRef:
    id: str
    statement: str | None
    source: str | None


@dataclass(frozen=True)
class CatalogDetail(CatalogEntry):
    prices: Prices
    annual_rates: Mapping[str, RateEntry]
    roles: Mapping[str, RoleEntry]
    facts: Facts
    rules: tuple[RuleRef, ...]


@dataclass(frozen=True)
class FailureServices:
    failure: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class ArchitectureProfile:
    name: str
    title: str
    description: str
    rules: tuple[RuleRef, ...]
    available: bool
    reasons: tuple[str, ...]
    smallest_design: Design | None
    removes: tuple[FailureServices, ...]
    leaves: tuple[FailureServices, ...]
    single_points_of_failure: tuple[SpofReport, ...]


@dataclass(frozen=True)
class ArchitectureProfiles:
    catalog: CatalogRef
    baseline: str
    assumptions: str
    architectures: tuple[ArchitectureProfile, ...]


def catalog_entry(catalog: Catalog, default_id: str) -> CatalogEntry:
    return CatalogEntry(
        catalog.id, catalog.version, catalog.currency, catalog.as_of, catalog.title, catalog.id == default_id
    )


def _price(item: Item, **extra: object) -> PriceEntry:
    return PriceEntry(
        item.sku,
        item.description,
        item.category,
        item.price_cents,
        item.annual_cents,
        item.basis,
        **extra,  # type: ignore[arg-type]
    )


_POLICY = ("max_dedicated_cas_servers", "max_added_domain_controllers")


def catalog_detail(catalog: Catalog, default: bool) -> CatalogDetail:
    """A price book with every price and its basis, the product facts and the rules they cite."""
    policy = catalog.policy
    return CatalogDetail(
        id=catalog.id,
        version=catalog.version,
        currency=catalog.currency,
        as_of=catalog.as_of,
        title=catalog.title,
        default=default,
        prices=Prices(
            servers=tuple(
                _price(
                    s.item,
                    sockets=s.sockets,
                    cores=s.cores,
                    specint_rate_per_core=s.specint_per_core,
                    memory_gb=s.memory_gb,
                    disk_bays=s.disk_bays,
                    mailbox_server=s.mailbox_server,
                )
                for s in catalog.servers.values()
            ),
            disks=tuple(
                _price(d.item, size_gb=d.size_gb, random_iops=d.iops) for d in catalog.disks.values()
            ),
            windows=tuple(_price(item, version=v, edition=e) for (v, e), item in catalog.windows.items()),
            exchange_servers=tuple(
                _price(item, version=v, edition=e) for (v, e), item in catalog.exchange_servers.items()
            ),
            exchange_cals=tuple(
                _price(item, version=v, edition=e) for (v, e), item in catalog.exchange_cals.items()
            ),
            load_balancers=tuple(
                _price(lb.item, kind=lb.kind, ha_pair=lb.ha_pair) for lb in catalog.load_balancers.values()
            ),
        ),
        annual_rates={name: RateEntry(r.rate, r.basis) for name, r in catalog.rates.items()},
        roles={
            role: RoleEntry(spec.hardware_sku, spec.windows_edition, spec.basis)
            for role, spec in (
                ("witness_host", catalog.witness_host),
                ("domain_controller", catalog.domain_controller),
            )
        },
        facts=Facts(
            windows_editions=EditionsFact(catalog.windows_editions_rule, dict(catalog.windows_editions)),
            windows_clustering=EditionsFact(
                catalog.windows_clustering_rule, dict(catalog.windows_clustering)
            ),
            exchange={
                version: ExchangeFact(
                    x.editions,
                    x.windows_rule,
                    x.windows_versions,
                    x.mounted_databases_rule,
                    dict(x.mounted_databases),
                )
                for version, x in catalog.exchange.items()
            },
            dag=DagFact(catalog.dag_rule, catalog.dag_max_members, catalog.dag_max_copies),
            design_policy={
                name: PolicyValue(getattr(policy, name), policy.bases.get(f"{name}_basis", ""))
                for name in _POLICY
            },
            sizing={
                version: SizingFact(
                    {
                        f.name: getattr(rules, f.name)
                        for f in fields(rules)
                        if isinstance(getattr(rules, f.name), int | float)
                    },
                    dict(rules.bases),
                )
                for version, rules in catalog.sizing.items()
            },
            storage={
                name: StorageFact(r.usable_share, r.write_penalty, r.spare_disks, r.basis)
                for name, r in catalog.storage.items()
            },
        ),
        rules=tuple(RuleRef(r.id, r.statement, r.source) for r in catalog.rules.values()),
    )


def _profile_assumptions(request: Request) -> str:
    """What the failure profiles assume: the request's own defaults."""
    env = request.environment
    return (
        "The smallest valid design of each architecture for the request defaults: "
        f"{request.mailboxes} mailboxes, {request.databases} databases, "
        f"{env.domain_controllers} domain controllers, the witness on an {env.witness_host} "
        f"server and {env.sites} site."
    )


def _outages(report: DesignReport) -> dict[str, list[str]]:
    """Failure kind -> the services it takes down, from the service's goal report."""
    out: dict[str, list[str]] = {}
    for goal in report.goals:
        if not goal.met:
            out.setdefault(goal.failure, []).append(goal.service)
    return out


def architectures(
    catalog: Catalog, analyze: Callable[[AnalysisRequest], DesignReport]
) -> ArchitectureProfiles:
    """Every architecture with its rules and what its smallest design removes and leaves."""
    # The request defaults, with every goal preferred, in the catalog's own currency (analyze
    # checks the currency even when no budget matters).
    request = Request(
        budget=Budget(0, catalog.currency),
        goals=tuple(Goal(kind, SERVICES, "preferred") for kind in FAILURE_KINDS),
        environment=Environment(),
        catalog=catalog.id,
    )
    version = request.platform.exchange_version
    reports: dict[str, DesignReport | None] = {}
    reasons: dict[str, tuple[str, ...]] = {}
    offered = specs.for_version(version)
    for spec in offered:
        try:
            reports[spec.name] = analyze(AnalysisRequest(request, spec.name))
        except InvalidInput as err:  # this catalog's product rules rule the architecture out
            reports[spec.name] = None
            reasons[spec.name] = tuple(str(p) for p in err.problems)
    baseline = specs.baseline(version)
    baseline_report = reports.get(baseline.name)
    baseline_outages = _outages(baseline_report) if baseline_report else {}
    entries = []
    for spec in offered:
        report = reports[spec.name]
        outages = _outages(report) if report else {}
        removes = [
            FailureServices(kind, tuple(s for s in services if s not in outages.get(kind, [])))
            for kind, services in baseline_outages.items()
        ]
        entries.append(
            ArchitectureProfile(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                rules=tuple(_rule(catalog, rule) for rule in spec.rules),
                available=report is not None,
                reasons=reasons.get(spec.name, ()),
                smallest_design=report.design if report else None,
                removes=tuple(r for r in removes if r.services) if report else (),
                leaves=tuple(FailureServices(kind, tuple(s)) for kind, s in outages.items()),
                single_points_of_failure=report.single_points_of_failure if report else (),
            )
        )
    return ArchitectureProfiles(
        catalog=catalog_ref(catalog),
        baseline=baseline.name,
        assumptions=_profile_assumptions(request),
        architectures=tuple(entries),
    )


def _rule(catalog: Catalog, rule_id: str) -> RuleRef:
    rule = catalog.rules.get(rule_id)
    return RuleRef(rule_id, rule.statement if rule else None, rule.source if rule else None)
