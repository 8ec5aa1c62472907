"""A concrete design assessed as it is built: its failure analysis with the loads its layout and
hardware give every survivor, `degraded` where one runs past its sizing, and each server's
capacity and load. The optimizer's designs and `analyze`'s are assessed the same way."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from advisor.catalog.model import Catalog
from advisor.domain import Design, MailboxProfile, Request, ServerCapacity, ServerLoad, ServerReport
from advisor.failures import Analysis, DoubleFailure, Overload, Simulator, sized
from advisor.layout import Layout, best_layout
from advisor.sizing import Capacity, Load, Sizing, capacity, mailboxes_within
from advisor.topology import Shape


@dataclass(frozen=True)
class Assessment:
    analysis: Analysis
    servers: tuple[ServerReport, ...]
    sizing: Sizing
    overloads: dict[str | None, list[Overload]]
    doubles: tuple[DoubleFailure, ...] = ()  # the double failures that matter (advisor.availability)

    @property
    def undersized(self) -> list[Overload]:
        """What runs past its sizing in normal operation (no failure needed)."""
        return self.overloads.get(None, [])

    def degraded_by(self) -> list[str]:
        """The failed servers after which a survivor runs past its sizing."""
        return [failed for failed in self.overloads if failed is not None]


def layout_of(design: Design, databases: int) -> Layout:
    """The design's copy layout: the one it names, or the best for its servers."""
    if design.layout:
        return Layout(design.exchange_servers, design.layout)
    return best_layout(design.exchange_servers, databases, design.database_copies)


def load_balancer_hosts(design: Design, request: Request, catalog: Catalog) -> int:
    """The hypervisor hosts a design's load-balancer units run on: 0 for hardware appliances;
    virtual ones go one to a host while the environment's hosts last (rule lb.virtual_host)."""
    model = catalog.load_balancers.get(design.load_balancer_model or "")
    if model is None or model.kind != "virtual" or not design.load_balancers:
        return 0
    return max(1, min(design.load_balancers, request.environment.hypervisor_hosts))


def assess(design: Design, request: Request, catalog: Catalog, simulator: Simulator) -> Assessment:
    """The design's sized analysis and server reports under the request."""
    layout = layout_of(design, request.databases)
    env = request.environment
    shape = Shape.of(
        design,
        env.domain_controllers,
        request.databases,
        env.sites,
        load_balancer_hosts(design, request, catalog),
    )
    if not design.layout:
        shape = dataclasses.replace(shape, layout=layout.databases)
    rules = catalog.sizing[request.platform.exchange_version]
    sizing = Sizing(
        design.spec, layout, design.dedicated_cas_servers, request.mailboxes, request.mailbox_profile, rules
    )
    limits = catalog.exchange[request.platform.exchange_version].mounted_databases
    mailbox_cap = capacity(
        catalog,
        rules,
        catalog.servers[design.server_model],
        catalog.disks.get(design.disk_model or ""),
        design.disks_per_server,
        request.storage,
        limits[design.exchange_edition],
    )
    cas_cap = (
        capacity(catalog, rules, catalog.servers[design.cas_server_model], None, 0, request.storage, 0)
        if design.cas_server_model
        else None
    )
    caps = {name: mailbox_cap for name in sizing.mailbox_servers}
    caps.update({name: cas_cap for name in sizing.client_access_servers if cas_cap is not None})
    overloads: dict[str | None, list[Overload]] = {}
    loads: dict[str, dict[str, ServerLoad]] = {}
    for failed in sizing.situations:
        past = []
        shown = {}
        for name, load in sizing.by_situation[failed].items():
            cap = caps[name]
            over = _past(name, load, cap, sizing, name in sizing.mailbox_servers)
            past += over
            shown[name] = _shown(load, cap, not over)
        if past:
            overloads[failed] = past
        if failed is not None:
            loads[failed] = shown
    analysis = sized(simulator.analysis(shape), loads, overloads)
    servers = tuple(
        _report(name, design, sizing, caps[name], request.mailbox_profile, layout.copies)
        for name in (*sizing.mailbox_servers, *sizing.client_access_servers)
    )
    return Assessment(analysis, servers, sizing, overloads, simulator.doubles(shape))


def _past(name: str, load: Load, cap: Capacity, sizing: Sizing, mailbox: bool) -> list[Overload]:
    """What of a server's load in one situation is past its sizing."""
    out = []
    if load.megacycles > cap.usable_megacycles + 1e-6:
        out.append(Overload(name, "CPU", load.megacycles, cap.usable_megacycles))
    if mailbox:
        if load.memory_gb > cap.memory_gb + 1e-6:
            out.append(Overload(name, "memory", load.memory_gb, cap.memory_gb))
        if load.iops > cap.iops + 1e-6:
            out.append(Overload(name, "disk IOPS", load.iops, cap.iops))
        if sizing.disk_gb[name] > cap.disk_gb + 1e-6:
            out.append(Overload(name, "disk space", sizing.disk_gb[name], cap.disk_gb))
        if sizing.mounts[name] > cap.mounts:
            out.append(Overload(name, "mounted databases", sizing.mounts[name], cap.mounts))
        if cap.disk_copies and sizing.mounts[name] > cap.disk_copies:
            out.append(
                Overload(
                    name, "database copies its JBOD disks may hold", sizing.mounts[name], cap.disk_copies
                )
            )
    return out


def _shown(load: Load, cap: Capacity, within: bool, failed: str | None = None) -> ServerLoad:
    return ServerLoad(
        active_mailboxes=load.active_mailboxes,
        cpu_utilisation=round(load.megacycles / cap.megacycles, 4) if cap.megacycles else 0.0,
        memory_gb=round(load.memory_gb, 2),
        iops=round(load.iops, 1),
        within_sizing=within,
        failed=failed,
    )


def _report(
    name: str, design: Design, sizing: Sizing, cap: Capacity, profile: MailboxProfile, copies: int
) -> ServerReport:
    mailbox = name in sizing.mailbox_servers
    spec = design.spec
    roles = spec.exchange_roles if mailbox else spec.client_access_roles
    normal_load = sizing.by_situation[None][name]
    worst_failed, worst_load = None, normal_load
    for failed in sizing.situations[1:]:
        load = sizing.by_situation[failed].get(name)
        if load is not None and (load.megacycles, load.active_mailboxes) > (
            worst_load.megacycles,
            worst_load.active_mailboxes,
        ):
            worst_failed, worst_load = failed, load
    within = not _past(name, normal_load, cap, sizing, mailbox)
    worst_within = within and not any(
        _past(name, load, cap, sizing, mailbox)
        for failed in sizing.situations[1:]
        if (load := sizing.by_situation[failed].get(name)) is not None
    )
    carries = mailboxes_within(worst_load, cap, sizing.rules, profile, copies) if mailbox else 0
    return ServerReport(
        name=name,
        roles=roles,
        model=design.server_model if mailbox else design.cas_server_model or "",
        capacity=ServerCapacity(
            mailboxes=carries,
            megacycles=round(cap.megacycles),
            cpu_ceiling=cap.cpu_ceiling,
            memory_gb=cap.memory_gb,
            iops=round(cap.iops, 1),
            disk_gb=round(cap.disk_gb, 1),
            database_copies=cap.mounts,
        ),
        normal=_shown(normal_load, cap, within),
        worst_failure=_shown(worst_load, cap, worst_within, worst_failed),
        database_copies=sizing.mounts.get(name, 0),
        disk_gb=round(sizing.disk_gb.get(name, 0.0), 1),
    )
