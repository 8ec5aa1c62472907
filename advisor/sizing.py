"""What each server carries, in normal operation and after each single server failure, and
what a server of a model with its disks can carry: Microsoft's sizing rules as data
(catalog sizing.toml), applied to a design's copy layout and client front.

Loads follow the layout (advisor.layout): after a server fails, each database active on it
becomes active on its next copy. Client access follows the architecture's front: a load
balancer or Windows NLB spreads clients over the live servers of its pool; DNS spreads them over
every server, and the clients of a dead one stay cut off; one named server (no CAS array, or the
2013+ namespace on one server) carries every client. Mail flow spreads over the live transport
servers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from advisor.catalog.model import Catalog, DiskModel, ServerModel, SizingRules, StorageRules
from advisor.domain import ArchitectureSpec, Front, MailboxProfile, Request, hash_once
from advisor.layout import Layout


def database_mailboxes(mailboxes: int, databases: int) -> tuple[int, ...]:
    """Mailboxes per database, spread evenly: the first ones hold one more when they do not divide."""
    q, r = divmod(mailboxes, databases)
    return tuple(q + 1 if d < r else q for d in range(databases))


@dataclass(frozen=True)
class Load:
    """What one server carries in one situation."""

    active_mailboxes: int
    passive_mailboxes: int  # mailboxes of the passive copies it holds
    client_mailboxes: float  # mailboxes whose clients it serves (Client Access)
    transport_mailboxes: float  # mailboxes whose mail it carries (Hub Transport)
    megacycles: float
    memory_gb: float
    iops: float


@hash_once  # the optimizer prices each need once, looked up by it many times a request
@dataclass(frozen=True)
class Demand:
    """The most any server of a group needs, over the situations it is sized for."""

    megacycles: float = 0.0
    memory_gb: float = 0.0
    iops: float = 0.0
    disk_gb: float = 0.0
    mounts: int = 0
    active: int = 0  # the most database copies one server holds active in normal operation


@dataclass(frozen=True)
class Capacity:
    """What one server of a model, with its database disks, offers."""

    megacycles: float  # the platform's, all of it; sizing allows cpu_ceiling of it
    cpu_ceiling: float
    memory_gb: float
    iops: float
    disk_gb: float
    mounts: int
    # JBOD: how many database copies its data disks may hold (0: no such limit, as on RAID).
    disk_copies: int = 0

    @property
    def usable_megacycles(self) -> float:
        return self.megacycles * self.cpu_ceiling


@dataclass(frozen=True)
class Situation:
    """Normal operation (failed None) or one server down."""

    failed: str | None


class Sizing:
    """The loads of one design shape at one request's profile: every server in every situation."""

    def __init__(
        self,
        spec: ArchitectureSpec,
        layout: Layout,
        client_access_servers: int,
        mailboxes: int,
        profile: MailboxProfile,
        rules: SizingRules,
    ):
        self.spec = spec
        self.layout = layout
        self.cas = client_access_servers
        self.sizes = database_mailboxes(mailboxes, len(layout.databases))
        self.mailboxes = mailboxes
        self.profile = profile
        self.rules = rules

    @cached_property
    def mailbox_servers(self) -> tuple[str, ...]:
        return tuple(f"ex-{i + 1}" for i in range(self.layout.servers))

    @cached_property
    def client_access_servers(self) -> tuple[str, ...]:
        return tuple(f"cas-{i + 1}" for i in range(self.cas))

    @cached_property
    def situations(self) -> tuple[str | None, ...]:
        """Normal operation, then each Exchange server down (mailbox servers, then Client Access)."""
        if self.layout.servers + self.cas < 2:
            return (None,)
        return (None, *self.mailbox_servers, *self.client_access_servers)

    def copy_gb(self, mailboxes: int) -> float:
        """Disk for one copy of a database of `mailboxes`: data with overhead and its content
        index, provisioned, plus the logs kept."""
        r, p = self.rules, self.profile
        data = mailboxes * p.mailbox_size_gb * (1 + r.database_overhead) * (1 + r.content_index)
        logs = mailboxes * p.messages_per_day * r.log_mb_per_message * r.log_days / 1024
        return data * r.provisioning + logs

    @cached_property
    def database_gb(self) -> float:
        """The largest database, as it is provisioned (without logs and content index)."""
        r = self.rules
        return max(self.sizes) * self.profile.mailbox_size_gb * (1 + r.database_overhead) * r.provisioning

    def loads(self, failed: str | None) -> dict[str, Load]:
        """Every live Exchange server's load with `failed` down (None: normal operation)."""
        n = self.layout.servers
        failed_index = int(failed[3:]) - 1 if failed and failed.startswith("ex-") else None
        active = [0] * n
        passive = [0] * n
        served = 0  # mailboxes whose database is up somewhere
        for size, servers in zip(self.sizes, self.layout.databases, strict=True):
            live = [s for s in servers if s != failed_index]
            if not live:
                continue
            served += size
            active[live[0]] += size
            for s in live[1:]:
                passive[s] += size
        mailbox = [name for name in self.mailbox_servers if name != failed]
        cas = [name for name in self.client_access_servers if name != failed]
        clients = self._clients(served, mailbox, cas, failed)
        transport_pool = cas if self.spec.transport_on_client_access else mailbox
        transport = {name: served / len(transport_pool) for name in transport_pool} if transport_pool else {}
        out = {}
        for i, name in enumerate(self.mailbox_servers):
            if name == failed:
                continue
            out[name] = self._load(active[i], passive[i], clients.get(name, 0.0), transport.get(name, 0.0))
        for name in cas:
            out[name] = self._load(0, 0, clients.get(name, 0.0), transport.get(name, 0.0), mailbox_role=False)
        return out

    def _clients(
        self, served: int, mailbox: list[str], cas: list[str], failed: str | None
    ) -> dict[str, float]:
        """Mailboxes whose clients each live server serves, by the architecture's front."""
        front = self.spec.front
        if self.spec.dedicated_client_access:
            return {name: served / len(cas) for name in cas} if cas else {}
        if front is Front.ONE_SERVER:
            first = self.mailbox_servers[0]
            return {first: float(served)} if first != failed else {}
        if front is Front.DNS:
            # Clients stay with the address they resolved: a dead server's are cut off, not moved.
            share = served / len(self.mailbox_servers)
            return {name: share for name in mailbox}
        return {name: served / len(mailbox) for name in mailbox} if mailbox else {}

    def _load(
        self, active: int, passive: int, clients: float, transport: float, mailbox_role: bool = True
    ) -> Load:
        r, msgs = self.rules, self.profile.messages_per_day
        per = r.active_megacycles_per_message * msgs
        megacycles = per * (
            active
            + r.passive_share * passive
            + r.client_access_share * clients
            + r.transport_share * transport
        )
        if mailbox_role:
            cache_gb = r.cache_mb_per_message * msgs * (active + r.passive_cache_share * passive) / 1024
            memory = max(r.memory_minimum_gb, r.memory_base_gb + cache_gb / r.cache_share_of_memory)
            per_iops = r.iops_per_message if self.layout.copies > 1 else r.iops_per_message_single_copy
            iops = per_iops * msgs * (active + r.passive_iops_share * passive) * (1 + r.iops_headroom)
        else:
            memory, iops = 0.0, 0.0
        return Load(active, passive, clients, transport, megacycles, memory, iops)

    @cached_property
    def disk_gb(self) -> dict[str, float]:
        """Disk each mailbox server needs for the copies it holds."""
        held = [0.0] * self.layout.servers
        for size, servers in zip(self.sizes, self.layout.databases, strict=True):
            gb = self.copy_gb(size)
            for s in servers:
                held[s] += gb
        return {name: held[i] for i, name in enumerate(self.mailbox_servers)}

    @cached_property
    def mounts(self) -> dict[str, int]:
        return dict(zip(self.mailbox_servers, self.layout.copies_on(), strict=True))

    @cached_property
    def by_situation(self) -> dict[str | None, dict[str, Load]]:
        return {failed: self.loads(failed) for failed in self.situations}

    def demand(self, through_failures: bool, client_access: bool = False) -> Demand:
        """What each server of the mailbox group (or, with `client_access`, of the dedicated
        Client Access group) is sized for: normal operation and, `through_failures`, any single
        server failure.

        Every server of a group is the same model, so the group is sized for its worst case, as
        Microsoft's calculator does: the most databases one server holds active (after the
        failure that puts the most on one survivor, through failures) and the most copies one
        server holds, every database at the largest database's mailbox count, and the most
        client and transport load one server carries. The exact loads of each server
        (`by_situation`) never exceed it; and because it depends on the layout only through its
        two figures, the layouts `advisor.layout` gives (every one no other beats on both) lose
        no design.
        """
        r, msgs = self.rules, self.profile.messages_per_day
        per = r.active_megacycles_per_message * msgs
        clients, transport = self._front_share(through_failures, client_access)
        front = per * (r.client_access_share * clients + r.transport_share * transport)
        if client_access:
            return Demand(megacycles=front) if self.cas else Demand()
        layout = self.layout
        active = layout.worst_active if through_failures else max(layout.active_on(), default=0)
        held = layout.most_copies
        m = max(self.sizes)
        cache_gb = (
            r.cache_mb_per_message * msgs * m * (active + r.passive_cache_share * (held - active)) / 1024
        )
        per_iops = r.iops_per_message if layout.copies > 1 else r.iops_per_message_single_copy
        return Demand(
            megacycles=per * m * (active + r.passive_share * (held - active)) + front,
            memory_gb=max(r.memory_minimum_gb, r.memory_base_gb + cache_gb / r.cache_share_of_memory),
            iops=per_iops
            * msgs
            * m
            * (active + r.passive_iops_share * (held - active))
            * (1 + r.iops_headroom),
            disk_gb=held * self.copy_gb(m),
            mounts=held,
            active=max(layout.active_on(), default=0),
        )

    def _front_share(self, through_failures: bool, client_access: bool) -> tuple[float, float]:
        """The most mailboxes whose clients, and whose mail, one server of the group serves:
        the same figures `loads` gives, worked out from the front without the layout."""
        n, m, total = self.layout.servers, self.cas, float(self.mailboxes)

        def spread(pool: int) -> float:
            if pool < 1:
                return 0.0
            return total / (pool - 1 if through_failures and pool > 1 else pool)

        spec = self.spec
        if client_access:
            clients = spread(m)
        elif spec.dedicated_client_access:
            clients = 0.0
        elif spec.front is Front.ONE_SERVER:
            clients = total  # ex-1 serves every client while it runs
        elif spec.front is Front.DNS:
            clients = total / n  # a dead server's clients are cut off, not moved
        else:
            clients = spread(n)
        on_cas = spec.transport_on_client_access
        transport = spread(m if on_cas else n) if on_cas == client_access else 0.0
        return clients, transport


