"""The loaded catalog: prices in cents with their basis, product facts and rules, and look-ups."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Rule:
    id: str
    statement: str
    source: str


@dataclass(frozen=True)
class Item:
    """Anything with a price: the price and the annual figure are integer cents."""

    sku: str
    description: str
    price_cents: int
    annual_cents: int
    basis: str
    category: str


@dataclass(frozen=True)
class ServerModel:
    """A server's hardware: what sizing needs of it, and the Exchange versions it is offered for."""

    item: Item
    sockets: int
    cores: int
    specint_per_core: float  # SPECint_rate2006 result per core
    memory_gb: int
    disk_bays: int  # bays for database and log disks
    mailbox_server: bool  # False: bought only for a witness or a domain controller
    exchange_versions: tuple[str, ...]
    specint_basis: str = ""


@dataclass(frozen=True)
class DiskModel:
    """A database and log disk: its size and the random IOPS it sustains."""

    item: Item
    size_gb: int
    iops: int
    iops_basis: str = ""
    exchange_versions: tuple[str, ...] = ()  # empty: every version


@dataclass(frozen=True)
class SizingRules:
    """How a server of one Exchange version is sized at a mailbox profile (sizing.toml)."""

    megacycles_per_specint: float
    active_megacycles_per_message: float
    passive_share: float
    client_access_share: float
    transport_share: float
    cpu_ceiling: float
    cache_mb_per_message: float
    passive_cache_share: float
    memory_base_gb: float
    memory_minimum_gb: float
    cache_share_of_memory: float
    client_access_memory_gb_per_core: float
    iops_per_message: float
    iops_per_message_single_copy: float
    passive_iops_share: float
    iops_headroom: float
    database_overhead: float
    content_index: float
    log_mb_per_message: float
    log_days: int
    provisioning: float
    max_database_gb: float
    max_database_gb_with_copies: float
    max_cores: int
    max_memory_gb: int
    bases: dict[str, str]


@dataclass(frozen=True)
class StorageRules:
    """How disks become usable space and IOPS: RAID 10 or JBOD."""

    usable_share: float
    write_penalty: float
    spare_disks: int
    even_disks: bool
    basis: str
    # JBOD: how many database copies one disk may hold, and how many of them active in normal
    # operation (0: no such rule, as on RAID, where a volume spans the disks).
    copies_per_disk: int = 0
    active_copies_per_disk: int = 0


@dataclass(frozen=True)
class LoadBalancerModel:
    item: Item
    kind: str
    ha_pair: bool


@dataclass(frozen=True)
class RoleSpec:
    hardware_sku: str
    windows_edition: str
    basis: str


@dataclass(frozen=True)
class ExchangeFacts:
    editions: tuple[str, ...]
    windows_rule: str
    windows_versions: tuple[str, ...]
    mounted_databases_rule: str
    mounted_databases: dict[str, int]
    # The cumulative update an Exchange version needs on a Windows version, where one is needed.
    windows_minimum_update: dict[str, str] = field(default_factory=dict)
    # Server licences and CALs need an active subscription or Software Assurance (SE).
    subscription: bool = False


@dataclass(frozen=True)
class LicenceUnit:
    """What one Windows Server licence covers: a server, a processor, two processors, or a pack of cores
    (2016 and later: every physical core, at least `min_cores_per_processor` per processor and
    `min_cores_per_server` per server)."""

    per: str = "server"  # server, processor, two_processors, core_pack
    pack_cores: int = 2
    min_cores_per_processor: int = 8
    min_cores_per_server: int = 16

    def units(self, model: ServerModel) -> int:
        """Licences one server of the model needs."""
        if self.per == "processor":
            return model.sockets
        if self.per == "two_processors":
            return math.ceil(model.sockets / 2)
        if self.per == "core_pack":
            per_socket = max(self.min_cores_per_processor, math.ceil(model.cores / model.sockets))
            cores = max(self.min_cores_per_server, per_socket * model.sockets)
            return math.ceil(cores / self.pack_cores)
        return 1


@dataclass(frozen=True)
class Cause:
    """One way a kind of component fails: how often, how long to repair, and the source."""

    kind: str  # server, witness, domain_controller, load_balancer, hypervisor_host, database
    name: str
    failures_per_year: float
    repair_hours: float
    basis: str
    appliance: str | None = None  # load balancers: only for hardware or virtual appliances
    storage: str | None = None  # databases: only with raid or jbod
    hosts: str | None = None  # hypervisor hosts: only with one host, or with several


@dataclass(frozen=True)
class AvailabilityFigures:
    """The catalog's figures for expected downtime (availability.toml)."""

    causes: tuple[Cause, ...]
    interruption_seconds: dict[str, float]  # by rule id, and "default"
    interruption_basis: str
    workaround_rules: frozenset[str]
    workaround_hours: float
    workaround_basis: str
    maintenance_windows: float
    maintenance_hours: float
    maintenance_basis: str

    def interruption(self, rule: str) -> float:
        return self.interruption_seconds.get(rule, self.interruption_seconds["default"])