def platform_megacycles(model: ServerModel, rules: SizingRules) -> float:
    return model.cores * model.specint_per_core * rules.megacycles_per_specint


def disk_iops(disk: DiskModel, storage: StorageRules, read_share: float) -> float:
    """IOPS one data disk gives the databases, after the storage's write penalty."""
    return disk.iops / (read_share + (1 - read_share) * storage.write_penalty)


def disk_gb(disk: DiskModel, storage: StorageRules) -> float:
    """Usable space one data disk gives."""
    return disk.size_gb * storage.usable_share


def capacity(
    catalog: Catalog,
    rules: SizingRules,
    model: ServerModel,
    disk: DiskModel | None,
    disks: int,
    storage: str,
    mounts: int,
) -> Capacity:
    """What one server offers: `disks` is every database disk it has (spares included)."""
    store = catalog.storage[storage]
    data = max(0, disks - store.spare_disks) if disk else 0
    return Capacity(
        megacycles=platform_megacycles(model, rules),
        cpu_ceiling=rules.cpu_ceiling,
        memory_gb=float(model.memory_gb),
        iops=data * disk_iops(disk, store, catalog.read_share) if disk else 0.0,
        disk_gb=data * disk_gb(disk, store) if disk else 0.0,
        mounts=mounts,
        disk_copies=data * store.copies_per_disk,
    )