@dataclass(frozen=True)
class Lifecycle:
    """A product version's support: the end of extended support, or a modern (rolling) policy."""

    product: str  # "Exchange Server 2019", "Windows Server 2022"
    end_of_support: str | None  # ISO date; None under the Modern Lifecycle Policy
    policy: str  # fixed or modern
    basis: str

    def supported_on(self, day: str) -> bool:
        return self.end_of_support is None or day <= self.end_of_support


@dataclass(frozen=True)
class Rate:
    rate: float
    basis: str


@dataclass(frozen=True)
class DesignPolicy:
    max_dedicated_cas_servers: int
    max_added_domain_controllers: int
    bases: dict[str, str]


@dataclass(eq=False)
class Catalog:
    """A loaded price book. Never changed after loading; compared and hashed by identity, so the
    optimizer can keep what it derives from one catalog in caches keyed by it."""

    id: str
    version: str
    currency: str
    as_of: str
    title: str
    path: Path
    rules: dict[str, Rule]
    servers: dict[str, ServerModel]
    windows: dict[tuple[str, str], Item]
    exchange_servers: dict[tuple[str, str], Item]
    exchange_cals: dict[tuple[str, str], Item]
    load_balancers: dict[str, LoadBalancerModel]
    disks: dict[str, DiskModel]
    sizing: dict[str, SizingRules]  # by Exchange version
    storage: dict[str, StorageRules]  # raid, jbod
    read_share: float
    read_share_basis: str
    rates: dict[str, Rate]
    witness_host: RoleSpec
    domain_controller: RoleSpec
    windows_editions: dict[str, tuple[str, ...]]
    windows_editions_rule: str
    windows_clustering: dict[str, tuple[str, ...]]
    windows_clustering_rule: str
    exchange: dict[str, ExchangeFacts]
    dag_rule: str
    dag_max_members: int
    dag_max_copies: int
    policy: DesignPolicy
    # How each Windows licence counts (by version and edition), and each product's support.
    windows_units: dict[tuple[str, str], LicenceUnit] = field(default_factory=dict)
    lifecycle: dict[tuple[str, str], Lifecycle] = field(default_factory=dict)  # (exchange|windows, version)
    availability: AvailabilityFigures | None = None
    _items: dict[str, Item] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        items: dict[str, Item] = {}
        for server in self.servers.values():
            items[server.item.sku] = server.item
        for group in (self.windows, self.exchange_servers, self.exchange_cals):
            for item in group.values():
                items[item.sku] = item
        for lb in self.load_balancers.values():
            items[lb.item.sku] = lb.item
        for disk in self.disks.values():
            items[disk.item.sku] = disk.item
        self._items = items

    def windows_licences(self, version: str, edition: str, model: ServerModel) -> int:
        """Windows licences (servers, processor pairs or core packs) one server of `model` needs."""
        return self.windows_units.get((version, edition), LicenceUnit()).units(model)

    def item(self, sku: str) -> Item:
        return self._items[sku]

    def mailbox_server_models(self, exchange_version: str) -> list[ServerModel]:
        """Server models offered to run Exchange of a version, within its recommended hardware
        ceilings, cheapest first."""
        rules = self.sizing.get(exchange_version)
        models = [
            s
            for s in self.servers.values()
            if s.mailbox_server
            and exchange_version in s.exchange_versions
            and (rules is None or (s.cores <= rules.max_cores and s.memory_gb <= rules.max_memory_gb))
        ]
        return sorted(models, key=lambda s: (s.item.price_cents, s.item.sku))

    def disk_models(self, exchange_version: str | None = None) -> list[DiskModel]:
        """Database disks (offered for the Exchange version, when given), cheapest first."""
        return sorted(
            (
                d
                for d in self.disks.values()
                if exchange_version is None
                or not d.exchange_versions
                or exchange_version in d.exchange_versions
            ),
            key=lambda d: (d.item.price_cents, d.item.sku),
        )

    def windows_editions_for(self, version: str) -> tuple[str, ...]:
        """Editions the catalog can price for a Windows version, in the product's order."""
        existing = self.windows_editions.get(version, ())
        return tuple(e for e in existing if (version, e) in self.windows)

    def clustering_editions(self, version: str) -> tuple[str, ...]:
        return self.windows_clustering.get(version, ())

    def cheapest_windows(self, version: str, edition: str) -> Item | None:
        return self.windows.get((version, edition))

    def summary(self) -> dict[str, str]:
        """What every quote names: the price book it was priced from."""
        return {
            "id": self.id,
            "version": self.version,
            "currency": self.currency,
            "as_of": self.as_of,
        }


def annual_from_rate(price_cents: int, rate: float) -> int:
    """Annual cents for a price and a yearly rate, rounded half up to the cent."""
    return math.floor(price_cents * rate + 0.5)