def least_disks(demand: Demand, disk: DiskModel, storage: StorageRules, read_share: float) -> int:
    """The fewest database disks (spares included) that give a server its IOPS and space."""
    per_iops = disk_iops(disk, storage, read_share)
    per_gb = disk_gb(disk, storage)
    data = max(1, math.ceil(max(demand.iops / per_iops, demand.disk_gb / per_gb) - 1e-9))
    data = max(data, layout_disks(demand, storage))
    if storage.even_disks and data % 2:
        data += 1
    return data + storage.spare_disks


def layout_disks(demand: Demand, storage: StorageRules) -> int:
    """The data disks the copies one server holds need where a disk may hold only so many
    copies, and so many of them active (JBOD); 0 where the storage has no such rule."""
    need = 0
    if storage.copies_per_disk:
        need = math.ceil(demand.mounts / storage.copies_per_disk)
    if storage.active_copies_per_disk:
        need = max(need, math.ceil(demand.active / storage.active_copies_per_disk))
    return need


def mailboxes_within(
    load: Load, cap: Capacity, rules: SizingRules, profile: MailboxProfile, copies: int
) -> int:
    """The most active mailboxes a server carries at the profile within its CPU, memory and
    IOPS, beside the passive, client and transport load it has in that situation."""
    msgs = profile.messages_per_day
    per = rules.active_megacycles_per_message * msgs
    other = per * (
        rules.passive_share * load.passive_mailboxes
        + rules.client_access_share * load.client_mailboxes
        + rules.transport_share * load.transport_mailboxes
    )
    by_cpu = (cap.usable_megacycles - other) / per
    cache = rules.cache_mb_per_message * msgs / 1024
    room = (cap.memory_gb - rules.memory_base_gb) * rules.cache_share_of_memory
    by_memory = room / cache - rules.passive_cache_share * load.passive_mailboxes
    if cap.memory_gb < rules.memory_minimum_gb:
        by_memory = 0
    per_iops = (rules.iops_per_message if copies > 1 else rules.iops_per_message_single_copy) * msgs
    by_iops = (
        cap.iops / (per_iops * (1 + rules.iops_headroom)) - rules.passive_iops_share * load.passive_mailboxes
    )
    return max(0, math.floor(min(by_cpu, by_memory, by_iops) + 1e-9))


def database_size_note(request: Request, rules: SizingRules, copies: int) -> str:
    """A note when each database is larger than Microsoft's guidance for its copy count, with
    the database count that keeps each within it; empty when it is within."""
    limit = rules.max_database_gb_with_copies if copies > 1 else rules.max_database_gb
    per_mailbox = request.mailbox_profile.mailbox_size_gb * (1 + rules.database_overhead) * rules.provisioning
    largest = -(-request.mailboxes // request.databases)
    size = largest * per_mailbox
    if size <= limit:
        return ""
    most = max(1, int(limit // per_mailbox))
    needed = -(-request.mailboxes // most)
    kind = "two or more copies" if copies > 1 else "a database without copies"
    return (
        f"Each database is about {size:,.0f} GB, over Microsoft's guidance of {limit:,.0f} GB for "
        f"{kind}; {needed} databases would keep each within it (rule sizing.database_size)."
    )
